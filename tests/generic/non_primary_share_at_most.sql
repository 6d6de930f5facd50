{#-
    Release gate on a per-(tier, model) count table: fails for every tier where the share of personas
    written by a model other than its primary exceeds `max_share` (0-1). One row per such tier, with the
    share, the models and a `problem` text.
-#}
{% test non_primary_share_at_most(
    model, max_share, tier_column='tier', model_column='model_used', primary_column='primary_model',
    count_column='n_personas'
) %}

{%- set max_share = max_share | string | trim -%}
{%- if max_share | float(-1) < 0 or max_share | float(-1) > 1 -%}
    {{ exceptions.raise_compiler_error(
        "non_primary_share_at_most on " ~ model ~ ": max_share must be a number in [0, 1], got '" ~ max_share ~ "'") }}
{%- endif %}

with

models as (

    select * from {{ model }}

),

tiers as (

    select
        {{ tier_column }} as tier,
        string_agg(distinct {{ primary_column }}, ', ') as primary_model,
        sum({{ count_column }}) as n_personas,
        coalesce(sum({{ count_column }}) filter (
            where {{ model_column }} is distinct from {{ primary_column }}
        ), 0) as n_other,
        string_agg(
            {{ model_column }} || ' ' || {{ count_column }}, ', '
            order by {{ count_column }} desc, {{ model_column }} asc
        ) filter (where {{ model_column }} is distinct from {{ primary_column }}) as other_models
    from models
    group by all

),

final as (

    select
        tier,
        primary_model,
        n_personas,
        n_other,
        n_other / nullif(n_personas, 0) as non_primary_share,
        tier || ': ' || n_other || ' of ' || n_personas || ' published personas ('
        || printf('%.1f', 100 * n_other / nullif(n_personas, 0)) || '%) were written by a model other than the '
        || 'configured primary ' || primary_model || ' (' || other_models || '); the gate allows at most '
        || printf('%.1f', 100 * {{ max_share }}) || '%. Check the provider (fct_generation_attempts), then '
        || 'rebuild (`' || case when tier = 'tier_1k' then 'make run' else 'make tier TIER=' || tier end
        || '`): a run narrates personas written by another model again with the primary (unless '
        || 'MOLDOVA_LLM_KEEP_OTHER_MODELS=1)' as problem
    from tiers
    where n_other / nullif(n_personas, 0) > {{ max_share }}

)

select * from final

{% endtest %}
