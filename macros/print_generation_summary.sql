{% macro print_generation_summary() %}
    {#- on-run-end: print the scale-harness summary of each tier from rpt_generation_tier_summary,
        when that mart exists in the target (quietly nothing otherwise). -#}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set relation = adapter.get_relation(
        database=target.database, schema=target.schema, identifier='rpt_generation_tier_summary') -%}
    {%- if relation is none -%}{{ return('') }}{%- endif -%}
    {%- set rows = run_query(
        "select tier, n_personas_logged, n_personas, success_rate, repair_rate, p50_latency_ms, p95_latency_ms, "
        ~ "p99_latency_ms, throughput_personas_per_min, total_tokens, cost_usd, cost_usd_spec_estimate, "
        ~ "opening_move_entropy_bits, anchor_diversity_250, mean_pollyanna_score, drift_detected "
        ~ "from " ~ relation ~ " order by n_personas") -%}
    {%- for r in rows -%}
        {%- do log(
            "[generation " ~ r[0] ~ "] " ~ r[1] ~ "/" ~ r[2] ~ " personas logged | success "
            ~ "%.1f%%" | format((r[3] or 0) * 100) ~ " | repairs " ~ "%.1f%%" | format((r[4] or 0) * 100)
            ~ " | latency p50/p95/p99 " ~ "%.0f/%.0f/%.0f ms" | format(r[5] or 0, r[6] or 0, r[7] or 0)
            ~ " | throughput " ~ "%.0f personas/min" | format(r[8] or 0)
            ~ " | tokens " ~ r[9] ~ " | cost $" ~ "%.4f" | format(r[10] or 0)
            ~ " (spec estimate $" ~ "%.2f" | format(r[11] or 0) ~ ")"
            ~ " | opening entropy " ~ "%.2f bits" | format(r[12] or 0)
            ~ " | anchor diversity " ~ "%.2f" | format(r[13] or 0)
            ~ " | pollyanna " ~ "%.2f" | format(r[14] or 0)
            ~ " | drift " ~ ("DETECTED" if r[15] else "none"),
            info=true) -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}
