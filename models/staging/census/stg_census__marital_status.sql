with

source as (

    select * from {{ ref('marital_status') }}

),

renamed as (

    select
        case marital_status
            when 'never married' then 'never_married'
            else cast(marital_status as varchar)
        end as marital_status,
        cast(marital_status as varchar) as marital_status_label,
        cast(pct_2024 as double) as pct_2024,
        cast(pct_2014 as double) as pct_2014,
        cast(sex as varchar) as sex,
        cast(age_universe as varchar) as age_universe,
        cast(source_id as varchar) as source_id,
        cast(status as varchar) as status
    from source

)

select * from renamed
