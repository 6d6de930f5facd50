-- One row per (tier, batch): the metrics spec's per-batch aggregation over the persona narrations.
with

personas as (

    select * from {{ ref('fct_generation_personas') }}

),

logged as (

    select * from personas
    where is_logged

),

latencies as (

    select
        tier,
        batch_index,
        unnest(paid_attempt_latencies_ms) as latency_ms
    from logged

),

latency_stats as (

    select
        tier,
        batch_index,
        count(*) as n_paid_attempts,
        {{ latency_summary('latency_ms') }}
    from latencies
    group by all

),

openings as (

    select
        tier,
        batch_index,
        opening_move,
        count(*) as n
    from logged
    group by all

),

opening_entropy as (

    select
        tier,
        batch_index,
        -sum(n / total * log2(n / total)) as opening_move_entropy_bits,
        count(*) as n_opening_moves
    from (
        select
            *,
            sum(n) over (partition by tier, batch_index) as total
        from openings
    ) as with_totals
    group by all

),

anchors as (

    select
        tier,
        batch_index,
        count(distinct anchor) as n_distinct_anchors
    from (
        select
            tier,
            batch_index,
            unnest(anchors_used) as anchor
        from logged
    ) as batch_anchors
    group by all

),

anchor_windows as (

    select
        tier,
        batch_index,
        window_250_index,
        count(distinct persona_id) as n_personas,
        count(distinct anchor) as n_distinct_anchors
    from (
        select
            tier,
            batch_index,
            window_250_index,
            persona_id,
            unnest(anchors_used) as anchor
        from logged
    ) as window_anchors
    group by all

),

anchor_windowed as (

    -- Full 250-persona windows only, unless the batch has none (tiny fixtures).
    select
        tier,
        batch_index,
        coalesce(
            avg(n_distinct_anchors / n_personas) filter (where n_personas >= 250),
            avg(n_distinct_anchors / n_personas)
        ) as anchor_diversity_250
    from anchor_windows
    group by all

),

base as (

    select
        tier,
        batch_index,
        any_value(checkpoint_interval) as checkpoint_interval,
        min(persona_index) as first_persona_index,
        max(persona_index) as last_persona_index,
        count(*) as n_personas,
        count(*) filter (where is_logged) as n_personas_logged,
        count(*) filter (where is_logged) / count(*) as log_coverage_rate,
        count(*) filter (where is_success) / count(*) filter (where is_logged) as success_rate,
        count(*) filter (where has_repairs) / count(*) filter (where is_logged) as repair_rate,
        count(*) filter (where final_status = 'fail') / count(*) filter (where is_logged) as failure_rate,
        sum(n_attempts) as n_attempts,
        sum(n_retries) as n_retries,
        sum(n_attempts) / count(*) filter (where is_logged) as mean_attempts_per_persona,
        count(*) filter (where is_success) / sum(n_attempts) as attempt_success_rate,
        avg(trait_leak_score) as mean_trait_leak_score,
        avg(opening_variation_score) as mean_opening_variation_score,
        avg(pollyanna_score) as mean_pollyanna_score,
        avg(anchor_specificity_score) as mean_anchor_specificity_score,
        avg(length_score) as mean_length_score,
        avg(language_score) as mean_language_score,
        avg(consistency_score) as mean_consistency_score,
        sum(prompt_tokens) as prompt_tokens,
        sum(completion_tokens) as completion_tokens,
        sum(total_tokens) as total_tokens,
        sum(cost_usd) as cost_usd,
        sum(total_tokens) * 0.00045 / 1000 as cost_usd_spec_estimate,
        count(*) filter (where is_cached) as n_personas_cached,
        min(started_at) as started_at,
        max(finished_at) as finished_at
    from personas
    group by all

),

final as (

    select
        base.tier,
        base.batch_index,
        base.checkpoint_interval,
        base.first_persona_index,
        base.last_persona_index,
        base.n_personas,
        base.n_personas_logged,
        base.log_coverage_rate,
        base.success_rate,
        base.attempt_success_rate,
        base.repair_rate,
        base.failure_rate,
        base.n_attempts,
        base.n_retries,
        base.mean_attempts_per_persona,
        latency_stats.n_paid_attempts,
        latency_stats.mean_latency_ms,
        latency_stats.p50_latency_ms,
        latency_stats.p95_latency_ms,
        latency_stats.p99_latency_ms,
        base.mean_trait_leak_score,
        base.mean_opening_variation_score,
        base.mean_pollyanna_score,
        base.mean_anchor_specificity_score,
        base.mean_length_score,
        base.mean_language_score,
        base.mean_consistency_score,
        opening_entropy.n_opening_moves,
        opening_entropy.opening_move_entropy_bits,
        anchors.n_distinct_anchors,
        anchors.n_distinct_anchors / base.n_personas_logged as anchor_diversity,
        anchor_windowed.anchor_diversity_250,
        base.prompt_tokens,
        base.completion_tokens,
        base.total_tokens,
        base.cost_usd,
        base.cost_usd_spec_estimate,
        base.n_personas_cached,
        base.started_at,
        base.finished_at,
        base.n_personas_logged
        / nullif(epoch_ms(base.finished_at) - epoch_ms(base.started_at), 0)
        * 60000 as throughput_personas_per_min
    from base
    left join latency_stats
        on base.tier = latency_stats.tier and base.batch_index = latency_stats.batch_index
    left join opening_entropy
        on base.tier = opening_entropy.tier and base.batch_index = opening_entropy.batch_index
    left join anchors
        on base.tier = anchors.tier and base.batch_index = anchors.batch_index
    left join anchor_windowed
        on base.tier = anchor_windowed.tier and base.batch_index = anchor_windowed.batch_index

)

select * from final
