{#-
    Child rows summed by `group_by` must equal the parent's `parent_column` on `parent_key`
    (e.g. raion populations summed by region = the region total). Returns one row per key where the
    sums differ by more than `tolerance`, and per key present on one side only.
    Filter the child with `config: where:`, the parent with `parent_where`.
-#}
{% test sum_equals_parent(
    model, column_name, group_by, parent, parent_key, parent_column=none, parent_where=none, tolerance=0
) %}

{%- set model_name = test_relation_name(model) -%}

{%- if group_by is not string or parent_key is not string -%}
    {{ exceptions.raise_compiler_error(
        "sum_equals_parent on " ~ model ~ "." ~ column_name
        ~ ": group_by and parent_key must each be one column name, got group_by=" ~ group_by
        ~ ", parent_key=" ~ parent_key) }}
{%- endif -%}
{%- if tolerance is not number or tolerance < 0 -%}
    {{ exceptions.raise_compiler_error(
        "sum_equals_parent on " ~ model ~ "." ~ column_name ~ ": tolerance must be a number >= 0, got " ~ tolerance) }}
{%- endif -%}
{%- set parent_column = parent_column or column_name -%}
{%- set group_label = group_by | replace("'", "''") %}

with children as (

    select
        cast({{ group_by }} as varchar) as group_key,
        sum({{ column_name }}) as child_sum
    from {{ model }}
    group by 1

),

parents as (

    select
        cast({{ parent_key }} as varchar) as group_key,
        {{ parent_column }} as parent_value
    from {{ parent }}
{%- if parent_where %}
    where {{ parent_where }}
{%- endif %}

),

compared as (

    select
        coalesce(children.group_key, parents.group_key) as group_key,
        children.child_sum,
        parents.parent_value
    from children
    full outer join parents
        on children.group_key = parents.group_key

)

select
    group_key,
    child_sum,
    parent_value,
    case
        when parent_value is null and child_sum is not null
            then '{{ model_name }}: {{ group_label }}=' || group_key
                || ' has rows but no {{ parent_column }} in {{ parent.identifier }}'
        when child_sum is null
            then '{{ model_name }}: {{ group_label }}=' || group_key
                || ' has no {{ column_name }} rows but {{ parent.identifier }} has {{ parent_column }} = '
                || cast(parent_value as varchar)
        else '{{ model_name }}: {{ group_label }}=' || group_key || ': sum of {{ column_name }} = '
            || cast(child_sum as varchar) || ' but {{ parent.identifier }}.{{ parent_column }} = '
            || cast(parent_value as varchar) || ' (difference ' || cast(child_sum - parent_value as varchar)
            || ', tolerance {{ tolerance }})'
    end as problem
from compared
where child_sum is null
    or parent_value is null
    or abs(child_sum - parent_value) > {{ tolerance }}

{% endtest %}
