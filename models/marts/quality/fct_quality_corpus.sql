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
{#- Who the persona is and who wrote it (sentence-reuse masking and gate); fixtures may omit them. -#}
{%- set context_columns = ['first_name', 'last_name', 'locality', 'raion', 'model_used'] -%}
{%- set present = [] -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(ref(source)) -%}
        {%- do present.append(column.name | lower) -%}
    {%- endfor -%}
{%- endif -%}
{%- set context_sql = [] -%}
{%- for column in context_columns -%}
    {%- do context_sql.append((column if column in present else 'cast(null as varchar)') ~ ' as ' ~ column) -%}
{%- endfor %}

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
        {{ list_sql | format('hobbies_and_interests_list') }} as hobbies_and_interests_list,
        {{ context_sql | join(',\n        ') }}
    from personas
    -- fixtures hold narrated rows only and have no is_narrated column
    where {{ 'true' if is_fixture else 'is_narrated' }}

)

select * from final
