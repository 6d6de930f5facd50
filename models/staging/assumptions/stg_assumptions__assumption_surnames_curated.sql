with

source as (

    select * from {{ ref('assumption_surnames_curated') }}

),

final as (

    -- types come from the seed's column_types
    select
        name_pool,
        last_name_male,
        last_name_female,
        frequency_tier,
        weight
    from source

)

select * from final
