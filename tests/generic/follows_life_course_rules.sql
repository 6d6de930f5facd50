{#
    Returns every core of `model` whose age lies outside a rule of `rules` (one row per core and broken
    rule): e.g. a completed higher education at 18. `rules` is the staging model of
    assumption_life_course_rules (attribute, value, min_age, max_age); the attributes are the core
    columns unpivoted below, and the seed's accepted_values test keeps the two lists equal.
#}
{% test follows_life_course_rules(model, rules) %}

with

cores as (

    select
        persona_id,
        age,
        education_level,
        marital_status,
        employment_status
    from {{ model }}

),

rules as (

    select * from {{ rules }}

),

facts as (

    unpivot cores
    on education_level, marital_status, employment_status
    into name attribute value value

),

final as (

    select
        facts.persona_id,
        facts.age,
        facts.attribute,
        facts.value,
        rules.min_age,
        rules.max_age,
        'persona ' || facts.persona_id || ' aged ' || facts.age || ' has ' || facts.attribute || ' = '
        || facts.value || ', allowed only at ages ' || rules.min_age || '-' || rules.max_age
        || ' (assumption_life_course_rules)' as problem
    from facts
    inner join rules
        on
            facts.attribute = rules.attribute
            and facts.value = rules.value
    where facts.age not between rules.min_age and rules.max_age

)

select * from final

{% endtest %}
