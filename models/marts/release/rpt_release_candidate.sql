-- One row: the tier being released in this run, where its files are staged, and what produced it.
-- The export models write into staging_dir (macro release_staging_location reads it from here);
-- export_release hashes, documents and promotes that folder.
with

personas as (

    select * from {{ ref('fct_personas') }}

),

models_used as (

    select
        model_used,
        count(*) as n_personas
    from personas
    where model_used is not null
    group by all

),

summary as (

    select
        any_value(tier) as tier,
        any_value(sample_seed) as seed,
        count(*) as record_count,
        count(*) filter (where is_narrated) as narrated_count,
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
        '{{ adapter.external_root() }}' as export_root,
        '{{ adapter.external_root() }}/' || summary.tier as tier_dir,
        '{{ adapter.external_root() }}/' || summary.tier || '/_staging' as staging_dir
    from summary

)

select * from final
