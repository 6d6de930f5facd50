{% macro release_staging_location(filename) %}
    {#-
        Where an export model writes `filename`: the staging folder export_staging prepared in this run
        (<external_root>/<tier>/_staging). Rendered at run time by the external materialization (the
        model's `location` config is this call inside a string), so the tier is the one released now.
        The model needs `-- depends_on: {{ ref('export_staging') }}`.
    -#}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set result = run_query("select staging_dir from " ~ ref('export_staging')) -%}
    {%- if result is none or result.rows | length != 1 -%}
        {{ exceptions.raise_compiler_error("release_staging_location: export_staging has no row; build it first") }}
    {%- endif -%}
    {{ return(result.columns[0].values()[0] ~ '/' ~ filename) }}
{% endmacro %}
