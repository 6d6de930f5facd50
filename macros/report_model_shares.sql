-- sqlfluff:exclude_rules:layout.indent
-- (a macro that only logs renders to whitespace; sqlfluff reads the Jinja indentation as SQL indent)
{% macro report_model_shares(results) %}
    {#-
        Log which model wrote how many published personas of the released tier (rpt_generation_models),
        the configured primary, the share written by another model and the gate's bound, whenever this
        run built the mart or tested it; say so when the build skipped it (its figures would be stale).
    -#}
    {%- if not execute -%}{%- do return('') -%}{%- endif -%}
    {%- set uid = 'model.moldova_personas.rpt_generation_models' -%}
    {%- set seen = {'model': none, 'tested': false} -%}
    {%- for result in results -%}
        {%- if result.node.unique_id == uid -%}
            {%- do seen.update({'model': result.status | string}) -%}
        {%- elif result.node.resource_type == 'test' and result.node.attached_node == uid -%}
            {%- do seen.update({'tested': true}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if seen.model is not none and seen.model != 'success' -%}
        {%- do log("[release] model shares not computed in this run: rpt_generation_models " ~ seen.model
               ~ " (an upstream model or test failed)", info=true) -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- if seen.model is none and not seen.tested -%}{%- do return('') -%}{%- endif -%}
    {%- set relation = adapter.get_relation(
        database=target.database, schema=target.schema, identifier='rpt_generation_models') -%}
    {%- if relation is none -%}{%- do return('') -%}{%- endif -%}
    {%- set rows = run_query(
        "select tier, model_used, any_value(primary_model), bool_or(is_primary_model), sum(n_personas), "
        ~ "sum(n_failed) from " ~ relation ~ " group by all order by 1, 5 desc, 2").rows -%}
    {%- set bound = var('release_max_non_primary_share') | float -%}
    {%- set tiers = {} -%}
    {%- for r in rows -%}
        {%- do tiers.setdefault(r[0], []).append(r) -%}
    {%- endfor -%}
    {%- for tier, models in tiers.items() -%}
        {%- set total = models | sum(attribute=4) -%}
        {%- set other = models | rejectattr(3) | sum(attribute=4) -%}
        {%- set parts = [] -%}
        {%- for m in models -%}
            {%- do parts.append(m[1] ~ " " ~ m[4] ~ " (" ~ "%.1f" | format(100 * m[4] / (total or 1)) ~ "%"
                ~ (", primary" if m[3] else "") ~ ((", " ~ m[5] ~ " failed") if m[5] else "") ~ ")") -%}
        {%- endfor -%}
        {%- do log("[release] " ~ tier ~ ": published text by " ~ (parts | join(', ') or 'no model')
               ~ " | configured primary " ~ models[0][2] ~ " | written by another model: "
               ~ "%.1f%%" | format(100 * other / (total or 1)) ~ " (gate allows "
               ~ "%.1f%%" | format(100 * bound) ~ ")", info=true) -%}
    {%- endfor -%}
    {%- do return('') -%}
{% endmacro %}
