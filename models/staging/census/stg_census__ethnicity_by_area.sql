with

source as (

    select * from {{ ref('ethnicity_by_area') }}

),

renamed as (

    select
        cast(area as varchar) as residence_type,
        cast(ethnicity as varchar) as ethnicity,
        cast(pct_of_area_population as double) as pct_of_residence_type,
        cast(source_id as varchar) as source_id,
        cast(status as varchar) as status
    from source

)

select * from renamed
