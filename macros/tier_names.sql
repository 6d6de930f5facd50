{% macro tier_names() %}
    {#- The tier names of var tiers, smallest first. -#}
    {%- set names = [] -%}
    {%- for tier in var('tiers') -%}
        {%- do names.append(tier.name) -%}
    {%- endfor -%}
    {{ return(names) }}
{% endmacro %}
