-- One row per persona of the released tier: its contribution to each quality metric the release
-- contract guards. The contract resamples these rows (bootstrap), so every metric is a mean over personas
-- (or, for the opening entropy, a function of the opening-move counts).
with

personas as (

    select * from {{ ref('fct_personas') }}

),

uniqueness as (

    select * from {{ ref('fct_quality_uniqueness') }}

),

anchors as (

    select * from {{ ref('rpt_quality_anchors') }}

),

persona_anchors as (

    select
        used.persona_id,
        bool_or(coalesce(anchors.is_rare, false)) as has_rare_anchor
    from (select
        persona_id,
        unnest(anchors_used) as anchor
    from personas) as used
    left join anchors
        on used.anchor = anchors.anchor
    group by all

),

final as (

    select
        personas.persona_id,
        personas.persona_index,
        -- uniqueness ratio = distinct near-duplicate clusters / personas = share of cluster heads
        coalesce(uniqueness.near_duplicate_cluster_id = personas.persona_id, false) as is_unique,
        coalesce(persona_anchors.has_rare_anchor, false) as has_rare_anchor,
        personas.opening_move,
        coalesce(personas.narration_status = 'ok', false) as is_validator_pass,
        personas.narration_status,
        personas.narration_failure_reason,
        coalesce(length(personas.cultural_background), 0) as cultural_background_chars,
        coalesce(personas.is_narrated and personas.narration_status <> 'failed_call', false) as is_generated,
        coalesce(personas.attempts > 1, false) as is_repaired
    from personas
    left join uniqueness
        on personas.persona_id = uniqueness.persona_id
    left join persona_anchors
        on personas.persona_id = persona_anchors.persona_id

)

select * from final
order by persona_index
