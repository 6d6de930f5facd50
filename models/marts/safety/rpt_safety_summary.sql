-- One row per safety gate: counts of critical and warning results; the release contract reads it.
with

findings as (

    select * from {{ ref('fct_safety_findings') }}

),

determinism as (

    select * from {{ ref('rpt_safety_determinism') }}

),

fairness as (

    select * from {{ ref('rpt_safety_fairness') }}

),

results as (

    select
        gate,
        severity,
        persona_id || ' ' || field || ': ' || rule || ' "' || matched_text || '"' as item
    from findings
    union all
    select
        'determinism' as gate,
        severity,
        group_attribute || '=' || group_value || ' ' || dimension || '=' || category || ': ' || detail as item
    from determinism
    union all
    select
        'fairness' as gate,
        severity,
        dimension || '=' || category || ' ' || round(100 * observed_share, 2) || '% vs census '
        || round(100 * expected_share, 2) || '%' as item
    from fairness

),

gates as (

    select unnest(['sensitive_claims', 'pii', 'determinism', 'fairness']) as gate

),

final as (

    select
        gates.gate,
        count(*) filter (where results.severity = 'critical') as n_critical,
        count(*) filter (where results.severity = 'warning') as n_warning,
        count(*) filter (where results.severity = 'critical') = 0 as passed,
        coalesce(
            string_agg(results.item, ' | ' order by results.item) filter (
                where results.severity = 'critical'
            ),
            ''
        ) as critical_items
    from gates
    left join results
        on gates.gate = results.gate
    group by all

)

select * from final
order by gate
