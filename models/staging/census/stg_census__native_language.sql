with

source as (

    select * from {{ ref('native_language') }}

),

renamed as (

    select
        case mother_tongue
            when 'Moldovan (limba moldovenească)' then 'Moldovan'
            when 'Romanian (limba română)' then 'Romanian'
            else cast(mother_tongue as varchar)
        end as mother_tongue,
        cast(mother_tongue as varchar) as mother_tongue_label,
        cast(count as bigint) as population,
        cast(pct_of_total_computed as double) as pct_of_total,
        cast(pct_reported_final as double) as pct_reported_final,
        cast(pct_reported_preliminary as double) as pct_reported_preliminary,
        cast(source_id as varchar) as source_id,
        cast(status as varchar) as status
    from source

)

select * from renamed
