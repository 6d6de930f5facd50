with

source as (

    select * from {{ ref('assumption_open_age_group') }}

),

final as (

    -- typed and named in the seed yml (column_types); staging only gives the layer its name
    select * from source

)

select * from final
