-- depends_on: {{ ref('int_personas_narrated') }}
-- One row per generation attempt, from the JSONL attempt logs (source narration_logs). The logs are
-- written while int_personas_narrated runs, hence the depends_on: this mart, not a staging view
-- created before narration, reads the source. A line torn by a killed run reads as an all-null row,
-- dropped below (every complete line carries run_id and persona_id).
with

attempts as (

    select * from {{ source('narration_logs', 'generation_attempts') }}

),

final as (

    select
        md5(concat_ws('|', run_id, persona_id, attempt, ts)) as attempt_id,
        run_id,
        persona_id,
        stage,
        attempt,
        status,
        ts as attempted_at,
        latency_ms,
        prompt_tokens,
        completion_tokens,
        prompt_tokens + completion_tokens as total_tokens,
        cost_usd,
        model,
        coalesce(model, '') like 'cache:%' as is_cached,
        repairs,
        len(repairs) > 0 as has_repairs,
        validator_scores,
        validator_scores['trait_leak'] as trait_leak_score,
        validator_scores['opening_variation'] as opening_variation_score,
        validator_scores['pollyanna'] as pollyanna_score,
        validator_scores['anchor_specificity'] as anchor_specificity_score,
        opening_move,
        constraint_categories,
        anchors_used,
        error,
        error_class,
        filename as log_file
    from attempts
    where run_id is not null and persona_id is not null

)

select * from final
