-- One row: the tier being released in this run, where its files are staged, and what produced it.
-- The export models write into staging_dir (macro release_staging_location reads it from here);
-- export_release hashes, documents and promotes that folder. record_count counts the published
-- personas (narration status ok); the others are counted in n_failed_personas.
with

personas as (

    select * from {{ ref('fct_personas') }}

),

models as (

    select * from {{ ref('rpt_generation_models') }}

),

models_used as (

    select
        model_used,
        sum(n_personas) as n_personas,
        bool_or(is_primary_model) as is_primary_model
    from models
    where n_personas > 0
    group by all

),

summary as (

    select
        any_value(tier) as tier,
        any_value(sample_seed) as seed,
        count(*) as n_tier_personas,
        count(*) filter (where narration_status = 'ok') as record_count,
        count(*) filter (where narration_status is distinct from 'ok') as n_failed_personas,
        count(*) filter (where is_narrated) as narrated_count,
        string_agg(distinct primary_model, ', ' order by primary_model) as primary_model,
        sum(prompt_tokens) as prompt_tokens,
        sum(completion_tokens) as completion_tokens,
        sum(cost_usd) as cost_usd
    from personas

),

final as (

    select
        summary.tier,
        summary.seed,
        summary.record_count,
        summary.n_tier_personas,
        summary.n_failed_personas,
        summary.narrated_count,
        summary.prompt_tokens,
        summary.completion_tokens,
        round(summary.cost_usd, 6) as cost_usd,
        (
            select string_agg(m.model_used, ', ' order by m.n_personas desc, m.model_used asc)
            from models_used as m
        )
            as models_used,
        (select arg_max(m.model_used, m.n_personas) from models_used as m) as main_model,
        summary.primary_model,
        coalesce((
            select sum(m.n_personas) filter (where not m.is_primary_model) / nullif(sum(m.n_personas), 0)
            from models as m
        ), 0) as non_primary_share,
        '{{ adapter.external_root() }}' as export_root,
        '{{ adapter.external_root() }}/' || summary.tier as tier_dir,
        '{{ adapter.external_root() }}/' || summary.tier || '/_staging' as staging_dir
    from summary

)

select * from final
