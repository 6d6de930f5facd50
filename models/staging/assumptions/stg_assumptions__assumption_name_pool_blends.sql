with

source as (

    select * from {{ ref('assumption_name_pool_blends') }}

),

final as (

    -- types come from the seed's column_types
    select
        ethnicity,
        name_part,
        name_pool,
        share,
        reasoning
    from source

)

select * from final
