with

source as (

    select * from {{ ref('assumption_status_age_rules') }}

),

final as (

    -- types come from the seed's column_types; names are read by the Python package as they are
    select
        employment_status,
        min_age_band_start,
        max_age_band_start,
        basis
    from source

)

select * from final
