with

source as (

    select * from {{ ref('assumption_isco_major_by_sex_area') }}

),

final as (

    -- types come from the seed's column_types; names are read by the Python package as they are
    select
        isco_major,
        isco_label,
        sex,
        residence_type,
        share_pct,
        status,
        basis
    from source

)

select * from final
