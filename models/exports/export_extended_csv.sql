{{ config(
    materialized='external',
    format='csv',
    location="{{ release_staging_location('moldova_extended_public.csv') }}",
) }}
-- depends_on: {{ ref('export_staging') }}
-- The public Moldova format (csv): schema_compat columns, then locality, residence_type, region,
-- ethnicity, religion, mother_tongue, age_group, first_name, last_name (Romanian labels).
-- CSV: ocean_profile as JSON text.
with

public as (

    select * from {{ ref('fct_release_public_personas') }}

),

final as (

    select
        {{ public_columns(extended=true, ocean_profile='to_json(ocean_profile)::varchar') }}
    from public
    order by persona_index

)

select * from final
