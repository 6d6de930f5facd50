with

source as (

    select * from {{ ref('assumption_mother_tongue_romanian_odds') }}

),

final as (

    -- types come from the seed's column_types; names are read by the Python package as they are
    select
        ethnicity,
        romanian_to_moldovan_odds,
        basis
    from source

)

select * from final
