{#
    Gate 2, protected-dimension determinism: does an ethnicity (or religion) force an outcome?
    One row per group x dimension x category: the share of the group holding the category, and the share the
    census-implied conditionals give the same members (education by age band x sex x residence; ISCO
    major group by sex x residence, employed members only). A category held by more than half of a group
    large enough to judge is `dominant`; critical when the census does not explain it (share above the
    implied share by more than `max_excess`), a warning when it does. Occupation titles have no implied
    share: a dominant title is critical.
#}
{%- set min_group_size = var('safety_min_group_size', 30) -%}
{%- set max_share = var('safety_max_group_share', 0.5) -%}
{%- set max_excess = var('safety_max_excess_over_census', 0.15) -%}

with

personas as (

    select * from {{ ref('fct_personas') }}

),

education_conditional as (

    select * from {{ ref('stg_assumptions__assumption_education_by_age_sex_area') }}

),

isco_conditional as (

    select * from {{ ref('stg_assumptions__assumption_isco_major_by_sex_area') }}

),

members as (

    select
        'ethnicity' as group_attribute,
        ethnicity as group_value,
        *
    from personas
    union all by name
    select
        'religion' as group_attribute,
        religion as group_value,
        *
    from personas

),

observed as (

    select
        group_attribute,
        group_value,
        'education_level' as dimension,
        education_level as category,
        count(*) as n_value
    from members
    group by all

    union all

    select
        group_attribute,
        group_value,
        'isco_major' as dimension,
        cast(isco_major as varchar) as category,
        count(*) as n_value
    from members
    where isco_major is not null
    group by all

    union all

    select
        group_attribute,
        group_value,
        'occupation' as dimension,
        occupation as category,
        count(*) as n_value
    from members
    where occupation is not null
    group by all

),

group_sizes as (

    select
        group_attribute,
        group_value,
        count(*) as n_group,
        count(isco_major) as n_employed
    from members
    group by all

),

implied_education as (

    select
        members.group_attribute,
        members.group_value,
        'education_level' as dimension,
        education_conditional.education_level as category,
        sum(education_conditional.share_pct / 100.0) as implied_n
    from members
    inner join education_conditional
        on
            members.age_group = education_conditional.age_group
            and members.sex = education_conditional.sex
            and members.residence_type = education_conditional.residence_type
    group by all

),

implied_isco as (

    select
        members.group_attribute,
        members.group_value,
        'isco_major' as dimension,
        cast(isco_conditional.isco_major as varchar) as category,
        sum(isco_conditional.share_pct / 100.0) as implied_n
    from members
    inner join isco_conditional
        on
            members.sex = isco_conditional.sex
            and members.residence_type = isco_conditional.residence_type
    where members.isco_major is not null
    group by all

),

implied as (

    select * from implied_education
    union all
    select * from implied_isco

),

compared as (

    select
        coalesce(observed.group_attribute, implied.group_attribute) as group_attribute,
        coalesce(observed.group_value, implied.group_value) as group_value,
        coalesce(observed.dimension, implied.dimension) as dimension,
        coalesce(observed.category, implied.category) as category,
        coalesce(observed.n_value, 0) as n_value,
        implied.implied_n
    from observed
    full outer join implied
        on
            observed.group_attribute = implied.group_attribute
            and observed.group_value = implied.group_value
            and observed.dimension = implied.dimension
            and observed.category = implied.category

),

shares as (

    select
        compared.group_attribute,
        compared.group_value,
        compared.dimension,
        compared.category,
        case
            when compared.dimension = 'education_level' then group_sizes.n_group else group_sizes.n_employed
        end
            as n_group,
        compared.n_value,
        compared.n_value / nullif(
            case
                when compared.dimension = 'education_level' then group_sizes.n_group else
                    group_sizes.n_employed
            end,
            0
        ) as held_share,
        compared.implied_n / nullif(
            case
                when compared.dimension = 'education_level' then group_sizes.n_group else
                    group_sizes.n_employed
            end,
            0
        ) as implied_share
    from compared
    inner join group_sizes
        on
            compared.group_attribute = group_sizes.group_attribute
            and compared.group_value = group_sizes.group_value

),

final as (

    select
        group_attribute,
        group_value,
        dimension,
        category,
        n_group,
        n_value,
        round(held_share, 4) as held_share,
        round(implied_share, 4) as implied_share,
        round(100 * (held_share - implied_share), 2) as deviation_pp,
        n_group >= {{ min_group_size }} as is_judged,
        n_group >= {{ min_group_size }} and held_share > {{ max_share }} as is_dominant,
        case
            when n_group < {{ min_group_size }} or held_share <= {{ max_share }} then 'ok'
            -- critical only beyond sampling noise: z > 4 (about a Bonferroni bound over the tests run
            -- here), so a 33-member group drawn from the census-implied distribution is not flagged
            when
                implied_share is null
                or (
                    held_share - implied_share > {{ max_excess }}
                    and (held_share - implied_share)
                    / sqrt(greatest(implied_share * (1 - implied_share), 1e-9) / n_group) > 4
                )
                then 'critical'
            else 'warning'
        end as severity,
        case
            when n_group < {{ min_group_size }} then 'group below {{ min_group_size }} members: not judged'
            when
                held_share <= {{ max_share }}
                then 'no category held by more than {{ (max_share * 100) | int }}% of the group'
            when implied_share is null
                then
                    category
                    || ' held by '
                    || round(100 * held_share, 1)
                    || '% of '
                    || group_value
                    || ' (no census-implied share)'
            else
                category || ' held by ' || round(100 * held_share, 1) || '% of ' || group_value
                || '; census-implied ' || round(100 * implied_share, 1) || '%'
        end as detail
    from shares

)

select * from final
order by group_attribute, group_value, dimension, category
