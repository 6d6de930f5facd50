{#- Personas per batch of a tier: mirrors NarrationSettings.checkpoint_interval in config.py. -#}
{% macro tier_checkpoint_interval(tier_column) -%}
    case {{ tier_column }}
        when 'tier_1k' then 250
        when 'tier_25k' then 5000
        when 'tier_100k' then 10000
        when 'tier_1m' then 50000
        else 250
    end
{%- endmacro %}
