{% macro point_exports_at_release() %}
    {#-
        Post-hook of export_release. The external materialization leaves each export relation as a view
        over its file in the staging folder, which promotion then renames to <tier_dir>/<release_id>.
        Re-point every export view at the released folder (the one promoted now, else the tier's current
        release when this run refused), so `dbt test` and analysts read the released files. The view SQL
        is dbt-duckdb's own (duckdb_views()), with only the folder changed.
    -#}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set staging = run_query("select staging_dir, tier_dir from " ~ ref('export_staging')).rows[0] -%}
    {%- set released = run_query("select release_dir from " ~ this).rows[0][0] -%}
    {%- if released is none -%}
        {%- set current = run_query(
            "select trim(content) from read_text('" ~ staging[1] ~ "/CURRENT') where content <> ''"
            if run_query("select count(*) from glob('" ~ staging[1] ~ "/CURRENT')").rows[0][0] > 0
            else "select null where false"
        ).rows -%}
        {%- if current | length == 0 -%}{{ return('') }}{%- endif -%}
        {%- set released = staging[1] ~ '/' ~ (current[0][0] | trim) -%}
    {%- endif -%}
    {%- for node in graph.nodes.values()
          if node.resource_type == 'model' and node.config.materialized == 'external'
          and node.fqn[1] == 'exports' -%}
        {%- set rows = run_query(
            "select sql from duckdb_views() where database_name = '" ~ this.database ~ "' and schema_name = '"
            ~ this.schema ~ "' and view_name = '" ~ node.alias ~ "'").rows -%}
        {%- if rows | length == 1 and (staging[0] ~ '/') in rows[0][0] -%}
            {%- set sql = rows[0][0] | replace(staging[0] ~ '/', released ~ '/') -%}
            {%- do run_query(sql | replace('CREATE VIEW', 'CREATE OR REPLACE VIEW', 1)) -%}
            {%- do log("[release] " ~ node.alias ~ " now reads " ~ released, info=false) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}
