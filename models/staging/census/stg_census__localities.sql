-- Sampling units only: leaf rows (is_leaf = 1) partition the population exactly. A UAT with
-- component localities is replaced by its components; Chișinău city by its five sectors.
with

source as (

    select * from {{ ref('localities') }}

),

renamed as (

    select
        cast(cuatm_code as varchar) as locality_code,
        case
            when unit_type = 'city_sector'
                then 'Chișinău (sectorul ' || replace(name, 'Sectorul ', '') || ')'
            else cast(name as varchar)
        end as locality_name,
        case
            when unit_type = 'city_sector'
                then 'Chisinau (sectorul ' || replace(name_ascii, 'Sectorul ', '') || ')'
            else cast(name_ascii as varchar)
        end as locality_name_ascii,
        cast(unit_type as varchar) as locality_type,
        cast(coalesce(parent_uat_code, cuatm_code) as varchar) as uat_code,
        cast(coalesce(parent_uat_name, name) as varchar) as uat_name,
        cast(raion as varchar) as raion,
        cast(region as varchar) as region,
        -- leaf rows are never 'mixed(town+villages)': town seats and sectors are urban, villages rural
        cast(area_type as varchar) as residence_type,
        cast(population as bigint) as population,
        cast(pop_grp1_under_working_age as bigint) as under_working_age_population,
        cast(pop_grp2_working_age as bigint) as working_age_population,
        cast(pop_grp3_over_working_age as bigint) as over_working_age_population
    from source
    where is_leaf = 1

)

select * from renamed
