{#-
    Returns one row per combination of `combination_of_columns` that occurs more than once
    (nulls count as values, as in a primary key check on the file).
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

{%- set model_name = test_relation_name(model) -%}

{%- if combination_of_columns is string -%}
    {%- set combination_of_columns = [combination_of_columns] -%}
{%- endif -%}
{%- if combination_of_columns is not iterable or combination_of_columns | length == 0 -%}
    {{ exceptions.raise_compiler_error(
        "unique_combination_of_columns on " ~ model
        ~ ": combination_of_columns must be a non-empty list of column names, got " ~ combination_of_columns) }}
{%- endif %}

select
    {{ combination_of_columns | join(', ') }},
    count(*) as n_rows,
    '{{ model_name }}: key ' || {{ row_label(combination_of_columns) }}
        || ' occurs ' || cast(count(*) as varchar) || ' times, expected once' as problem
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1

{% endtest %}
