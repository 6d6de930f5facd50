with

source as (

    select * from {{ ref('ethnicity_by_region') }}

),

renamed as (

    select
        cast(region_or_unit as varchar) as region_or_unit,
        case
            when region_or_unit in ('Chisinau', 'Nord', 'Centru', 'Sud', 'Gagauzia')
                then region_or_unit
        end as region,
        -- raion spelled as in population_by_raion / localities
        case region_or_unit
            when 'UTA Gagauzia' then 'UTA Găgăuzia'
            when 'mun. Balti' then 'mun. Bălți'
            when 'Taraclia' then 'Taraclia'
        end as raion,
        case
            when "group" like '%(mother tongue, not ethnicity)' then 'mother_tongue'
            else 'ethnicity'
        end as measure,
        case
            when "group" like 'Gagauz (mother tongue%' then 'Gagauz'
            when "group" like 'Bulgarian (mother tongue%' then 'Bulgarian'
            when "group" like 'Russian (mother tongue%' then 'Russian'
            when "group" = 'Moldovan/Romanian' then 'Moldovan or Romanian'
            else cast("group" as varchar)
        end as group_code,
        cast("group" as varchar) as group_label,
        cast(percent as double) as pct,
        cast(basis as varchar) as basis,
        cast(vintage as varchar) as vintage,
        cast(source_id as varchar) as source_id,
        cast(note as varchar) as note
    from source

)

select * from renamed
