-- One row per persona of the released tier, summarising the narration run that produced its text.
with

attempts as (

    select * from {{ ref('fct_generation_attempts') }}

),

cores as (

    select
        persona_id,
        persona_index,
        tier
    from {{ ref('release_cores') }}

),

runs_ranked as (

    -- A persona can appear in several runs (replays from the response store after a rebuild):
    -- keep the latest run with a paid call, else the latest run.
    select
        persona_id,
        run_id,
        row_number() over (
            partition by persona_id
            order by bool_or(not is_cached) desc, max(attempted_at) desc, run_id desc
        ) as run_rank
    from attempts
    group by persona_id, run_id

),

chosen as (

    select attempts.*
    from attempts
    inner join runs_ranked
        on
            attempts.persona_id = runs_ranked.persona_id
            and attempts.run_id = runs_ranked.run_id
            and runs_ranked.run_rank = 1

),

per_persona as (

    select
        persona_id,
        any_value(run_id) as run_id,
        count(*) as n_attempts,
        arg_max(status, attempt) as final_status,
        arg_max(repairs, attempt) as repair_types,
        arg_max(error, attempt) as final_error,
        arg_max(model, attempt) as final_model,
        arg_max(opening_move, attempt) as opening_move,
        arg_max(anchors_used, attempt) as anchors_used,
        arg_max(constraint_categories, attempt) as constraint_categories,
        arg_max(validator_scores, attempt) as final_validator_scores,
        bool_and(is_cached) as is_cached,
        sum(latency_ms) as latency_ms,
        coalesce(
            list(latency_ms order by attempt) filter (where not is_cached), []
        ) as paid_attempt_latencies_ms,
        sum(prompt_tokens) as prompt_tokens,
        sum(completion_tokens) as completion_tokens,
        sum(total_tokens) as total_tokens,
        sum(coalesce(cost_usd, 0)) as cost_usd,
        min(attempted_at - to_milliseconds(latency_ms)) as started_at,
        max(attempted_at) as finished_at
    from chosen
    group by persona_id

),

final as (

    select
        cores.persona_id,
        cores.tier,
        cores.persona_index,
        {{ tier_checkpoint_interval('cores.tier') }} as checkpoint_interval,
        cores.persona_index // {{ tier_checkpoint_interval('cores.tier') }} as batch_index,
        cores.persona_index // 250 as window_250_index,
        per_persona.persona_id is not null as is_logged,
        per_persona.run_id,
        per_persona.n_attempts,
        per_persona.n_attempts - 1 as n_retries,
        per_persona.final_status,
        per_persona.final_status = 'success' as is_success,
        coalesce(len(per_persona.repair_types), 0) > 0 as has_repairs,
        per_persona.repair_types,
        case
            when per_persona.final_status <> 'fail' then null
            when per_persona.final_error like 'validation failed:%'
                then 'validation: ' || trim(substr(per_persona.final_error, 19))
            when per_persona.final_error like 'unparseable completion%' then 'unparseable_completion'
            else coalesce(
                nullif(
                    regexp_extract(per_persona.final_error, '([A-Za-z_.]*(?:Error|Exception|Timeout))', 1), ''
                ),
                left(per_persona.final_error, 60)
            )
        end as failure_reason,
        per_persona.final_model,
        per_persona.is_cached,
        per_persona.opening_move,
        per_persona.anchors_used,
        per_persona.constraint_categories,
        per_persona.final_validator_scores['trait_leak'] as trait_leak_score,
        per_persona.final_validator_scores['opening_variation'] as opening_variation_score,
        per_persona.final_validator_scores['pollyanna'] as pollyanna_score,
        per_persona.final_validator_scores['anchor_specificity'] as anchor_specificity_score,
        per_persona.final_validator_scores['length'] as length_score,
        per_persona.final_validator_scores['language'] as language_score,
        per_persona.final_validator_scores['consistency'] as consistency_score,
        per_persona.latency_ms,
        per_persona.paid_attempt_latencies_ms,
        per_persona.prompt_tokens,
        per_persona.completion_tokens,
        per_persona.total_tokens,
        per_persona.cost_usd,
        per_persona.started_at,
        per_persona.finished_at
    from cores
    left join per_persona
        on cores.persona_id = per_persona.persona_id

)

select * from final
