with

source as (

    select * from {{ ref('assumption_education_by_age_sex_area') }}

),

final as (

    -- types come from the seed's column_types; names are read by the Python package as they are
    select
        age_group,
        sex,
        residence_type,
        education_level,
        share_pct,
        status,
        basis
    from source

)

select * from final
