with

source as (

    select * from {{ ref('religion_by_ethnicity') }}

),

renamed as (

    select
        cast(ethnicity as varchar) as ethnicity,
        case religion
            when 'Evangelical (Creștină după Evanghelie)' then 'Evangelical'
            when 'Other religions' then 'Other religion'
            else cast(religion as varchar)
        end as religion,
        cast(religion as varchar) as religion_label,
        cast(pct_of_affiliated_in_ethnic_group as double) as pct_of_affiliated_in_ethnic_group,
        cast(source_id as varchar) as source_id,
        cast(status as varchar) as status
    from source

)

select * from renamed
