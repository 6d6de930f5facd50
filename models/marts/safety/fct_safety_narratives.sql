{#
    The text Gate 1 and the PII scan read: one row per persona x narrative field (lists joined with '; ').
    With var('safety_fixture', false) the rows of seeds/fixtures/fixture_unsafe_personas.csv replace the
    field text of the personas at their persona_index (the release-gate test plants unsafe text this way).
#}
{%- set fields = narrative_text_fields() -%}
{%- set list_fields = narrative_list_fields() -%}
-- depends_on: {{ ref('fixture_unsafe_personas') }}

with

personas as (

    select * from {{ ref('fct_personas') }}

),

narratives as (

    {% for field in fields %}
        select
            persona_id,
            persona_index,
            '{{ field }}' as field,
            {{ field }} as narrative_text
        from personas
        union all
    {% endfor %}
    {% for field in list_fields %}
        select
            persona_id,
            persona_index,
            '{{ field }}' as field,
            array_to_string({{ field }}, '; ') as narrative_text
        from personas
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

{% if var('safety_fixture', false) %}
    fixture as (

        select * from {{ ref('fixture_unsafe_personas') }}

    ),

    planted as (

        select
            narratives.persona_id,
            narratives.field,
            coalesce(narratives.narrative_text || ' ', '') || fixture.planted_text as narrative_text,
            fixture.planted_text is not null as is_fixture
        from narratives
        left join fixture
            on
                narratives.persona_index = fixture.persona_index
                and narratives.field = fixture.field

    ),
{% else %}
    planted as (

        select
            persona_id,
            field,
            narrative_text,
            false as is_fixture
        from narratives

    ),
{% endif %}

final as (

    select * from planted
    where narrative_text is not null and narrative_text <> ''

)

select * from final
