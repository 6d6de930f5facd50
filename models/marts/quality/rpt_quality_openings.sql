-- One row per planned opening move: its count and share against the uniform target.
with

corpus as (

    select * from {{ ref('fct_quality_corpus') }}

),

counts as (

    select
        coalesce(opening_move, '(none)') as opening_move,
        count(*) as n_personas
    from corpus
    group by all

),

final as (

    select
        opening_move,
        n_personas,
        n_personas / sum(n_personas) over () as share_of_personas,
        1 / count(*) over () as uniform_share,
        n_personas / sum(n_personas) over () - 1 / count(*) over () as share_minus_uniform
    from counts

)

select * from final
