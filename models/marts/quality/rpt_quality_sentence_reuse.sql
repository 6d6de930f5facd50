-- Template collapse per narrative field and over all fields: how much of what a reader sees is a sentence
-- that other personas carry too, once each persona's own names, places and numbers are masked.
with

corpus as (

    select * from {{ ref('fct_quality_corpus') }}

),

sentences as (

    select * from {{ ref('fct_quality_sentence_reuse') }}

),

corpus_size as (

    select
        count(*) as n_personas_total,
        -- one percent of personas, never fewer than two: "common" must mean shared
        greatest(2, ceil(0.01 * count(*))) as common_min_personas,
        avg(case when model_used like 'offline/%' then 1.0 else 0.0 end) as offline_persona_share
    from corpus

),

per_field as (

    select
        sentences.field,
        sum(sentences.n_occurrences) as n_sentences,
        count(*) as n_distinct_sentences,
        sum(case when sentences.n_personas >= 2 then sentences.n_occurrences else 0 end)
        / sum(sentences.n_occurrences) as shared_sentence_share,
        sum(
            case
                when sentences.n_personas >= corpus_size.common_min_personas then sentences.n_occurrences
                else 0
            end
        ) / sum(sentences.n_occurrences) as common_sentence_share,
        max(sentences.n_personas) / any_value(corpus_size.n_personas_total) as top_sentence_persona_share,
        arg_max(sentences.masked_sentence, sentences.n_personas) as top_sentence
    from sentences
    cross join corpus_size
    group by all

),

final as (

    select
        per_field.field,
        corpus_size.n_personas_total as n_personas,
        corpus_size.common_min_personas,
        per_field.n_sentences,
        per_field.n_distinct_sentences,
        per_field.shared_sentence_share,
        per_field.common_sentence_share,
        per_field.top_sentence_persona_share,
        per_field.top_sentence,
        corpus_size.offline_persona_share,
        -- the gate is an error for LLM text and a warning for the offline narrator's template text
        corpus_size.offline_persona_share > 0.5 as is_template_text
    from per_field
    cross join corpus_size

)

select * from final
