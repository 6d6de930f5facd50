{#-
    The cores of every tier built in this database, stacked (the `tier` column tells them apart): what the
    fit and names marts measure. Tiers of var tiers that were never built are left out.
-#}
{{ config(materialized='view') }}
{%- set built = [] -%}
{%- for tier in tier_names() %}
-- depends_on: {{ ref(tier) }}
    {%- set relation = ref(tier) -%}
    {%- if execute and adapter.get_relation(
            database=relation.database, schema=relation.schema, identifier=relation.identifier) is not none -%}
        {%- do built.append(tier) -%}
    {%- endif -%}
{%- endfor %}
{%- if execute and built | length == 0 -%}
    {{ exceptions.raise_compiler_error(
        "built_tiers: no tier of var tiers is built in " ~ target.path ~ ": run `make run` first") }}
{%- endif %}

with

{% for tier in built %}
    {{ tier }} as (

        select * from {{ ref(tier) }}

    ),

{% endfor %}
final as (

    {% for tier in built %}
        select * from {{ tier }}
        {% if not loop.last %}union all by name{% endif %}
    {% endfor %}

)

select * from final
