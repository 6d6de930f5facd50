with

source as (

    select * from {{ ref('population_by_raion') }}

),

renamed as (

    select
        cast(cuatm_code as varchar) as raion_code,
        cast(raion as varchar) as raion,
        cast(raion_ascii as varchar) as raion_ascii,
        cast(unit_type as varchar) as unit_type,
        cast(region as varchar) as region,
        cast(population as bigint) as population,
        cast(urban as bigint) as urban_population,
        cast(rural as bigint) as rural_population,
        cast(urban_pct as double) as urban_pct,
        cast(largest_town as varchar) as largest_town,
        cast(largest_town_population as bigint) as largest_town_population,
        cast(pop_grp1_under_working_age as bigint) as under_working_age_population,
        cast(pop_grp2_working_age as bigint) as working_age_population,
        cast(pop_grp3_over_working_age as bigint) as over_working_age_population,
        cast(age_group_note as varchar) as age_group_note
    from source

)

select * from renamed
