{#-
    Returns every row whose `column_name` is not one of `values` (like accepted_values, but each
    failing row carries a `problem` text). Nulls are reported only when allow_null is false.
-#}
{% test known_values(model, column_name, values, key_columns=none, allow_null=true) %}

{#- with `config: where:` dbt passes a '(select ... from <relation> where ...) dbt_subquery' string -#}
{%- set model_name = model.identifier if model.identifier is defined
    else (model | string).split('from ')[1].split(' ')[0].split('.')[-1] | replace('"', '') -%}

{%- if values is string or values is not iterable or values | length == 0 -%}
    {{ exceptions.raise_compiler_error(
        "known_values on " ~ model ~ "." ~ column_name ~ ": values must be a non-empty list, got " ~ values) }}
{%- endif -%}
{%- if key_columns is string -%}
    {%- set key_columns = [key_columns] -%}
{%- endif -%}
{%- if key_columns is none and model.identifier is not defined -%}
    {{ exceptions.raise_compiler_error(
        "known_values on " ~ model_name ~ "." ~ column_name
        ~ ": pass key_columns when the test has a `where` config") }}
{%- endif -%}
{%- if key_columns is none -%}
    {%- if execute -%}
        {%- set key_columns = [adapter.get_columns_in_relation(model)[0].name] -%}
    {%- else -%}
        {%- set key_columns = [column_name] -%}
    {%- endif -%}
{%- endif %}

select
    {{ key_columns | join(', ') }},
    {{ column_name }} as failing_value,
    '{{ model_name }}: row ' || concat_ws(', ', {% for col in key_columns -%}
            '{{ col | replace("'", "''") }}=' || coalesce(cast({{ col }} as varchar), 'null'){% if not loop.last %}, {% endif %}
        {%- endfor %})
        || ': {{ column_name }} = ' || coalesce('''' || cast({{ column_name }} as varchar) || '''', 'null')
        || ' is not a known code (expected one of: {{ values | join(", ") | replace("'", "''") }})' as problem
from {{ model }}
where {{ column_name }} not in ('{{ values | map("replace", "'", "''") | join("', '") }}')
{%- if not allow_null %}
    or {{ column_name }} is null
{%- endif %}

{% endtest %}
