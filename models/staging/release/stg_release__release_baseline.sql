with

source as (

    select * from {{ ref('release_baseline') }}

),

final as (

    -- types come from the seed's column_types
    select
        metric,
        baseline_value,
        note
    from source

)

select * from final
