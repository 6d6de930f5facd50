{#-
    A long-format conditional table (one row per condition x category) must give every condition
    probabilities summing to 1, except a condition no one falls in: a condition whose `population` has no
    weight (e.g. urban adults of a raion without an urban locality) may be all zero. The population is
    matched on the condition columns it shares with the model (a null condition key matches every value).
    Returns one row per failing condition with its sum, population and a `problem` text.
-#}
{% test conditionals_sum_to_one(model, column_name, condition_columns, population, population_weight, tolerance=1e-9) %}

{%- set model_name = test_relation_name(model) -%}

{%- if condition_columns is string or condition_columns is not iterable or condition_columns | length == 0 -%}
    {{ exceptions.raise_compiler_error(
        "conditionals_sum_to_one on " ~ model_name ~ "." ~ column_name
        ~ ": condition_columns must be a non-empty list of column names, got " ~ condition_columns) }}
{%- endif -%}
{%- if tolerance is not number or tolerance < 0 -%}
    {{ exceptions.raise_compiler_error(
        "conditionals_sum_to_one on " ~ model_name ~ "." ~ column_name
        ~ ": tolerance must be a number >= 0, got " ~ tolerance) }}
{%- endif -%}
{%- set shared = [] -%}
{%- if execute -%}
    {%- set population_columns = adapter.get_columns_in_relation(population) | map(attribute='name') | list -%}
    {%- for col in condition_columns if col in population_columns -%}
        {%- do shared.append(col) -%}
    {%- endfor -%}
{%- endif -%}

with conditions as (

    select
        {{ condition_columns | join(',\n        ') }},
        sum({{ column_name }}) as share_sum
    from {{ model }}
    group by all

),

weighted as (

    select
        conditions.*,
        {{ row_label(condition_columns, 'conditions.') }} as condition_key,
        (
            select coalesce(sum(members.{{ population_weight }}), 0)
            from {{ population }} as members
            where
                true
{%- for col in shared %}
                and (conditions.{{ col }} is null or members.{{ col }} = conditions.{{ col }})
{%- endfor %}
        ) as population_weight
    from conditions

)

select
    condition_key,
    share_sum,
    population_weight,
    '{{ model_name }}: ' || condition_key || ': {{ column_name }} sums to ' || cast(share_sum as varchar)
        || case when population_weight > 0
            then ', expected 1 (the condition holds ' || cast(round(population_weight, 1) as varchar) || ' in {{ population.identifier }})'
            else ', expected 1, or 0 for a condition with no one in it'
        end as problem
from weighted
where abs(share_sum - 1) > {{ tolerance }}
    and not (population_weight = 0 and abs(share_sum) <= {{ tolerance }})

{% endtest %}
