with

source as (

    select * from {{ ref('golden_baseline') }}

),

final as (

    -- types come from the seed's column_types
    select
        metric,
        unit,
        baseline_value,
        tolerance,
        description
    from source

)

select * from final
