-- One row per (tier, model, primary model) of the released tier: how many personas each model actually wrote
-- (fct_personas.model_used), against the primary configured for them. Published text is the status-ok
-- rows; the release gate and the dataset card read the shares from here.
with

personas as (

    select * from {{ ref('fct_personas') }}
    where model_used is not null

),

per_model as (

    select
        tier,
        model_used,
        primary_model,
        count(*) filter (where narration_status = 'ok') as n_personas,
        count(*) filter (where narration_status is distinct from 'ok') as n_failed
    from personas
    group by all

),

final as (

    select
        tier,
        model_used,
        primary_model,
        model_used = primary_model as is_primary_model,
        n_personas,
        n_failed,
        round(
            coalesce(n_personas / nullif(sum(n_personas) over (partition by tier), 0), 0), 6
        ) as share_of_published
    from per_model

)

select * from final
order by tier asc, n_personas desc, model_used asc, primary_model asc
