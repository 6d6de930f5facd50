{% macro public_columns(extended=false, ocean_profile='ocean_profile') %}
    {#-
        The public release columns, in the Nemotron-Personas-Brazil order (docs/reference_schema.md),
        then the Moldova extension when `extended`. One list for every public export format.
    -#}
    {%- set compat = [
        'uuid', 'professional_persona', 'sports_persona', 'arts_persona', 'travel_persona',
        'culinary_persona', 'persona', 'cultural_background', 'skills_and_expertise',
        'skills_and_expertise_list', 'hobbies_and_interests', 'hobbies_and_interests_list',
        'career_goals_and_ambitions', 'sex', 'age', 'marital_status', 'education_level', 'occupation',
        'municipality', 'state', 'country'
    ] -%}
    {%- set moldova = [
        'locality', 'residence_type', 'region', 'ethnicity', 'religion', 'mother_tongue', 'age_group',
        'first_name', 'last_name'
    ] -%}
    {{ compat | join(',\n        ') }},
        {{ ocean_profile }} as ocean_profile
    {%- if extended %},
        {{ moldova | join(',\n        ') }}
    {%- endif %}
{% endmacro %}
