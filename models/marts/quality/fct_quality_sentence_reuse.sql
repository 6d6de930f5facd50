-- One row per distinct masked sentence and field (and once more over all fields, field = 'all'): in how
-- many personas it occurs. Masking removes what is the persona's own (names, places, numbers), so what is
-- left and repeats across personas is template text.
with

corpus as (

    select * from {{ ref('fct_quality_corpus') }}

),

texts as (

    unpivot (
        select
            persona_id,
            first_name,
            last_name,
            -- 'Chișinău (sectorul Centru)' -> 'Chișinău' and 'Centru'; 'mun. Chișinău' -> 'Chișinău'
            regexp_replace(locality, '\s*\(.*\)$', '') as place_1,
            nullif(regexp_extract(locality, '\((?:sectorul\s+)?([^)]*)\)', 1), '') as place_2,
            regexp_replace(raion, '^(mun\.|UTA|r\.|or\.)\s*', '') as place_3,
            {{ narrative_text_fields() | join(',\n            ') }}
        from corpus
    )
    on {{ narrative_text_fields() | join(', ') }}
    into name field value narrative_text

),

sentences as (

    select
        persona_id,
        field,
        first_name,
        last_name,
        place_1,
        place_2,
        place_3,
        trim(unnest(regexp_extract_all(narrative_text, '[^.!?…]+[.!?…]*'))) as sentence
    from texts

),

masked as (

    select
        persona_id,
        field,
        {%- set masked = "sentence" %}
        {%- for column, token in [
            ('last_name', '{nume}'), ('first_name', '{nume}'),
            ('place_1', '{loc}'), ('place_2', '{loc}'), ('place_3', '{loc}')] %}
            {%- set search = "coalesce(nullif(" ~ column ~ ", ''), chr(1))" %}
            {%- set masked = "replace(" ~ masked ~ ", " ~ search ~ ", '" ~ token ~ "')" %}
        {%- endfor %}
        regexp_replace(
            regexp_replace(lower({{ masked }}), '[0-9]+', '#', 'g'),
            '\s+', ' ', 'g'
        ) as masked_sentence
    from sentences
    -- fragments under three words ('Da.', list stubs) say nothing about templating
    where length(sentence) - length(replace(sentence, ' ', '')) >= 2

),

by_field as (

    select
        field,
        masked_sentence,
        count(distinct persona_id) as n_personas,
        count(*) as n_occurrences
    from masked
    group by all

),

all_fields as (

    select
        'all' as field,
        masked_sentence,
        count(distinct persona_id) as n_personas,
        count(*) as n_occurrences
    from masked
    group by all

),

final as (

    select * from by_field
    union all
    select * from all_fields

)

select * from final
