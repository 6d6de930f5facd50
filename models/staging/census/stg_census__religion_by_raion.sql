with

source as (

    select * from {{ ref('religion_by_raion') }}

),

renamed as (

    select
        cast(raion as varchar) as raion,
        cast(cuatm_code as varchar) as cuatm_code,
        cast(region as varchar) as region,
        case religion
            when 'Christian according to the Gospel (Evangelical)' then 'Evangelical'
            when 'Old Believers (Russian Orthodox Old Rite)' then 'Old Believers'
            when 'Other religions' then 'Other religion'
            when 'No religion (Fără religie)' then 'No religion'
            when 'Freethinker' then 'Atheist or agnostic'
            when 'Agnostic' then 'Atheist or agnostic'
            when 'Atheist' then 'Atheist or agnostic'
            else cast(religion as varchar)
        end as religion,
        cast(religion as varchar) as religion_label,
        cast(religion_label_ro as varchar) as religion_label_ro,
        cast(category_type as varchar) as category_type,
        cast(count as bigint) as population,
        cast(pct_of_raion_population as double) as pct_of_raion,
        cast(source_id as varchar) as source_id,
        cast(status as varchar) as status
    from source

)

select * from renamed
