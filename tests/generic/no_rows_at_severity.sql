{% test no_rows_at_severity(model, column_name='severity', level='critical', describe=none) %}
{#- A gate test: every row whose `column_name` equals `level` fails, returned with a `problem` text built
    from the SQL expression `describe` (e.g. persona_id || ': ' || rule). Pair a `level: critical` test at
    severity error with a `level: warning` test at severity warn. -#}
{%- if level not in ['critical', 'warning'] -%}
    {{ exceptions.raise_compiler_error("no_rows_at_severity: level must be 'critical' or 'warning', got " ~ level) }}
{%- endif -%}

select
    {{ describe if describe else "'" ~ level ~ " row'" }} as problem,
    *
from {{ model }}
where {{ column_name }} = '{{ level }}'

{% endtest %}
