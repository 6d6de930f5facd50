with

source as (

    select * from {{ ref('assumption_age_sex_adults_2024') }}

),

final as (

    -- types come from the seed's column_types; names are read by the Python package as they are
    select
        age_band,
        age_group,
        age_min,
        age_max,
        sex,
        population_est,
        share_of_adults_pct,
        share_within_sex_pct,
        sex_ratio_m_per_100f,
        status,
        basis
    from source

)

select * from final
