-- depends_on: {{ ref('int_personas_narrated') }}
-- One row per generation attempt, read from the JSONL attempt logs (metrics spec schema).
-- A run killed mid-write can leave a torn last line: ignore_errors turns it into an all-null row,
-- dropped below (every complete line carries run_id and persona_id).
with

attempts as (

    select *
    from read_json(
        '{{ var("generation_log_dir", "logs/generation_attempts") }}/*.jsonl',
        format = 'newline_delimited',
        union_by_name = true,
        filename = true,
        ignore_errors = true,
        columns = {
            ts: 'timestamptz',
            run_id: 'varchar',
            persona_id: 'varchar',
            stage: 'varchar',
            attempt: 'integer',
            status: 'varchar',
            latency_ms: 'bigint',
            prompt_tokens: 'bigint',
            completion_tokens: 'bigint',
            repairs: 'varchar[]',
            validator_scores: 'map(varchar, double)',
            opening_move: 'varchar',
            constraint_categories: 'varchar[]',
            anchors_used: 'varchar[]',
            error: 'varchar',
            model: 'varchar',
            cost_usd: 'double'
        }
    )

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
        filename as log_file
    from attempts
    where run_id is not null and persona_id is not null

)

select * from final
