-- How closely stage-A raking met each margin (int_census_model.raking_report).
with

census_model as (

    select * from {{ ref('int_census_model') }}

),

margins as (

    select unnest(census_model.raking_report) as raked
    from census_model

),

final as (

    select
        raked.margin,
        raked.max_relative_deviation,
        raked.raking_passes
    from margins

)

select * from final
