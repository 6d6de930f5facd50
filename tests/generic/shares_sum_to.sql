{#-
    Returns one row per group whose shares do not sum to `expected` (default 100) within `tolerance`.
    A group with no rows at all is not reported (nothing to sum); filter rows with `config: where:`.
-#}
{% test shares_sum_to(model, column_name, group_by=none, expected=100, tolerance=0.5) %}

{%- set model_name = test_relation_name(model) -%}

{%- if group_by is string -%}
    {%- set group_by = [group_by] -%}
{%- endif -%}
{%- if group_by is not none and (group_by is not iterable or group_by | length == 0) -%}
    {{ exceptions.raise_compiler_error(
        "shares_sum_to on " ~ model ~ "." ~ column_name
        ~ ": group_by must be a column name or a non-empty list of column names, got " ~ group_by) }}
{%- endif -%}
{%- if expected is not number or tolerance is not number or tolerance < 0 -%}
    {{ exceptions.raise_compiler_error(
        "shares_sum_to on " ~ model ~ "." ~ column_name
        ~ ": expected and tolerance must be numbers and tolerance >= 0, got expected=" ~ expected
        ~ ", tolerance=" ~ tolerance) }}
{%- endif -%}

{%- set group_label = row_label(group_by) if group_by else "'all rows'" %}

with grouped as (

    select
        {{ group_label }} as group_key,
        sum({{ column_name }}) as share_sum,
        count(*) as n_rows
    from {{ model }}
{%- if group_by %}
    group by {{ group_by | join(', ') }}
{%- endif %}

)

select
    group_key,
    share_sum,
    n_rows,
    '{{ model_name }}: group ' || group_key || ': {{ column_name }} sums to '
        || coalesce(cast(round(share_sum, 4) as varchar), 'null')
        || ', expected {{ expected }} +-{{ tolerance }}' as problem
from grouped
where share_sum is null
    or abs(share_sum - {{ expected }}) > {{ tolerance }}

{% endtest %}
