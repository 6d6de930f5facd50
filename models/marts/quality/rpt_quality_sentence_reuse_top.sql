-- The 20 most reused masked sentences per field and over all fields, with how many personas carry each.
with

sentences as (

    select * from {{ ref('fct_quality_sentence_reuse') }}

),

corpus as (

    select * from {{ ref('fct_quality_corpus') }}

),

corpus_size as (

    select count(*) as n_personas_total from corpus

),

ranked as (

    select
        field,
        masked_sentence,
        n_personas,
        n_occurrences,
        row_number() over (
            partition by field order by n_personas desc, n_occurrences desc, masked_sentence asc
        ) as reuse_rank
    from sentences

),

final as (

    select
        ranked.field,
        ranked.reuse_rank,
        ranked.masked_sentence,
        ranked.n_personas,
        ranked.n_occurrences,
        ranked.n_personas / corpus_size.n_personas_total as persona_share
    from ranked
    cross join corpus_size
    where ranked.reuse_rank <= 20

)

select * from final
