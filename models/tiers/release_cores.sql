{#
    The tier everything downstream (narration, marts, exports) works on: var('tier') when given,
    else the largest tier selected in this invocation (`dbt build --select tier_25k+`), else the
    smallest of var tiers. Every tier is a candidate, hence one depends_on per tier.
#}
{%- for tier in tier_names() %}
-- depends_on: {{ ref(tier) }}
{%- endfor %}
{% set release_tier = resolve_release_tier() %}

with

cores as (

    select * from {{ ref(release_tier) }}

),

final as (

    select * from cores

)

select * from final
