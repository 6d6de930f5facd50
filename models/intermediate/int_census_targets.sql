-- The adult-universe targets the census model was raked to (int_census_model.targets); the fit
-- mart tests every tier against them.
with

census_model as (

    select * from {{ ref('int_census_model') }}

),

targets as (

    select unnest(census_model.targets) as census_target
    from census_model

),

final as (

    select
        census_target.census_table,
        census_target.group_value,
        census_target.category,
        census_target.expected_share,
        census_target.published_share,
        census_target.note
    from targets

)

select * from final
