with

source as (

    select * from {{ ref('assumption_marital_status_by_age_sex') }}

),

final as (

    -- types come from the seed's column_types; names are read by the Python package as they are
    select
        age_group,
        sex,
        marital_status,
        share_pct,
        status,
        basis
    from source

)

select * from final
