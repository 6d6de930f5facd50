-- rpt_census_fit must carry a row for every census table the model was fitted to, in every built
-- tier: a table dropped from the report would silently leave the gate. One row per missing pair.
with

targets as (

    select distinct census_table from {{ ref('int_census_targets') }}

),

tiers as (

    select distinct tier from {{ ref('fct_census_fit_cells') }}

),

report as (

    select * from {{ ref('rpt_census_fit') }}

),

expected as (

    select
        tiers.tier,
        targets.census_table
    from tiers
    cross join targets

),

final as (

    select
        expected.tier,
        expected.census_table,
        'rpt_census_fit has no row for ' || expected.census_table || ' in ' || expected.tier
        || ' although int_census_targets lists it' as problem
    from expected
    left join report
        on
            expected.tier = report.tier
            and expected.census_table = report.census_table
    where report.census_table is null

)

select * from final
