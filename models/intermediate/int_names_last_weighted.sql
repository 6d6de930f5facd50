with

sourced as (

    select * from {{ ref('stg_reference__names_last') }}

),

curated as (

    select * from {{ ref('stg_assumptions__assumption_surnames_curated') }}

),

blends as (

    select * from {{ ref('stg_assumptions__assumption_name_pool_blends') }}
    where name_part = 'last'

),

all_names as (

    select
        name_pool,
        last_name_male,
        last_name_female,
        weight
    from sourced
    union all
    select
        name_pool,
        last_name_male,
        last_name_female,
        weight
    from curated

),

deduplicated as (

    -- a curated tier never lowers a published count: the larger weight wins
    select
        name_pool,
        last_name_male,
        arg_max(last_name_female, weight) as last_name_female,
        max(weight) as weight
    from all_names
    group by all

),

pool_shares as (

    select
        name_pool,
        last_name_male,
        last_name_female,
        weight / sum(weight) over (partition by name_pool) as pool_share
    from deduplicated

),

blended as (

    select
        blends.ethnicity,
        pool_shares.last_name_male,
        pool_shares.last_name_female,
        -- rounded: parallel sums differ in the last bits from run to run; the draws must not
        round(sum(blends.share * pool_shares.pool_share), 12) as probability
    from blends
    inner join pool_shares
        on blends.name_pool = pool_shares.name_pool
    group by all

),

final as (

    select
        ethnicity,
        last_name_male,
        last_name_female,
        probability
    from blended

)

select * from final
