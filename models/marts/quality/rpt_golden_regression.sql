-- One row per golden regression metric: the current narration of the 200 golden cores vs the baseline seed.
with

narrated as (

    select * from {{ ref('int_golden_narrated') }}

),

baseline as (

    select * from {{ ref('stg_golden__golden_baseline') }}

),

field_values as (

    unpivot (
        select
            persona_id,
            {{ narrative_text_fields() | join(',\n            ') }}
        from narrated
    )
    on {{ narrative_text_fields() | join(', ') }}
    into name field value text

),

duplicated as (

    -- records with at least one field text identical to the same field of another golden record
    select distinct persona_id
    from (
        select
            persona_id,
            count(*) over (partition by field, text) as n_same
        from field_values
        where trim(text) <> ''
    ) as field_counts
    where n_same > 1

),

current_metrics as (

    select
        'validator_pass_rate_pct' as metric,
        100 * avg((status = 'ok')::int) as current_value
    from narrated
    union all
    select
        'mean_repairs_per_record' as metric,
        avg(greatest(attempts - 1, 0)) as current_value
    from narrated
    union all
    select
        'duplication_rate_pct' as metric,
        100 * (select count(*) from duplicated) / count(*) as current_value
    from narrated
    union all
    select
        'contradiction_rate_pct' as metric,
        100 * avg((coalesce(validator_scores.consistency, 0) < 1)::int) as current_value
    from narrated

),

final as (

    select
        baseline.metric,
        baseline.unit,
        baseline.baseline_value,
        current_metrics.current_value,
        current_metrics.current_value - baseline.baseline_value as difference,
        baseline.tolerance,
        abs(current_metrics.current_value - baseline.baseline_value) <= baseline.tolerance + 1e-9
            as is_within_tolerance
    from baseline
    left join current_metrics on baseline.metric = current_metrics.metric

)

select * from final
