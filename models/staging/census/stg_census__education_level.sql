with

source as (

    select * from {{ ref('education_level') }}

),

renamed as (

    select
        case education_level
            when 'no completed school / pre-school only' then 'none'
            when 'primary' then 'primary'
            when 'lower secondary (gimnazial)' then 'lower_secondary'
            when 'upper secondary general (liceal)' then 'upper_secondary'
            when 'vocational/technical (''профессионально-техническое'' as reported)' then 'vocational'
            when 'higher (superior)' then 'higher'
        end as education_level,
        cast(education_level as varchar) as education_level_label,
        cast(pct as double) as pct,
        cast(sex as varchar) as sex,
        cast(age_universe as varchar) as age_universe,
        cast(source_id as varchar) as source_id,
        cast(status as varchar) as status
    from source

)

select * from renamed
