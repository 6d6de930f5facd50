-- One row per persona of the released tier: the core joined to its narrative.
-- Narration is incremental over every tier ever released, so the release tier's cores decide the rows.
-- Every persona is kept with its narration status; only status ok reaches the public files
-- (fct_release_public_personas), and the test narration_failures_at_most blocks a release with failures.
with

cores as (

    select * from {{ ref('release_cores') }}

),

narrated as (

    select * from {{ ref('int_personas_narrated') }}

),

final as (

    select
        cores.*,
        narrated.persona,
        narrated.professional_persona,
        narrated.sports_persona,
        narrated.arts_persona,
        narrated.travel_persona,
        narrated.culinary_persona,
        narrated.cultural_background,
        narrated.skills_and_expertise,
        narrated.skills_and_expertise_list,
        narrated.hobbies_and_interests,
        narrated.hobbies_and_interests_list,
        narrated.career_goals_and_ambitions,
        narrated.status as narration_status,
        narrated.failure_reason as narration_failure_reason,
        narrated.model_used,
        {{ narrated_primary_model('narrated') }} as primary_model,
        narrated.attempts,
        narrated.prompt_tokens,
        narrated.completion_tokens,
        narrated.cost_usd,
        narrated.prompt_hash,
        narrated.trace_id,
        narrated.opening_move,
        narrated.constraint_categories,
        narrated.anchors_used,
        narrated.validator_scores,
        narrated.persona_id is not null as is_narrated
    from cores
    left join narrated
        on cores.persona_id = narrated.persona_id

)

select * from final
