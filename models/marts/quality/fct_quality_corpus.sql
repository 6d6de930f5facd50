{#-
    The corpus the quality marts measure: fct_personas by default, or a fixture seed when
    `--vars '{quality_corpus: fixture_near_duplicate_personas}'` (pytest proves the gates can fail).
    Fixture seeds hold list columns as '|'-separated strings.
-#}
-- a view: the quality models each read it once; a table copied ~600 MB of text at 100K (13 s)
{{ config(materialized='view') }}
{%- set source = var('quality_corpus', 'fct_personas') -%}
{%- set is_fixture = source != 'fct_personas' -%}
{%- set list_sql = "coalesce(string_split(nullif(%s, ''), '|'), [])" if is_fixture else "%s" %}

with

personas as (

    select * from {{ ref(source) }}

),

final as (

    select
        persona_id,
        region,
        opening_move,
        {{ list_sql | format('constraint_categories') }} as constraint_categories,
        {{ list_sql | format('anchors_used') }} as anchors_used,
        {{ narrative_text_fields() | join(',\n        ') }},
        {{ list_sql | format('skills_and_expertise_list') }} as skills_and_expertise_list,
        {{ list_sql | format('hobbies_and_interests_list') }} as hobbies_and_interests_list
    from personas
    -- fixtures hold narrated rows only and have no is_narrated column
    where {{ 'true' if is_fixture else 'is_narrated' }}

)

select * from final
