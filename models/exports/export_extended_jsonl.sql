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
        ocean_profile,
        locality,
        residence_type,
        region,
        ethnicity,
        religion,
        mother_tongue,
        age_group,
        first_name,
        last_name
    from public
    order by persona_index

)

select * from final
