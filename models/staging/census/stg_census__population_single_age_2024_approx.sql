with

source as (

    select * from {{ ref('population_single_age_2024_approx') }}

),

renamed as (

    select
        cast(age as integer) as age,
        -- 85 stands for "85 and over" (source code 102, see the seed yml)
        source_age_code = 102 as is_open_ended,
        cast(population as bigint) as population,
        cast(source_age_code as integer) as source_age_code,
        cast(reference_date as date) as reference_date,
        cast(note as varchar) as note,
        cast(source_id as varchar) as source_id,
        cast(status as varchar) as status
    from source

)

select * from renamed
