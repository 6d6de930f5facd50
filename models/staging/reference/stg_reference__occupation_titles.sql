with

source as (

    select * from {{ ref('occupation_titles') }}

),

final as (

    -- types come from the seed's column_types; names are read by the Python package as they are
    select
        isco_major,
        isco_sub_major,
        title_male,
        title_female,
        min_education,
        residence,
        weight
    from source

)

select * from final
