with

source as (

    select * from {{ ref('sensitive_claim_patterns') }}

),

final as (

    -- types come from the seed's column_types
    select
        rule_id,
        kind,
        language,
        category,
        pattern,
        severity,
        description
    from source

)

select * from final
