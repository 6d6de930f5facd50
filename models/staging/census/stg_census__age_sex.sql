with

source as (

    select * from {{ ref('age_sex') }}

),

renamed as (

    select
        case age_group
            when 'grp1_under_working_age' then 'under_working_age'
            when 'grp2_working_age' then 'working_age'
            when 'grp3_over_working_age' then 'over_working_age'
            else cast(age_group as varchar)
        end as age_group,
        cast(sex as varchar) as sex,
        cast(population as bigint) as population,
        cast(pct_of_total as double) as pct_of_total,
        cast(unit as varchar) as unit,
        cast(source_id as varchar) as source_id,
        cast(status as varchar) as status
    from source

)

select * from renamed
