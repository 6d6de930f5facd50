{#- Personas per narration batch of a tier (var tiers, checkpoint_interval), as a SQL case expression. -#}
{% macro tier_checkpoint_interval(tier_column) -%}
    case {{ tier_column }}
    {%- for tier in var('tiers') %}
        when '{{ tier.name }}' then {{ tier.checkpoint_interval }}
    {%- endfor %}
        else {{ var('tiers')[0].checkpoint_interval }}
    end
{%- endmacro %}
