-- One row per (tier, batch, issue): repair types and failure reasons with their counts.
with

personas as (

    select * from {{ ref('fct_generation_personas') }}
    where is_logged

),

batch_sizes as (

    select
        tier,
        batch_index,
        count(*) as n_personas_logged
    from personas
    group by all

),

repairs as (

    select
        tier,
        batch_index,
        'repair' as issue_kind,
        unnest(repair_types) as issue,
        persona_id
    from personas

),

failures as (

    select
        tier,
        batch_index,
        'failure' as issue_kind,
        failure_reason as issue,
        persona_id
    from personas
    where final_status = 'fail'

),

issues as (

    select * from repairs
    union all
    select * from failures

),

final as (

    select
        issues.tier,
        issues.batch_index,
        issues.issue_kind,
        issues.issue,
        count(distinct issues.persona_id) as n_personas,
        count(distinct issues.persona_id) / any_value(batch_sizes.n_personas_logged) as share_of_batch
    from issues
    inner join batch_sizes
        on issues.tier = batch_sizes.tier and issues.batch_index = batch_sizes.batch_index
    group by all

)

select * from final
