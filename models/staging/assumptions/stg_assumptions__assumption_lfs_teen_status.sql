with

source as (

    select * from {{ ref('assumption_lfs_teen_status') }}

),

final as (

    -- types come from the seed's column_types; names are read by the Python package as they are
    select
        employment_status,
        share_pct,
        basis
    from source

)

select * from final
