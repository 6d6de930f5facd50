with

source as (

    select * from {{ ref('assumption_big_five_params') }}

),

final as (

    -- types come from the seed's column_types; names are read by the Python package as they are
    select
        param_type,
        trait,
        trait_2,
        stratum,
        value,
        unit,
        source
    from source

)

select * from final
