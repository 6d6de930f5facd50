-- Histogram (0.05 buckets) of MinHash Jaccard estimates: random persona pairs vs nearest LSH candidates.
with

uniqueness as (

    select * from {{ ref('fct_quality_uniqueness') }}

),

pairs as (

    select
        'random_pair' as pair_kind,
        random_pair_similarity as similarity
    from uniqueness
    where random_pair_persona_id <> persona_id
    union all
    select
        'nearest_lsh_candidate' as pair_kind,
        max_candidate_similarity as similarity
    from uniqueness
    where nearest_persona_id is not null

),

buckets as (

    select
        pair_kind,
        least(floor(similarity * 20) / 20, 0.95) as similarity_bucket_low,
        count(*) as n_pairs
    from pairs
    group by all

),

final as (

    select
        pair_kind,
        similarity_bucket_low,
        similarity_bucket_low + 0.05 as similarity_bucket_high,
        n_pairs,
        n_pairs / sum(n_pairs) over (partition by pair_kind) as share_of_pairs
    from buckets

)

select * from final
