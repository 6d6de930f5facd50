{% macro resolve_release_tier() %}
    {#- var('tier') wins; else the largest tier model selected in this run; else tier_1k. -#}
    {%- set tiers = ['tier_1m', 'tier_100k', 'tier_25k', 'tier_1k'] -%}
    {%- set requested = var('tier', none) -%}
    {%- if requested is not none -%}
        {%- if requested not in tiers -%}
            {{ exceptions.raise_compiler_error(
                "var 'tier' is " ~ requested ~ "; choose one of tier_1k, tier_25k, tier_100k, tier_1m "
                ~ "(e.g. dbt build --select tier_25k+ --vars '{tier: tier_25k}')"
            ) }}
        {%- endif -%}
        {{ return(requested) }}
    {%- endif -%}
    {%- for tier in tiers -%}
        {%- if ('model.moldova_personas.' ~ tier) in selected_resources -%}
            {{ return(tier) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return('tier_1k') }}
{% endmacro %}
