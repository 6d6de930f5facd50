with

source as (

    select * from {{ ref('names_last') }}

),

final as (

    -- types come from the seed's column_types; names are read by the Python package as they are
    select
        ethnicity,
        last_name_male,
        last_name_female,
        weight,
        source
    from source

)

select * from final
