with

source as (

    select * from {{ ref('assumption_ethnicity_locality_cells') }}

),

final as (

    -- types come from the seed's column_types; names are read by the Python package as they are
    select
        locality_code,
        locality_name,
        ethnicity,
        pct,
        basis
    from source

)

select * from final
