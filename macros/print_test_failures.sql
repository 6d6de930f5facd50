-- sqlfluff:exclude_rules:layout.indent
-- (a macro that only logs renders to whitespace; sqlfluff reads the Jinja indentation as SQL indent)
{% macro print_test_failures(results, max_rows=5) %}
    {#-
        on-run-end: for every test that failed or warned in this run, print the failing rows' own
        explanation (their `problem` column, else `reason`/`detail`, else the row itself), not only dbt's
        "Got N results". The rows come from re-running the test's compiled query (the stored failures of
        a store_failures test hold the same rows).
    -#}
    {%- if not execute -%}{%- do return('') -%}{%- endif -%}
    {%- for result in results
          if result.node.resource_type == 'test' and result.status in ['fail', 'warn', 'error'] -%}
        {%- set node = result.node -%}
        {%- set label = 'FAIL' if result.status == 'fail' else 'WARN' if result.status == 'warn' else 'ERROR' -%}
        {%- if result.status == 'error' -%}
            {%- do log("[tests] " ~ label ~ " " ~ node.name ~ ": " ~ ((result.message or '') | string).strip().split('\n')[0][:400], info=true) -%}
        {%- elif node.compiled_code -%}
            {%- set query = "select * from (" ~ node.compiled_code ~ "\n) as failing limit " ~ (max_rows + 1) -%}
            {%- set rows = run_query(query) -%}
            {%- set names = rows.column_names | map('lower') | list -%}
            {%- set column = (['problem', 'reason', 'detail', 'failure_reason'] | select('in', names) | list | first) -%}
            {%- do log("[tests] " ~ label ~ " " ~ node.name ~ " (" ~ (result.failures or 0) ~ " row"
                   ~ ('s' if (result.failures or 0) != 1 else '') ~ "):", info=true) -%}
            {%- for row in rows.rows[:max_rows] -%}
                {%- if column -%}
                    {%- set text = row[names.index(column)] | string -%}
                {%- else -%}
                    {%- set cells = [] -%}
                    {%- for name in rows.column_names[:6] -%}
                        {%- do cells.append(name ~ '=' ~ (row[loop.index0] | string)[:80]) -%}
                    {%- endfor -%}
                    {%- set text = cells | join(', ') -%}
                {%- endif -%}
                {%- do log("[tests]     " ~ text[:1500], info=true) -%}
            {%- endfor -%}
            {%- if (result.failures or 0) > max_rows -%}
                {%- do log("[tests]     ... and " ~ (result.failures - max_rows) ~ " more (every row: run the"
                       ~ " test's query, dbt prints its path after \"compiled code at\")", info=true) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do return('') -%}
{% endmacro %}
