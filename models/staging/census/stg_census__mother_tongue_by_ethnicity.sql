with

source as (

    select * from {{ ref('mother_tongue_by_ethnicity') }}

),

renamed as (

    -- 'Moldovan or Romanian' is one merged category in this source; it is not split here
    select
        cast(ethnicity as varchar) as ethnicity,
        cast(mother_tongue as varchar) as mother_tongue,
        cast(pct_of_ethnic_group as double) as pct_of_ethnic_group,
        cast(source_id as varchar) as source_id,
        cast(status as varchar) as status
    from source

)

select * from renamed
