with

source as (

    select * from {{ ref('assumption_education_attainment_age_10_17') }}

),

final as (

    -- types come from the seed's column_types; names are read by the Python package as they are
    select
        age_min,
        age_max,
        education_level,
        share_pct,
        basis
    from source

)

select * from final
