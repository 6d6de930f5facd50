with

source as (

    select * from {{ ref('employment_status') }}

),

renamed as (

    select
        cast(indicator as varchar) as indicator,
        -- one value is printed as a bound ('>1100'): keep the number and flag it;
        -- `value` is a keyword, but python/moldova_personas/sampling/inputs.py reads the column by this name
        cast(ltrim(value, '>') as double) as value,  -- noqa: RF04
        starts_with(value, '>') as is_lower_bound,
        cast(value as varchar) as value_as_published,
        cast(year as integer) as reference_year,
        cast(source_id as varchar) as source_id
    from source

)

select * from renamed
