{% macro check_vars() %}
    {#- Bad --vars stop the run before any model starts, naming the setting and the fix. -#}
    {%- set seed = var('seed') | string | trim -%}
    {%- if not (seed | replace('-', '', 1)).isdigit() -%}
        {{ exceptions.raise_compiler_error(
            "var 'seed' must be an integer, got '" ~ seed ~ "': run e.g. dbt build --vars '{seed: 42}'"
        ) }}
    {%- endif -%}
    {%- set names = tier_names() -%}
    {%- set tier = var('tier', none) -%}
    {%- if tier is not none and tier not in names -%}
        {{ exceptions.raise_compiler_error(
            "var 'tier' is " ~ tier ~ "; choose one of " ~ names | join(', ')
            ~ " (e.g. dbt build --select " ~ names[-1] ~ "+)"
        ) }}
    {%- endif -%}
    {%- set sizes = namespace(last=0) -%}
    {%- for row in var('tiers') -%}
        {%- if row.personas is not number or row.personas <= sizes.last -%}
            {{ exceptions.raise_compiler_error(
                "var 'tiers': " ~ row.name ~ " has personas " ~ row.personas
                ~ "; sizes must be whole numbers that increase from tier to tier (dbt_project.yml)"
            ) }}
        {%- endif -%}
        {%- set sizes.last = row.personas -%}
    {%- endfor -%}
    {%- if execute -%}
        {#- every tier of the var has its model, and every tier model is in the var -#}
        {%- set models = [] -%}
        {%- for node in graph.nodes.values() -%}
            {%- if node.resource_type == 'model' and node.original_file_path.startswith('models/tiers/tier_') -%}
                {%- do models.append(node.name) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- for name in names if name not in models -%}
            {{ exceptions.raise_compiler_error(
                "var 'tiers' lists " ~ name ~ " but models/tiers/" ~ name ~ ".py does not exist: copy "
                ~ "models/tiers/" ~ names[0] ~ ".py to it and add it to models/tiers/_tiers__models.yml"
            ) }}
        {%- endfor -%}
        {%- for name in models if name not in names -%}
            {{ exceptions.raise_compiler_error(
                "models/tiers/" ~ name ~ ".py is not in var 'tiers' (dbt_project.yml): add it there or remove it"
            ) }}
        {%- endfor -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
