with

source as (

    select * from {{ ref('age_10yr_nbs_estimate_2024_approx') }}

),

renamed as (

    select
        cast(age_group as varchar) as age_group,
        cast(sex as varchar) as sex,
        cast(population as bigint) as population,
        cast(pct_of_total as double) as pct_of_total,
        cast(reference_date as date) as reference_date,
        cast(source_id as varchar) as source_id,
        cast(status as varchar) as status
    from source

)

select * from renamed
