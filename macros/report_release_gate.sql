-- sqlfluff:exclude_rules:layout.indent
-- (a macro that only logs renders to whitespace; sqlfluff reads the Jinja indentation as SQL indent)
{% macro report_release_gate(results) %}
    {#-
        on-run-end: say whether this run released a tier and, if not, why. Promotion itself happens in
        export_release, which dbt runs only when every gate test upstream passed (a failing test skips
        all its descendants); this hook names the failing gate tests, the critical safety findings
        (persona, field, rule, matched text) and the release that stays current.
    -#}
    {%- if not execute -%}{%- do return('') -%}{%- endif -%}
    {%- set gate_dirs = ['marts/safety', 'marts/release', 'marts/fit', 'marts/personas'] -%}
    {%- set failed = [] -%}
    {%- set release = {'status': none} -%}
    {%- for result in results -%}
        {%- set node = result.node -%}
        {%- if node.resource_type == 'test' and result.status in ['fail', 'error'] -%}
            {%- do failed.append(node.name ~ ' (' ~ result.status ~ ', ' ~ (result.failures or 0) ~ ' rows)') -%}
        {%- elif node.resource_type == 'model' and node.name == 'export_release' -%}
            {%- do release.update({'status': result.status}) -%}
        {%- elif node.resource_type == 'model' and result.status == 'error' -%}
            {%- do failed.append(node.name ~ ' (model error)') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do report_model_shares(results) -%}
    {%- if release.status is none and failed | length == 0 -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set candidate = adapter.get_relation(database=target.database, schema=target.schema, identifier='rpt_release_candidate') -%}
    {%- set current = 'none' -%}
    {%- set tier = '?' -%}
    {%- if candidate is not none -%}
        {%- set tier = run_query("select tier from " ~ candidate).rows[0][0] -%}
        {%- set tier_dir = adapter.external_root() ~ '/' ~ tier -%}
        {%- set files = run_query("select count(*) from glob('" ~ tier_dir ~ "/CURRENT')").rows[0][0] -%}
        {%- if files > 0 -%}
            {%- set current = run_query("select trim(content) from read_text('" ~ tier_dir ~ "/CURRENT')").rows[0][0] | trim -%}
        {%- endif -%}
    {%- endif -%}
    {%- if release.status == 'success' -%}
        {%- set release_rel = adapter.get_relation(database=target.database, schema=target.schema, identifier='export_release') -%}
        {%- set outcome = run_query("select outcome, promoted from " ~ release_rel).rows[0] -%}
        {%- do log("[release] " ~ tier ~ ": " ~ outcome[0] ~ " -> current = " ~ current, info=true) -%}
        {%- for item in failed -%}
            {%- do log("[release]   failing outside the release gate (not upstream of the exports): " ~ item, info=true) -%}
        {%- endfor -%}
        {%- if outcome[1] -%}{%- do return('') -%}{%- endif -%}
    {%- else -%}
        {%- do log("[release] " ~ tier ~ ": NOT promoted (a failing test skips every model downstream of it, exports"
               ~ " included). Current release stays: " ~ current, info=true) -%}
        {%- for item in failed -%}
            {%- do log("[release]   failing in this run: " ~ item, info=true) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set contract = adapter.get_relation(database=target.database, schema=target.schema, identifier='rpt_release_contract') -%}
    {%- if contract is not none -%}
        {%- for r in run_query("select guard, detail from " ~ contract ~ " where not passed order by guard").rows -%}
            {%- do log("[release]   guard " ~ r[0] ~ ": " ~ r[1], info=true) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set findings = adapter.get_relation(database=target.database, schema=target.schema, identifier='fct_safety_findings') -%}
    {%- if findings is not none -%}
        {%- set rows = run_query(
            "select persona_id, field, gate, rule, matched_text from " ~ findings
            ~ " where severity = 'critical' order by persona_id, field limit 50"
        ).rows -%}
        {%- for r in rows -%}
            {%- do log("[release]   critical: persona " ~ r[0] ~ " [" ~ r[1] ~ "] " ~ r[2] ~ "/" ~ r[3] ~ ": \"" ~ r[4] ~ "\"", info=true) -%}
        {%- endfor -%}
        {%- if rows | length > 0 -%}
            {%- do log("[release]   to narrate these personas again: make renarrate SAFETY=1, then make run"
                       ~ " (or make tier TIER=<tier>); no other persona is requested again", info=true) -%}
        {%- endif -%}
    {%- endif -%}
    {%- do return('') -%}
{% endmacro %}
