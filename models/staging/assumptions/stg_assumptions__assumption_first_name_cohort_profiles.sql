with

source as (

    select * from {{ ref('assumption_first_name_cohort_profiles') }}

),

final as (

    -- types come from the seed's column_types
    select
        sex,
        first_name,
        cohort_profile
    from source

)

select * from final
