{#-
    Returns every row whose `column_name` is not one of `values` (like accepted_values, but each
    failing row carries a `problem` text). Nulls are reported only when allow_null is false.
-#}
{% test known_values(model, column_name, values, key_columns=none, allow_null=true) %}

{%- set model_name = test_relation_name(model) -%}

{%- if values is string or values is not iterable or values | length == 0 -%}
    {{ exceptions.raise_compiler_error(
        "known_values on " ~ model ~ "." ~ column_name ~ ": values must be a non-empty list, got " ~ values) }}
{%- endif -%}
{%- set key_columns = test_key_columns(model, column_name, key_columns, 'known_values') %}

select
    {{ key_columns | join(', ') }},
    {{ column_name }} as failing_value,
    '{{ model_name }}: row ' || {{ row_label(key_columns) }}
        || ': {{ column_name }} = ' || coalesce('''' || cast({{ column_name }} as varchar) || '''', 'null')
        || ' is not a known code (expected one of: {{ values | join(", ") | replace("'", "''") }})' as problem
from {{ model }}
where {{ column_name }} not in ('{{ values | map("replace", "'", "''") | join("', '") }}')
{%- if not allow_null %}
    or {{ column_name }} is null
{%- endif %}

{% endtest %}
