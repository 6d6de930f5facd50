with

source as (

    select * from {{ ref('lfs_unemployed_by_age_sex_2024') }}

),

final as (

    -- types come from the seed's column_types; names are read by the Python package as they are
    select
        age_group,
        sex,
        unemployed_thousands,
        year,
        universe,
        status,
        source,
        note
    from source

)

select * from final
