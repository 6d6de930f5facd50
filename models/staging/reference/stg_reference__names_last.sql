with

source as (

    select * from {{ ref('names_last') }}

),

final as (

    -- types come from the seed's column_types
    select
        name_pool,
        last_name_male,
        last_name_female,
        weight,
        source
    from source

)

select * from final
