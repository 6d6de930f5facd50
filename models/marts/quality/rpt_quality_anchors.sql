-- One row per anchor used: share of personas, rank, rarity and cap check.
{%- set cap_warn = var('anchor_cap_warn', 0.03) %}
{%- set cap_error = var('anchor_cap_error', 0.05) %}
{%- set rare_below = var('rare_anchor_share', 0.01) %}

with

corpus as (

    select * from {{ ref('fct_quality_corpus') }}

),

mentions as (

    select distinct
        persona_id,
        region,
        unnest(anchors_used) as anchor
    from corpus

),

n_total as (

    select count(*) as n_personas from corpus

),

counts as (

    select
        anchor,
        count(distinct persona_id) as n_personas,
        count(distinct region) as n_regions,
        mode(region) as main_region
    from mentions
    group by all

),

final as (

    select
        counts.anchor,
        counts.n_personas,
        counts.n_personas / n_total.n_personas as share_of_personas,
        row_number() over (order by counts.n_personas desc, counts.anchor asc) as anchor_rank,
        row_number() over (order by counts.n_personas desc, counts.anchor asc) <= 50 as is_top50,
        counts.n_personas / n_total.n_personas < {{ rare_below }} as is_rare,
        {{ cap_warn }} as cap_share,
        {{ cap_error }} as overuse_share,
        counts.n_personas / n_total.n_personas > {{ cap_warn }} as is_above_cap,
        counts.n_personas / n_total.n_personas > {{ cap_error }} as is_overused,
        counts.n_regions,
        counts.main_region
    from counts
    cross join n_total

)

select * from final
