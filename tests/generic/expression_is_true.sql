{% test expression_is_true(model, expression, column_name=none, where_clause=none) %}
{#- Rows for which `expression` is false (or null) fail, dbt-utils style; column_name is accepted so
    the test may sit under a column, but the expression decides. -#}
{%- if expression is none or expression | trim == '' -%}
    {{ exceptions.raise_compiler_error("expression_is_true: give a non-empty `expression`") }}
{%- endif -%}

select *
from {{ model }}
where not coalesce(({{ expression }}), false)
{%- if where_clause %}
    and ({{ where_clause }})
{%- endif %}

{% endtest %}
