-- The corpus the quality marts measure: the narrated personas of fct_personas.
-- a view: the quality models each read it once; a table copied ~600 MB of text at 100K (13 s)
{{ config(materialized='view') }}

with

personas as (

    select * from {{ ref('fct_personas') }}

),

final as (

    select
        persona_id,
        region,
        opening_move,
        constraint_categories,
        anchors_used,
        {{ narrative_text_fields() | join(',\n        ') }},
        skills_and_expertise_list,
        hobbies_and_interests_list,
        -- who the persona is and who wrote it (sentence-reuse masking and gate)
        first_name,
        last_name,
        locality,
        raion,
        model_used
    from personas
    where is_narrated

)

select * from final
