with

source as (

    select * from {{ ref('ethnicity_national') }}

),

renamed as (

    -- labels already equal the schema.py ETHNICITIES codes (plus 'Not declared')
    select
        cast(ethnicity as varchar) as ethnicity,
        cast(count_thousands as double) as population_thousands,
        cast(pct_of_total_final as double) as pct_of_total,
        cast(pct_of_total_final_2dp as double) as pct_of_total_2dp,
        cast(pct_of_declared_preliminary as double) as pct_of_declared_preliminary,
        cast(source_id as varchar) as source_id,
        cast(status as varchar) as status
    from source

)

select * from renamed
