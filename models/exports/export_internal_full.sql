{{ config(
    materialized='external',
    format='json',
    location="{{ release_staging_location('internal_full.jsonl') }}",
) }}
-- depends_on: {{ ref('export_staging') }}
-- Every field of fct_personas (core, raw OCEAN T scores, narrative, constraints, anchors, validator
-- scores, trace id, prompt hash, model, attempts, tokens, cost) plus the NeMo ocean_profile.
with

personas as (

    select * from {{ ref('fct_personas') }}

),

public as (

    select * from {{ ref('fct_release_public_personas') }}

),

final as (

    select
        personas.*,
        public.ocean_profile
    from personas
    inner join public
        on personas.persona_id = public.uuid

)

select * from final
order by persona_index
