with

source as (

    select * from {{ ref('assumption_occupation_unit_group_weights') }}

),

final as (

    -- types come from the seed's column_types
    select
        isco_unit_group,
        unit_group_title_ro,
        isco_major,
        prevalence_class,
        relative_weight,
        female_share_pct,
        urban_share_pct,
        reasoning
    from source

)

select * from final
