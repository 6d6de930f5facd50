-- One row per tier: the metrics spec's per-tier summary, drift slopes and the scale-harness figures.
with

batches as (

    select * from {{ ref('fct_generation_batches') }}

),

personas as (

    select * from {{ ref('fct_generation_personas') }}
    where is_logged

),

latencies as (

    select
        tier,
        unnest(paid_attempt_latencies_ms) as latency_ms
    from personas

),

latency_stats as (

    select
        tier,
        {{ latency_summary('latency_ms') }}
    from latencies
    group by all

),

openings as (

    select
        tier,
        opening_move,
        count(*) as n
    from personas
    group by all

),

opening_entropy as (

    select
        tier,
        -sum(n / total * log2(n / total)) as opening_move_entropy_bits
    from (
        select
            *,
            sum(n) over (partition by tier) as total
        from openings
    ) as with_totals
    group by all

),

runs as (

    -- Wall time of each run: first call start to last attempt end (idle time between runs excluded).
    select
        tier,
        run_id,
        count(*) as n_personas,
        epoch_ms(max(finished_at)) - epoch_ms(min(started_at)) as span_ms
    from personas
    group by all

),

run_totals as (

    select
        tier,
        count(*) as n_runs,
        sum(span_ms) / 60000 as generation_minutes
    from runs
    group by all

),

trends as (

    -- Least-squares slopes over batch_index. Rates and scores in points (x100), entropy in bits.
    select
        tier,
        count(*) as n_batches,
        regr_slope(100 * repair_rate, batch_index) as repair_rate_trend_pts_per_batch,
        regr_slope(mean_latency_ms, batch_index) as latency_trend_ms_per_batch,
        regr_intercept(mean_latency_ms, batch_index) as latency_fitted_first_batch_ms,
        regr_slope(opening_move_entropy_bits, batch_index) as opening_entropy_trend_bits_per_batch,
        regr_slope(100 * mean_pollyanna_score, batch_index) as pollyanna_trend_pts_per_batch,
        -- standard errors of the slopes: sqrt(SSE / (n - 2) / Sxx); null below 3 batches
        {%- for name, expr in [
            ('repair_rate', '100 * repair_rate'),
            ('latency', 'mean_latency_ms'),
            ('opening_entropy', 'opening_move_entropy_bits'),
            ('pollyanna', '100 * mean_pollyanna_score'),
        ] %}
            case
                when regr_count({{ expr }}, batch_index) > 2 and regr_sxx({{ expr }}, batch_index) > 0 then
                    sqrt(greatest(
                        regr_syy({{ expr }}, batch_index)
                        - regr_sxy({{ expr }}, batch_index) ^ 2 / regr_sxx({{ expr }}, batch_index), 0
                    ) / (regr_count({{ expr }}, batch_index) - 2) / regr_sxx({{ expr }}, batch_index))
            end as {{ name }}_trend_se{% if not loop.last %},{% endif %}
        {%- endfor %}
    from batches
    group by all

),

totals as (

    select
        tier,
        any_value(checkpoint_interval) as checkpoint_interval,
        sum(n_personas) as n_personas,
        sum(n_personas_logged) as n_personas_logged,
        sum(n_personas_logged) / sum(n_personas) as log_coverage_rate,
        sum(success_rate * n_personas_logged) / sum(n_personas_logged) as success_rate,
        sum(repair_rate * n_personas_logged) / sum(n_personas_logged) as repair_rate,
        sum(failure_rate * n_personas_logged) / sum(n_personas_logged) as failure_rate,
        sum(n_attempts) as n_attempts,
        sum(n_retries) as n_retries,
        sum(mean_pollyanna_score * n_personas_logged) / sum(n_personas_logged) as mean_pollyanna_score,
        min(anchor_diversity_250) as min_anchor_diversity_250,
        sum(anchor_diversity_250 * n_personas_logged) / sum(n_personas_logged) as anchor_diversity_250,
        sum(prompt_tokens) as prompt_tokens,
        sum(completion_tokens) as completion_tokens,
        sum(total_tokens) as total_tokens,
        sum(cost_usd) as cost_usd,
        sum(cost_usd_spec_estimate) as cost_usd_spec_estimate,
        min(opening_move_entropy_bits) as min_batch_opening_entropy_bits,
        max(mean_pollyanna_score) as max_batch_pollyanna_score,
        max(repair_rate) as max_batch_repair_rate
    from batches
    group by all

),

joined as (

    select
        totals.*,
        latency_stats.mean_latency_ms,
        latency_stats.p50_latency_ms,
        latency_stats.p95_latency_ms,
        latency_stats.p99_latency_ms,
        opening_entropy.opening_move_entropy_bits,
        run_totals.n_runs,
        run_totals.generation_minutes,
        totals.n_personas_logged / nullif(run_totals.generation_minutes, 0) as throughput_personas_per_min,
        totals.cost_usd / nullif(totals.n_personas_logged, 0) * 1000 as cost_usd_per_1k_personas,
        trends.n_batches,
        trends.repair_rate_trend_pts_per_batch,
        trends.repair_rate_trend_se,
        trends.latency_trend_ms_per_batch,
        trends.latency_trend_se,
        100 * trends.latency_trend_ms_per_batch * (trends.n_batches - 1)
        / nullif(trends.latency_fitted_first_batch_ms, 0) as latency_change_pct,
        trends.opening_entropy_trend_bits_per_batch,
        trends.opening_entropy_trend_se,
        trends.pollyanna_trend_pts_per_batch,
        trends.pollyanna_trend_se
    from totals
    left join latency_stats on totals.tier = latency_stats.tier
    left join opening_entropy on totals.tier = opening_entropy.tier
    left join run_totals on totals.tier = run_totals.tier
    left join trends on totals.tier = trends.tier

),

flagged as (

    -- A trend alerts when it passes the spec's bound AND is at least 2 standard errors from zero
    -- (with 4-5 batches, sampling noise alone would otherwise trip the repair and pollyanna rules).
    select
        *,
        coalesce(
            repair_rate_trend_pts_per_batch > 0.5
            and (repair_rate_trend_se is null or repair_rate_trend_pts_per_batch > 2 * repair_rate_trend_se),
            false
        ) as is_repair_rate_drifting,
        coalesce(
            opening_entropy_trend_bits_per_batch < -0.1
            and (
                opening_entropy_trend_se is null
                or opening_entropy_trend_bits_per_batch < -2 * opening_entropy_trend_se
            ),
            false
        ) as is_opening_entropy_drifting,
        coalesce(
            pollyanna_trend_pts_per_batch > 0.2
            and (pollyanna_trend_se is null or pollyanna_trend_pts_per_batch > 2 * pollyanna_trend_se),
            false
        ) as is_pollyanna_drifting,
        coalesce(
            latency_change_pct > 20
            and (latency_trend_se is null or latency_trend_ms_per_batch > 2 * latency_trend_se),
            false
        ) as is_latency_drifting
    from joined

),

final as (

    select
        *,
        is_repair_rate_drifting or is_opening_entropy_drifting or is_pollyanna_drifting as drift_detected
    from flagged

)

select * from final
