-- Distributions of the published personas of the released tier (narration status ok) next to the
-- census (adult universe), for statistics.json, statistics.md and the dataset card.
{% set dimensions = {
    'sex': 'census__age_sex',
    'age_group': 'census__population_single_age',
    'region': 'census__population_by_region',
    'residence_type': 'census__localities_urban_rural',
    'ethnicity': 'census__ethnicity_national',
    'religion': 'census__religion_national',
    'mother_tongue': 'census__native_language',
    'marital_status': 'census__marital_status',
    'education_level': 'census__education_level',
    'employment_status': 'lfs__employment_status',
} -%}

with

personas as (

    select * from {{ ref('fct_personas') }}
    where narration_status = 'ok'

),

targets as (

    select * from {{ ref('int_census_targets') }}
    where group_value = 'all'

),

labels as (

    select * from {{ ref('stg_reference__labels_ro') }}

),

observed as (

    {% for dimension in dimensions %}
        select
            '{{ dimension }}' as dimension,
            '{{ dimensions[dimension] }}' as census_table,
            cast({{ dimension }} as varchar) as category,
            count(*) as n_personas
        from personas
        group by all
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

expected as (

    {% for dimension in dimensions %}
        select
            '{{ dimension }}' as dimension,
            category,
            expected_share
        from targets
        where census_table = '{{ dimensions[dimension] }}'
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        coalesce(observed.dimension, expected.dimension) as dimension,
        -- what the public files carry (fct_release_public_personas), so value_counts() reproduces it
        coalesce(labels.label_ro, observed.category, expected.category) as category,
        coalesce(observed.category, expected.category) as category_code,
        coalesce(observed.n_personas, 0) as n_personas,
        round(coalesce(observed.n_personas, 0) / sum(coalesce(observed.n_personas, 0)) over (
            partition by coalesce(observed.dimension, expected.dimension)
        ), 6) as observed_share,
        round(expected.expected_share, 6) as expected_share
    from observed
    full outer join expected
        on
            observed.dimension = expected.dimension
            and observed.category = expected.category
    left join labels
        on
            coalesce(observed.dimension, expected.dimension) = labels.dimension
            and coalesce(observed.category, expected.category) = labels.code

)

select * from final
order by dimension asc, expected_share desc nulls last, category asc
