-- depends_on: {{ ref('tier_1k') }}
-- depends_on: {{ ref('tier_25k') }}
-- depends_on: {{ ref('tier_100k') }}
-- depends_on: {{ ref('tier_1m') }}
{#
    The tier everything downstream (narration, marts, exports) works on: var('tier') when given,
    else the largest tier selected in this invocation (`dbt build --select tier_25k+`), else tier_1k.
#}
{% set release_tier = resolve_release_tier() %}

with

cores as (

    select * from {{ ref(release_tier) }}

),

final as (

    select * from cores

)

select * from final
