with

source as (

    select * from {{ ref('labels_ro') }}

),

final as (

    -- types come from the seed's column_types; names are read by the Python package as they are
    select
        dimension,
        code,
        label_ro,
        label_ro_male,
        label_ro_female,
        label_en
    from source

)

select * from final
