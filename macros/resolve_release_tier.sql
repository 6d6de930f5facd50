{% macro resolve_release_tier() %}
    {#- var('tier') wins; else the largest tier of var tiers selected in this run; else the smallest. -#}
    {%- set names = tier_names() -%}
    {%- set requested = var('tier', none) -%}
    {%- if requested is not none -%}
        {%- if requested not in names -%}
            {{ exceptions.raise_compiler_error(
                "var 'tier' is " ~ requested ~ "; choose one of " ~ names | join(', ')
                ~ " (e.g. dbt build --select " ~ names[-1] ~ "+ --vars '{tier: " ~ names[-1] ~ "}')"
            ) }}
        {%- endif -%}
        {{ return(requested) }}
    {%- endif -%}
    {%- for tier in names | reverse -%}
        {%- if ('model.moldova_personas.' ~ tier) in selected_resources -%}
            {{ return(tier) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(names[0]) }}
{% endmacro %}
