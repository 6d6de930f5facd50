-- The stage-A joint of the census model (int_census_model.joint_cells): fitted adults per
-- locality x sex x age band x ethnicity, with the locality's attributes.
with

census_model as (

    select * from {{ ref('int_census_model') }}

),

cells as (

    select unnest(census_model.joint_cells) as cell
    from census_model

),

final as (

    select
        cell.locality_index,
        cell.locality_code,
        cell.locality,
        cell.raion,
        cell.region,
        cell.residence_type,
        cell.locality_adult_population,
        cell.sex,
        cell.age_group,
        cell.ethnicity,
        cell.adult_weight
    from cells

)

select * from final
