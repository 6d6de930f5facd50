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
        uuid,
        professional_persona,
        sports_persona,
        arts_persona,
        travel_persona,
        culinary_persona,
        persona,
        cultural_background,
        skills_and_expertise,
        skills_and_expertise_list,
        hobbies_and_interests,
        hobbies_and_interests_list,
        career_goals_and_ambitions,
        sex,
        age,
        marital_status,
        education_level,
        occupation,
        municipality,
        state,
        country,
        ocean_profile
    from public
    order by persona_index

)

select * from final
