with

names as (

    select * from {{ ref('stg_reference__names_first') }}

),

blends as (

    select * from {{ ref('stg_assumptions__assumption_name_pool_blends') }}
    where name_part = 'first'

),

profiles as (

    select * from {{ ref('stg_assumptions__assumption_first_name_cohort_profiles') }}

),

multipliers as (

    select * from {{ ref('stg_assumptions__assumption_first_name_cohort_multipliers') }}

),

cohorts as (

    select distinct
        birth_cohort,
        birth_year_from,
        birth_year_to
    from multipliers

),

pool_shares as (

    -- each pool is a distribution of its own: weights are shares in the pool's country
    select
        name_pool,
        sex,
        first_name,
        weight / sum(weight) over (partition by name_pool, sex) as pool_share
    from names

),

blended as (

    select
        blends.ethnicity,
        pool_shares.sex,
        pool_shares.first_name,
        sum(blends.share * pool_shares.pool_share) as base_share
    from blends
    inner join pool_shares
        on blends.name_pool = pool_shares.name_pool
    group by all

),

coverage as (

    -- 1 when every pool a blend names has names of that sex; below 1 a pool is missing
    select
        ethnicity,
        sex,
        sum(base_share) as blend_coverage
    from blended
    group by all

),

by_cohort as (

    select
        blended.ethnicity,
        blended.sex,
        cohorts.birth_cohort,
        cohorts.birth_year_from,
        cohorts.birth_year_to,
        blended.first_name,
        coalesce(profiles.cohort_profile, 'flat') as cohort_profile,
        blended.base_share * multipliers.multiplier as cohort_weight
    from blended
    cross join cohorts
    left join profiles
        on
            blended.sex = profiles.sex
            and blended.first_name = profiles.first_name
    inner join multipliers
        on
            coalesce(profiles.cohort_profile, 'flat') = multipliers.cohort_profile
            and cohorts.birth_cohort = multipliers.birth_cohort

),

final as (

    select
        by_cohort.ethnicity,
        by_cohort.sex,
        by_cohort.birth_cohort,
        by_cohort.birth_year_from,
        by_cohort.birth_year_to,
        by_cohort.first_name,
        by_cohort.cohort_profile,
        -- rounded: DuckDB's parallel sums differ in the last bits from run to run, and the sampler's
        -- draws must not (same seed, same names)
        round(
            by_cohort.cohort_weight
            / sum(by_cohort.cohort_weight) over (
                partition by by_cohort.ethnicity, by_cohort.sex, by_cohort.birth_cohort
            ),
            12
        ) as probability,
        round(coverage.blend_coverage, 12) as blend_coverage
    from by_cohort
    inner join coverage
        on
            by_cohort.ethnicity = coverage.ethnicity
            and by_cohort.sex = coverage.sex

)

select * from final
