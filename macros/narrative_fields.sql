{% macro narrative_text_fields() %}
    {#- The ten narrative text fields, as moldova_personas.schema.NARRATIVE_TEXT_FIELDS (a test keeps them equal). -#}
    {{ return([
        'persona', 'professional_persona', 'sports_persona', 'arts_persona', 'travel_persona',
        'culinary_persona', 'cultural_background', 'skills_and_expertise', 'hobbies_and_interests',
        'career_goals_and_ambitions',
    ]) }}
{% endmacro %}

{% macro narrative_list_fields() %}
    {#- The two narrative list fields, as moldova_personas.schema.NARRATIVE_LIST_FIELDS. -#}
    {{ return(['skills_and_expertise_list', 'hobbies_and_interests_list']) }}
{% endmacro %}
