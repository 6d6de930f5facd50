with

source as (

    select * from {{ ref('religion_national') }}

),

renamed as (

    select
        case religion
            when 'Christian according to the Gospel (Evangelical)' then 'Evangelical'
            when 'Old Believers (Russian Orthodox Old Rite)' then 'Old Believers'
            when 'Other religions' then 'Other religion'
            when 'No religion (Fără religie)' then 'No religion'
            when 'Freethinker + Agnostic + Atheist (combined)' then 'Atheist or agnostic'
            else cast(religion as varchar)
        end as religion,
        cast(religion as varchar) as religion_label,
        cast(category_type as varchar) as category_type,
        cast(count as bigint) as population,
        cast(pct_of_total_final as double) as pct_of_total,
        cast(pct_preliminary as double) as pct_preliminary,
        cast(source_id as varchar) as source_id,
        cast(status as varchar) as status
    from source

)

select * from renamed
