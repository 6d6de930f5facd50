{{ config(
    materialized='external',
    format='json',
    location="{{ release_staging_location('schema_compat.jsonl') }}",
) }}
-- depends_on: {{ ref('export_staging') }}
-- Exactly the Nemotron-Personas-Brazil public columns (docs/reference_schema.md, same names, order and
-- types: strings, age int64, the *_list fields as JSON text) plus the NeMo ocean_profile. Nothing else.
with

public as (

    select * from {{ ref('fct_release_public_personas') }}

),

final as (

    select
        {{ public_columns(extended=false) }}
    from public
    order by persona_index

)

select * from final
