{#-
    Returns every row where `column_name` is below zero. `key_columns` name the row in the problem
    text (default: the first column of the relation). Nulls are not reported (test them with not_null).
-#}
{% test not_negative(model, column_name, key_columns=none) %}

{#- with `config: where:` dbt passes a '(select ... from <relation> where ...) dbt_subquery' string -#}
{%- set model_name = model.identifier if model.identifier is defined
    else (model | string).split('from ')[1].split(' ')[0].split('.')[-1] | replace('"', '') -%}

{%- if key_columns is string -%}
    {%- set key_columns = [key_columns] -%}
{%- endif -%}
{%- if key_columns is not none and (key_columns is not iterable or key_columns | length == 0) -%}
    {{ exceptions.raise_compiler_error(
        "not_negative on " ~ model ~ "." ~ column_name
        ~ ": key_columns must be a column name or a non-empty list, got " ~ key_columns) }}
{%- endif -%}
{%- if key_columns is none and model.identifier is not defined -%}
    {{ exceptions.raise_compiler_error(
        "not_negative on " ~ model_name ~ "." ~ column_name
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
        || ': {{ column_name }} = ' || cast({{ column_name }} as varchar) || ' is negative' as problem
from {{ model }}
where {{ column_name }} < 0

{% endtest %}
