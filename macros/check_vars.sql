{% macro check_vars() %}
    {#- Bad --vars stop the run before any model starts, naming the setting and the fix. -#}
    {%- set seed = var('seed') | string | trim -%}
    {%- if not (seed | replace('-', '', 1)).isdigit() -%}
        {{ exceptions.raise_compiler_error(
            "var 'seed' must be an integer, got '" ~ seed ~ "': run e.g. dbt build --vars '{seed: 42}'"
        ) }}
    {%- endif -%}
    {%- set tier = var('tier', none) -%}
    {%- if tier is not none and tier not in ['tier_1k', 'tier_25k', 'tier_100k', 'tier_1m'] -%}
        {{ exceptions.raise_compiler_error(
            "var 'tier' is " ~ tier ~ "; choose one of tier_1k, tier_25k, tier_100k, tier_1m "
            ~ "(e.g. dbt build --select tier_25k+)"
        ) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
