with

titles as (

    select * from {{ ref('stg_reference__occupation_titles') }}

),

unit_groups as (

    select * from {{ ref('stg_assumptions__assumption_occupation_unit_group_weights') }}

),

joined as (

    select
        titles.cor_code,
        titles.isco_unit_group,
        titles.isco_major,
        titles.title_m,
        titles.title_f,
        titles.min_education,
        titles.residence,
        titles.min_age,
        titles.title_share,
        unit_groups.prevalence_class,
        unit_groups.relative_weight as unit_group_weight,
        unit_groups.female_share_pct,
        unit_groups.urban_share_pct,
        sum(titles.title_share) over (partition by titles.isco_unit_group) as unit_group_share_total
    from titles
    left join unit_groups
        on titles.isco_unit_group = unit_groups.isco_unit_group

),

final as (

    select
        *,
        -- share of the unit group among its major group's workers, split over the group's titles
        unit_group_weight * title_share / unit_group_share_total as title_weight
    from joined

)

select * from final
order by isco_unit_group, coalesce(title_m, title_f)
