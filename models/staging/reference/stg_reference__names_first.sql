with

source as (

    select * from {{ ref('names_first') }}

),

final as (

    -- types come from the seed's column_types; names are read by the Python package as they are
    select
        ethnicity,
        sex,
        first_name,
        weight,
        source
    from source

)

select * from final
