with

source as (

    select * from {{ ref('occupation_titles') }}

),

final as (

    -- types come from the seed's column_types; names are read by the Python package as they are
    select
        cor_code,
        isco_unit_group,
        isco_sub_major,
        isco_major,
        title_m,
        title_f,
        feminine_form,
        min_education,
        residence,
        min_age,
        title_share,
        source
    from source

)

select * from final
