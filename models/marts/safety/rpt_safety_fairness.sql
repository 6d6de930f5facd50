{#
    Gate 3, distribution fairness: ethnicity and religion shares of the released tier within
    +-`max_relative_deviation` (relative) of the census (int_census_targets, adult-universe expected
    shares). Categories expecting fewer than `min_expected` personas cannot be judged at this size:
    a deviation there is a warning, not a failure.
#}
{%- set max_relative_deviation = var('safety_max_relative_deviation', 0.15) -%}
{%- set min_expected = var('safety_min_expected_count', 20) -%}

with

personas as (

    select * from {{ ref('fct_personas') }}

),

targets as (

    select * from {{ ref('int_census_targets') }}
    where
        census_table in ('census__ethnicity_national', 'census__religion_national')
        and group_value = 'all'

),

observed as (

    select
        'ethnicity' as dimension,
        ethnicity as category,
        count(*) as n_observed
    from personas
    group by all
    union all
    select
        'religion' as dimension,
        religion as category,
        count(*) as n_observed
    from personas
    group by all

),

total as (

    select count(*) as n_personas from personas

),

compared as (

    select
        case when targets.census_table = 'census__ethnicity_national' then 'ethnicity' else 'religion' end
            as dimension,
        targets.census_table,
        targets.category,
        total.n_personas,
        coalesce(observed.n_observed, 0) as n_observed,
        targets.expected_share,
        coalesce(observed.n_observed, 0) / total.n_personas as observed_share,
        targets.expected_share * total.n_personas as expected_n
    from targets
    cross join total
    left join observed
        on
            targets.category = observed.category
            and observed.dimension
            = case
                when targets.census_table = 'census__ethnicity_national' then 'ethnicity' else 'religion'
            end

),

final as (

    select
        dimension,
        census_table,
        category,
        n_personas,
        n_observed,
        round(expected_n, 1) as expected_n,
        round(observed_share, 6) as observed_share,
        round(expected_share, 6) as expected_share,
        round(observed_share / nullif(expected_share, 0) - 1, 4) as relative_deviation,
        {{ max_relative_deviation }} as max_relative_deviation,
        expected_n >= {{ min_expected }} as is_judged,
        case
            when abs(observed_share / nullif(expected_share, 0) - 1) <= {{ max_relative_deviation }} then 'ok'
            when expected_n >= {{ min_expected }} then 'critical'
            else 'warning'
        end as severity
    from compared

)

select * from final
order by dimension asc, expected_share desc
