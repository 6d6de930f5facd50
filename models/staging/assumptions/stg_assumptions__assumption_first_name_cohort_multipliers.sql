with

source as (

    select * from {{ ref('assumption_first_name_cohort_multipliers') }}

),

final as (

    -- types come from the seed's column_types
    select
        cohort_profile,
        birth_cohort,
        birth_year_from,
        birth_year_to,
        multiplier
    from source

)

select * from final
