{{ config(
    materialized='external',
    format='json',
    location="{{ release_staging_location('moldova_extended_public.jsonl') }}",
) }}
-- depends_on: {{ ref('export_staging') }}
-- The public Moldova format (json): schema_compat columns, then locality, residence_type, region,
-- ethnicity, religion, mother_tongue, age_group, first_name, last_name (Romanian labels).
with

public as (

    select * from {{ ref('fct_release_public_personas') }}

),

final as (

    select
        {{ public_columns(extended=true) }}
    from public
    order by persona_index

)

select * from final
