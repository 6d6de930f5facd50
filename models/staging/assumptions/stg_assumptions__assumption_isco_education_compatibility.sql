with

source as (

    select * from {{ ref('assumption_isco_education_compatibility') }}

),

final as (

    -- types come from the seed's column_types; names are read by the Python package as they are
    select
        isco_major,
        education_level,
        allowed,
        relative_weight,
        isco_skill_level,
        status,
        basis
    from source

)

select * from final
