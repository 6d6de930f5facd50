-- The stage-B conditional tables of the census model (int_census_model.conditionals), long format.
with

census_model as (

    select * from {{ ref('int_census_model') }}

),

entries as (

    select unnest(census_model.conditionals) as entry
    from census_model

),

final as (

    select
        entry.distribution,
        entry.attribute,
        entry.raion,
        entry.sex,
        entry.age_group,
        entry.residence_type,
        entry.ethnicity,
        entry.education_level,
        entry.category,
        entry.probability,
        -- a condition nobody lives in (urban Dubăsari: the town lies beyond the Dniester) has all-zero
        -- rows; the sampler never draws it
        sum(entry.probability) over (
            partition by
                entry.distribution, entry.raion, entry.sex, entry.age_group, entry.residence_type,
                entry.ethnicity, entry.education_level
        ) = 0 as is_empty_condition
    from entries

)

select * from final
