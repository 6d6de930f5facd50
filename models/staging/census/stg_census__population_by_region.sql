with

source as (

    select * from {{ ref('population_by_region') }}

),

renamed as (

    select
        cast(region as varchar) as region,
        region = 'TOTAL' as is_national_total,
        cast(population as bigint) as population,
        cast(urban as bigint) as urban_population,
        cast(rural as bigint) as rural_population,
        cast(urban_pct as double) as urban_pct,
        cast(share_of_national_pct as double) as share_of_national_pct,
        cast(nbs_published_thousands as double) as nbs_published_thousands,
        cast(pop_grp1_under_working_age as bigint) as under_working_age_population,
        cast(pop_grp2_working_age as bigint) as working_age_population,
        cast(pop_grp3_over_working_age as bigint) as over_working_age_population,
        cast(units_included as varchar) as units_included
    from source

)

select * from renamed
