with

source as (

    select * from {{ ref('names_first') }}

),

final as (

    -- types come from the seed's column_types
    select
        name_pool,
        sex,
        first_name,
        weight,
        source
    from source

)

select * from final
