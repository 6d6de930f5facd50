-- One row per published persona of the released tier in the public export shape: the
-- Nemotron-Personas-Brazil columns (categorical values: one neutral Romanian label per category,
-- labels_ro.label_ro), the NeMo ocean_profile, and the Moldova extension columns. Published means
-- validated: only personas whose narration passed every validator (status ok). The export models
-- select from it.
with

personas as (

    select * from {{ ref('fct_personas') }}
    where narration_status = 'ok'

),

labels as (

    select * from {{ ref('stg_reference__labels_ro') }}

),

big_five as (

    select * from {{ ref('stg_reference__big_five_descriptions') }}

),

{%- set traits = ['openness', 'conscientiousness', 'extraversion', 'agreeableness', 'neuroticism'] %}

traits_long as (

    {% for trait in traits %}
        select
            persona_id,
            '{{ trait }}' as trait,
            {{ trait }} as t_score
        from personas
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

trait_profiles as (

    select
        traits_long.persona_id,
        traits_long.trait,
        struct_pack(
            t_score := cast(traits_long.t_score as bigint),
            label := big_five.label,
            description := big_five.description_ro
        ) as profile
    from traits_long
    left join big_five
        on
            traits_long.trait = big_five.trait
            and traits_long.t_score between big_five.t_min and big_five.t_max

),

ocean as (

    select
        persona_id,
        struct_pack(
            {%- for trait in traits %}
                {{ trait }} := max(profile) filter (where trait = '{{ trait }}'){{ ',' if not loop.last }}
            {%- endfor %}
        ) as ocean_profile
    from trait_profiles
    group by all

),

labelled as (

    select
        {%- for dimension in ['sex', 'region', 'residence_type', 'ethnicity', 'mother_tongue', 'religion',
                              'marital_status', 'education_level', 'employment_status', 'age_group'] %}
            -- one neutral label per category (the census's own), never a gendered form: a category
            -- column must count as one category in value_counts(); gender agreement stays in the text
            (
                select labels.label_ro
                from labels
                where labels.dimension = '{{ dimension }}' and labels.code = personas.{{ dimension }}
            ) as {{ dimension }}_ro,
        {%- endfor %}
        personas.*
    from personas

),

final as (

    select
        labelled.persona_index,
        labelled.persona_id as uuid,  -- noqa: RF04
        labelled.professional_persona,
        labelled.sports_persona,
        labelled.arts_persona,
        labelled.travel_persona,
        labelled.culinary_persona,
        labelled.persona,
        labelled.cultural_background,
        labelled.skills_and_expertise,
        cast(to_json(labelled.skills_and_expertise_list) as varchar) as skills_and_expertise_list,
        labelled.hobbies_and_interests,
        cast(to_json(labelled.hobbies_and_interests_list) as varchar) as hobbies_and_interests_list,
        labelled.career_goals_and_ambitions,
        labelled.sex_ro as sex,
        cast(labelled.age as bigint) as age,
        labelled.marital_status_ro as marital_status,
        labelled.education_level_ro as education_level,
        -- the reference has an occupation for everyone: the employment status names those not working
        coalesce(labelled.occupation, labelled.employment_status_ro) as occupation,
        labelled.locality as municipality,
        labelled.raion as state,
        'Republica Moldova' as country,
        ocean.ocean_profile,
        labelled.locality,
        labelled.residence_type_ro as residence_type,
        labelled.region_ro as region,
        labelled.ethnicity_ro as ethnicity,
        labelled.religion_ro as religion,
        labelled.mother_tongue_ro as mother_tongue,
        labelled.age_group_ro as age_group,
        labelled.first_name,
        labelled.last_name
    from labelled
    left join ocean
        on labelled.persona_id = ocean.persona_id

)

select * from final
order by persona_index
