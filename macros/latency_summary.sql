{#- Mean and p50/p95/p99 of a latency column (ms), as select items: the batch and tier marts share them. -#}
{% macro latency_summary(column) -%}
    avg({{ column }}) as mean_latency_ms,
    quantile_cont({{ column }}, 0.50) as p50_latency_ms,
    quantile_cont({{ column }}, 0.95) as p95_latency_ms,
    quantile_cont({{ column }}, 0.99) as p99_latency_ms
{%- endmacro %}
