{# The text Gate 1 and the PII scan read: one row per persona x narrative field (lists joined with '; '). #}
{%- set fields = narrative_text_fields() -%}
{%- set list_fields = narrative_list_fields() -%}

with

personas as (

    select * from {{ ref('fct_personas') }}

),

narratives as (

    {% for field in fields %}
        select
            persona_id,
            '{{ field }}' as field,
            {{ field }} as narrative_text
        from personas
        union all
    {% endfor %}
    {% for field in list_fields %}
        select
            persona_id,
            '{{ field }}' as field,
            array_to_string({{ field }}, '; ') as narrative_text
        from personas
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        persona_id,
        field,
        narrative_text
    from narratives
    where narrative_text is not null and narrative_text <> ''

)

select * from final
