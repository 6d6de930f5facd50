-- One row per (region, constraint category), region 'ALL' included: distribution and consequence hits.
with

corpus as (

    select * from {{ ref('fct_quality_corpus') }}

),

hits as (

    select * from {{ ref('fct_quality_constraint_consequences') }}

),

planned as (

    select
        corpus.region,
        hits.category,
        hits.persona_id,
        hits.is_mentioned,
        hits.is_hit
    from hits
    inner join corpus on hits.persona_id = corpus.persona_id

),

region_sizes as (

    select
        coalesce(region, 'ALL') as region,
        count(*) as n_personas_in_region
    from corpus
    group by rollup(region)

),

by_region as (

    select
        coalesce(region, 'ALL') as region,
        category,
        count(distinct persona_id) as n_personas,
        count(*) filter (where is_mentioned) / count(*) as mention_rate,
        count(*) filter (where is_hit) / count(*) as consequence_hit_rate
    from planned
    group by category, rollup(region)

),

final as (

    select
        by_region.region,
        by_region.category,
        by_region.n_personas,
        by_region.n_personas / region_sizes.n_personas_in_region as share_of_region_personas,
        by_region.n_personas / sum(by_region.n_personas) over (partition by by_region.region)
            as share_of_region_constraints,
        by_region.mention_rate,
        by_region.consequence_hit_rate
    from by_region
    inner join region_sizes on by_region.region = region_sizes.region

)

select * from final
