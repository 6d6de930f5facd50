with

source as (

    select * from {{ ref('big_five_descriptions') }}

),

final as (

    -- types come from the seed's column_types; names are read by the Python package as they are
    select
        trait,
        label,
        t_min,
        t_max,
        description_ro
    from source

)

select * from final
