{#-
    Release gate: fails when more than `max_failed` personas of the model have no validated narration
    (status other than ok, or not narrated). Returns one row per (status, reason), most frequent first,
    with its count, up to three persona ids and a `problem` text that names the command retrying them.
-#}
{% test narration_failures_at_most(
    model, max_failed=0, status_column='narration_status', reason_column='narration_failure_reason',
    id_column='persona_id', order_column='persona_index'
) %}

{%- set max_failed = max_failed | string | trim -%}
{%- if not max_failed.isdigit() -%}
    {{ exceptions.raise_compiler_error(
        "narration_failures_at_most on " ~ model ~ ": max_failed must be an integer >= 0, got '" ~ max_failed ~ "'") }}
{%- endif %}

with

personas as (

    select * from {{ model }}

),

failed as (

    select
        {{ id_column }} as persona_id,
        {{ order_column }} as sort_key,
        coalesce({{ status_column }}, 'not narrated') as status,
        coalesce(nullif(trim({{ reason_column }}), ''), '(no reason recorded)') as reason
    from personas
    where {{ status_column }} is distinct from 'ok'

),

totals as (

    select
        (select count(*) from failed) as n_failed,
        (select count(*) from personas) as n_personas

),

reasons as (

    select
        status,
        left(reason, 300) as reason,
        count(*) as n_personas,
        list(persona_id order by sort_key)[1:3] as example_ids
    from failed
    group by all

),

final as (

    select
        reasons.status,
        reasons.reason,
        reasons.n_personas,
        reasons.example_ids,
        totals.n_failed,
        totals.n_personas as n_total,
        totals.n_failed || ' of ' || totals.n_personas || ' personas have no validated narration (gate allows '
        || {{ max_failed }} || '): ' || reasons.n_personas || ' x ' || reasons.status || ' "' || reasons.reason
        || '", e.g. ' || array_to_string(reasons.example_ids, ', ')
        || '. They are not published; retry them: `{{ renarrate_command() }}`, then rebuild (`make run`, or '
        || '`make tier TIER=<tier>`)' as problem
    from reasons
    cross join totals
    where totals.n_failed > {{ max_failed }}

)

select * from final
order by n_personas desc, status asc, reason asc

{% endtest %}
