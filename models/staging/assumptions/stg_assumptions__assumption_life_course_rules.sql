with

source as (

    select * from {{ ref('assumption_life_course_rules') }}

),

final as (

    -- types come from the seed's column_types; names are read by the Python package as they are
    select
        attribute,
        value,
        min_age,
        max_age,
        full_from_age,
        fade_from_age,
        fade_to_age,
        fade_floor,
        reasoning
    from source

)

select * from final
