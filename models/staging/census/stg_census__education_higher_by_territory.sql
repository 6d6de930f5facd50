with

source as (

    select * from {{ ref('education_higher_by_territory') }}

),

renamed as (

    select
        cast(territory_type as varchar) as territory_type,
        cast(territory as varchar) as territory,
        cast(cuatm_code as varchar) as cuatm_code,
        cast(higher_education_pct as double) as higher_education_pct,
        cast(age_universe as varchar) as age_universe,
        cast(source_id as varchar) as source_id,
        cast(status as varchar) as status,
        cast(note as varchar) as note
    from source

)

select * from renamed
