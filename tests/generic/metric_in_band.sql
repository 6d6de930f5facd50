{#-
    Returns every row whose metric lies outside [lower, upper] (bounds inclusive; either may be omitted).
    A null metric fails too unless allow_null=true. Pair two instances to map a healthy/warning/critical
    table: the healthy band at `severity: warn`, the non-critical band at `severity: error`.
-#}
{% test metric_in_band(model, column_name, lower=none, upper=none, key_columns=none, allow_null=false) %}

{%- if lower is none and upper is none -%}
    {{ exceptions.raise_compiler_error(
        "metric_in_band on " ~ model ~ "." ~ column_name ~ ": give `lower`, `upper` or both") }}
{%- endif -%}
{%- if lower is not none and upper is not none and lower > upper -%}
    {{ exceptions.raise_compiler_error(
        "metric_in_band on " ~ model ~ "." ~ column_name ~ ": lower " ~ lower ~ " > upper " ~ upper) }}
{%- endif -%}
{%- if key_columns is string -%}
    {%- set key_columns = [key_columns] -%}
{%- endif -%}
{%- set band = '[' ~ (lower if lower is not none else '-inf') ~ ', ' ~ (upper if upper is not none else 'inf') ~ ']' %}

select
    *,
    '{{ column_name }} = ' || coalesce(cast({{ column_name }} as varchar), 'null')
{%- if key_columns %}
        || ' at ' || {{ row_label(key_columns) }}
{%- endif %}
        || ' is outside {{ band }}' as problem
from {{ model }}
where
{%- if allow_null %}
    {{ column_name }} is not null and (
{%- else %}
    {{ column_name }} is null or (
{%- endif %}
        false
{%- if lower is not none %}
        or {{ column_name }} < {{ lower }}
{%- endif %}
{%- if upper is not none %}
        or {{ column_name }} > {{ upper }}
{%- endif %}
    )

{% endtest %}
