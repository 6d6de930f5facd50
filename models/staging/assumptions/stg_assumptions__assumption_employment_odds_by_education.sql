with

source as (

    select * from {{ ref('assumption_employment_odds_by_education') }}

),

final as (

    -- types come from the seed's column_types; names are read by the Python package as they are
    select
        education_level,
        employment_odds,
        basis
    from source

)

select * from final
