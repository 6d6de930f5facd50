with

source as (

    select * from {{ ref('release_guards') }}

),

final as (

    -- types come from the seed's column_types
    select
        guard,
        metric,
        kind,
        direction,
        threshold,
        description
    from source

)

select * from final
