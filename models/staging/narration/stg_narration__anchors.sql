with

source as (

    select * from {{ ref('anchors') }}

),

final as (

    -- types come from the seed's column_types; names are read by the Python package as they are
    select
        anchor_id,
        scope,
        region,
        raion,
        locality,
        category,
        text
    from source

)

select * from final
