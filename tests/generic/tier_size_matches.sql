{#-
    A tier model holds exactly the personas var tiers gives it, indexed 0 .. personas - 1 (each tier is
    the prefix of the sample up to its size). Returns one row naming the tier when it does not.
-#}
{% test tier_size_matches(model) %}

{%- set sizes = {} -%}
{%- for tier in var('tiers') -%}
    {%- do sizes.update({tier.name: tier.personas}) -%}
{%- endfor -%}
{#- at parse time `model` is a placeholder: the check and the size apply when the test runs -#}
{%- if execute and model.identifier not in sizes -%}
    {{ exceptions.raise_compiler_error(
        "tier_size_matches on " ~ model ~ ": " ~ model.identifier ~ " is not a tier of var tiers") }}
{%- endif -%}
{%- set size = sizes.get(model.identifier, 0) %}

with counted as (

    select
        count(*) as n_rows,
        count(distinct persona_index) as n_indexes,
        min(persona_index) as first_index,
        max(persona_index) as last_index
    from {{ model }}

)

select
    n_rows,
    first_index,
    last_index,
    '{{ model.identifier }}: ' || cast(n_rows as varchar) || ' rows, persona_index '
        || coalesce(cast(first_index as varchar), 'null') || '..' || coalesce(cast(last_index as varchar), 'null')
        || '; var tiers gives it {{ size }} personas indexed 0..{{ size - 1 }}' as problem
from counted
where n_rows <> {{ size }}
    or n_indexes <> {{ size }}
    or first_index <> 0
    or last_index <> {{ size - 1 }}

{% endtest %}
