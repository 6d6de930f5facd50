with

source as (

    select * from {{ ref('assumption_open_age_group') }}

),

final as (

    -- types come from the seed's column_types; names are read by the Python package as they are
    select
        age_from,
        age_to,
        yearly_ratio,
        basis
    from source

)

select * from final
