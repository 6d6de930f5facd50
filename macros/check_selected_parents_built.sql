{% macro check_selected_parents_built() %}
    {#-
        `dbt build --select tier_25k+` selects nothing upstream of the tier. On a fresh database
        those parents do not exist: stop within seconds and name the command to run first, instead
        of failing deep inside a Python model.
    -#}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set missing = [] -%}
    {%- for unique_id in selected_resources -%}
        {%- set node = graph.nodes.get(unique_id) -%}
        {%- if node is not none and node.resource_type == 'model' -%}
            {%- for parent_id in node.depends_on.nodes -%}
                {%- set parent = graph.nodes.get(parent_id) -%}
                {%- if parent is not none and parent_id not in selected_resources
                      and parent.resource_type in ['model', 'seed'] and parent.config.materialized != 'ephemeral' -%}
                    {%- set relation = adapter.get_relation(
                        database=parent.database, schema=parent.schema, identifier=parent.alias) -%}
                    {#- release_cores and the fit mart read only the tiers that are built or selected -#}
                    {%- if relation is none and not parent.name.startswith('tier_') -%}
                        {%- do missing.append(parent.name ~ ' (needed by ' ~ node.name ~ ')') -%}
                    {%- endif -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if missing | length > 0 -%}
        {{ exceptions.raise_compiler_error(
            "These models are not built yet in " ~ target.path ~ ": " ~ (missing | unique | join(', '))
            ~ ". Run `make run` first (it builds the census model and the 1K tier), then repeat this command."
        ) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
