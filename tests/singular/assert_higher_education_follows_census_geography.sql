-- Higher education keeps the census geography in every built tier: urban > national > rural
-- (NBS 2024, population 10+: urban 30.3 %, national 19.1 %) and mun. Chișinău holds the highest share
-- of any unit (NBS: 36.7 %, next mun. Bălți 23.5 %). One row per tier that breaks a rule or lacks a
-- figure (a missing table fails too).
with

cells as (

    select * from {{ ref('fct_census_fit_cells') }}

),

shares as (

    select
        tier,
        max(
            case
                when census_table = 'census__education_by_area' and group_value = 'urban'
                    then observed_share
            end
        ) as urban_share,
        max(case when census_table = 'census__education_level' then observed_share end) as national_share,
        max(
            case
                when census_table = 'census__education_by_area' and group_value = 'rural'
                    then observed_share
            end
        ) as rural_share,
        max(
            case
                when census_table = 'census__education_by_raion' and group_value = 'mun. Chișinău'
                    then observed_share
            end
        ) as chisinau_share,
        max(
            case
                when census_table = 'census__education_by_raion' and group_value != 'mun. Chișinău'
                    then observed_share
            end
        ) as best_other_unit_share
    from cells
    where category = 'higher'
    group by tier

),

final as (

    select
        tier,
        urban_share,
        national_share,
        rural_share,
        chisinau_share,
        best_other_unit_share,
        'tier ' || tier || ': higher-education shares urban '
        || coalesce(round(urban_share * 100, 1)::varchar, 'missing')
        || ' / national ' || coalesce(round(national_share * 100, 1)::varchar, 'missing')
        || ' / rural ' || coalesce(round(rural_share * 100, 1)::varchar, 'missing')
        || ' %, mun. Chișinău ' || coalesce(round(chisinau_share * 100, 1)::varchar, 'missing')
        || ' % vs best other unit ' || coalesce(round(best_other_unit_share * 100, 1)::varchar, 'missing')
        || ' %: expected urban > national > rural and mun. Chișinău first' as problem
    from shares
    where not coalesce(
        urban_share > national_share
        and national_share > rural_share
        and chisinau_share > best_other_unit_share,
        false
    )

)

select * from final
