{% macro narrated_primary_model(narrated_alias='narrated') %}
    {#-
        SQL expression of the primary model a narrated row was meant to be written by: the row's own
        `primary_model` when int_personas_narrated carries that column (the narration runtime records it
        per persona), else the primary configured for this build (configured_primary_model).
    -#}
    {%- set fallback = "'" ~ (configured_primary_model() | replace("'", "''")) ~ "'" -%}
    {%- if execute -%}
        {%- set relation = adapter.get_relation(
            database=target.database, schema=target.schema, identifier='int_personas_narrated') -%}
        {%- if relation is not none -%}
            {%- set names = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
            {%- if 'primary_model' in names -%}
                {{ return('coalesce(' ~ narrated_alias ~ '.primary_model, ' ~ fallback ~ ')') }}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(fallback) }}
{% endmacro %}
