with

source as (

    select * from {{ ref('ethnicity_age_profile') }}

),

renamed as (

    select
        cast(ethnicity as varchar) as ethnicity,
        cast(age_group as varchar) as age_group,
        cast(pct_of_ethnic_group as double) as pct_of_ethnic_group,
        cast(source_id as varchar) as source_id,
        cast(status as varchar) as status
    from source

)

select * from renamed
