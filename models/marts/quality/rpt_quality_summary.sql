-- One row: the quality dashboard of the corpus, the figures the pass lines test.
with

corpus as (

    select * from {{ ref('fct_quality_corpus') }}

),

fields as (

    select * from {{ ref('rpt_quality_field_stats') }}

),

openings as (

    select * from {{ ref('rpt_quality_openings') }}

),

anchors as (

    select * from {{ ref('rpt_quality_anchors') }}

),

consequences as (

    select * from {{ ref('fct_quality_constraint_consequences') }}

),

uniqueness as (

    select * from {{ ref('fct_quality_uniqueness') }}

),

opening_stats as (

    select
        -sum(share_of_personas * log2(share_of_personas)) as opening_move_entropy_bits,
        max(share_of_personas) as max_opening_move_share,
        count(*) as n_opening_moves
    from openings

),

field_stats as (

    select
        max(trigram_repetition_within) as max_trigram_repetition_within,
        sum(boilerplate_trigram_share * n_trigrams) / sum(n_trigrams) as boilerplate_trigram_share,
        max(top50_trigram_share) as max_top50_trigram_share,
        min(lexical_diversity_mattr50) as min_lexical_diversity_mattr50,
        min(sentence_starter_entropy_bits) as min_sentence_starter_entropy_bits,
        max(exact_duplicate_share) as max_field_exact_duplicate_share,
        min(share_on_target) as min_field_share_on_target,
        count(*) filter (where share_on_target < 0.95) as n_fields_off_target
    from fields

),

consequence_stats as (

    select
        count(*) filter (where is_hit) / nullif(count(*), 0) as constraint_consequence_hit_rate,
        count(*) filter (where is_mentioned) / nullif(count(*), 0) as constraint_mention_rate
    from consequences

),

used_anchors as (

    select
        persona_id,
        unnest(anchors_used) as anchor
    from corpus

),

persona_anchors as (

    select
        corpus.persona_id,
        coalesce(bool_or(anchors.is_rare), false) as has_rare_anchor
    from corpus
    left join used_anchors as used
        on corpus.persona_id = used.persona_id
    left join anchors
        on used.anchor = anchors.anchor
    group by all

),

anchor_stats as (

    select
        count(*) filter (where is_above_cap) as n_anchors_above_cap,
        count(*) filter (where is_overused) as n_anchors_overused,
        max(share_of_personas) as max_anchor_share,
        count(*) as n_distinct_anchors,
        sum(n_personas) filter (where is_top50) / sum(n_personas) as top50_anchor_mention_share
    from anchors

),

rare_stats as (

    select avg(has_rare_anchor::int) as rare_anchor_persona_share
    from persona_anchors

),

mentions as (

    select
        region,
        unnest(anchors_used) as anchor
    from corpus

),

joint as (

    select
        region,
        anchor,
        count(*) / sum(count(*)) over () as p_ar
    from mentions
    group by all

),

marginals as (

    select
        *,
        sum(p_ar) over (partition by anchor) as p_a,
        sum(p_ar) over (partition by region) as p_r
    from joint

),

mutual_information as (

    select sum(p_ar * log2(p_ar / (p_a * p_r))) as anchor_region_mi_bits
    from marginals

),

region_entropy as (

    select -sum(p_r * log2(p_r)) as region_entropy_bits
    from (
        select distinct
            region,
            p_r
        from marginals
    ) as region_shares

),

uniqueness_stats as (

    select
        count(*) as n_personas,
        count(distinct near_duplicate_cluster_id) / count(*) as uniqueness_ratio,
        count(*) filter (where cluster_size > 1) / count(*) as near_duplicate_share,
        count(*) filter (where is_exact_duplicate) / count(*) as exact_duplicate_share,
        max(cluster_size) as max_near_duplicate_cluster_size,
        avg(random_pair_similarity) as mean_random_pair_similarity,
        quantile_cont(random_pair_similarity, 0.99) as p99_random_pair_similarity,
        max(max_candidate_similarity) as max_nearest_similarity
    from uniqueness

),

final as (

    select
        uniqueness_stats.n_personas,
        opening_stats.opening_move_entropy_bits,
        opening_stats.max_opening_move_share,
        opening_stats.n_opening_moves,
        field_stats.max_trigram_repetition_within,
        field_stats.boilerplate_trigram_share,
        field_stats.max_top50_trigram_share,
        field_stats.min_lexical_diversity_mattr50,
        field_stats.min_sentence_starter_entropy_bits,
        field_stats.max_field_exact_duplicate_share,
        field_stats.min_field_share_on_target,
        field_stats.n_fields_off_target,
        consequence_stats.constraint_mention_rate,
        consequence_stats.constraint_consequence_hit_rate,
        anchor_stats.n_distinct_anchors,
        anchor_stats.max_anchor_share,
        anchor_stats.top50_anchor_mention_share,
        anchor_stats.n_anchors_above_cap,
        anchor_stats.n_anchors_overused,
        rare_stats.rare_anchor_persona_share,
        mutual_information.anchor_region_mi_bits,
        mutual_information.anchor_region_mi_bits / nullif(region_entropy.region_entropy_bits, 0)
            as anchor_region_nmi,
        uniqueness_stats.uniqueness_ratio,
        uniqueness_stats.near_duplicate_share,
        uniqueness_stats.exact_duplicate_share,
        uniqueness_stats.max_near_duplicate_cluster_size,
        uniqueness_stats.mean_random_pair_similarity,
        uniqueness_stats.p99_random_pair_similarity,
        uniqueness_stats.max_nearest_similarity
    from uniqueness_stats
    cross join opening_stats
    cross join field_stats
    cross join consequence_stats
    cross join anchor_stats
    cross join rare_stats
    cross join mutual_information
    cross join region_entropy

)

select * from final
