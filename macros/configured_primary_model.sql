{% macro configured_primary_model() %}
    {#-
        The litellm model string every persona is first sent to, as the narration settings resolve it
        (moldova_personas.narration.settings.load_settings): int_personas_narrated's `meta.narration`
        overrides, else the MOLDOVA_LLM_<ALIAS> environment variable, else the offline narrator. The alias
        is meta.narration.primary (default creative). Rendered when the calling model is built, so the
        table keeps the primary of the build even when a later `dbt test` runs in another shell.
    -#}
    {%- set node = graph.nodes.get('model.moldova_personas.int_personas_narrated') if execute else none -%}
    {%- set narration = ((node.config.meta or {}).get('narration') or {}) if node is not none else {} -%}
    {%- set alias = narration.get('primary') or 'creative' -%}
    {%- set configured = narration.get(alias) -%}
    {%- if configured is mapping -%}
        {%- set configured = configured.get('model') -%}
    {%- endif -%}
    {%- if alias == 'offline' -%}
        {%- set configured = configured or 'offline/narrator' -%}
    {%- endif -%}
    {%- set model = configured or (env_var('MOLDOVA_LLM_' ~ (alias | upper), '') | trim) or 'offline/narrator' -%}
    {{ return(model) }}
{% endmacro %}
