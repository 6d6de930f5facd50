with

source as (

    select * from {{ ref('constraints') }}

),

final as (

    -- types come from the seed's column_types; names are read by the Python package as they are
    select
        constraint_id,
        category,
        residence,
        min_age,
        max_age,
        employment,
        detail_male,
        detail_female,
        consequence_male,
        consequence_female
    from source

)

select * from final
