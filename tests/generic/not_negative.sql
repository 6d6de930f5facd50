{#-
    Returns every row where `column_name` is below zero. `key_columns` name the row in the problem
    text (default: the first column of the relation). Nulls are not reported (test them with not_null).
-#}
{% test not_negative(model, column_name, key_columns=none) %}

{%- set model_name = test_relation_name(model) -%}

{%- set key_columns = test_key_columns(model, column_name, key_columns, 'not_negative') %}

select
    {{ key_columns | join(', ') }},
    {{ column_name }} as failing_value,
    '{{ model_name }}: row ' || {{ row_label(key_columns) }}
        || ': {{ column_name }} = ' || cast({{ column_name }} as varchar) || ' is negative' as problem
from {{ model }}
where {{ column_name }} < 0

{% endtest %}
