{#-
    Rows summed by `group_by` must equal the group's `total_column`, a value every row of the group
    carries (e.g. fitted cell weights of a locality = the locality's adult population). Returns one row
    per group where the sum differs from the total by more than `tolerance`, or the total is not one
    value within the group.
-#}
{% test sum_equals_column(model, column_name, group_by, total_column, tolerance=0) %}

{%- set model_name = test_relation_name(model) -%}

{%- if group_by is string -%}
    {%- set group_by = [group_by] -%}
{%- endif -%}
{%- if group_by is not iterable or group_by | length == 0 or total_column is not string -%}
    {{ exceptions.raise_compiler_error(
        "sum_equals_column on " ~ model ~ "." ~ column_name
        ~ ": group_by must be a column name or a non-empty list, and total_column one column name; got group_by="
        ~ group_by ~ ", total_column=" ~ total_column) }}
{%- endif -%}
{%- if tolerance is not number or tolerance < 0 -%}
    {{ exceptions.raise_compiler_error(
        "sum_equals_column on " ~ model ~ "." ~ column_name ~ ": tolerance must be a number >= 0, got " ~ tolerance) }}
{%- endif -%}

with grouped as (

    select
        {{ row_label(group_by) }} as group_key,
        sum({{ column_name }}) as group_sum,
        min({{ total_column }}) as group_total,
        count(distinct {{ total_column }}) as n_totals
    from {{ model }}
    group by {{ group_by | join(', ') }}

)

select
    group_key,
    group_sum,
    group_total,
    case
        when n_totals <> 1
            then '{{ model_name }}: ' || group_key || ': {{ total_column }} takes '
                || cast(n_totals as varchar) || ' values within the group, expected one'
        else '{{ model_name }}: ' || group_key || ': sum of {{ column_name }} = ' || cast(group_sum as varchar)
            || ' but {{ total_column }} = ' || cast(group_total as varchar)
            || ' (difference ' || cast(group_sum - group_total as varchar) || ', tolerance {{ tolerance }})'
    end as problem
from grouped
where n_totals <> 1
    or group_sum is null
    or abs(group_sum - group_total) > {{ tolerance }}

{% endtest %}
