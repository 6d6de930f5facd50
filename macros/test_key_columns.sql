{% macro test_key_columns(model, column_name, key_columns, test_name) %}
    {#- The columns naming a failing row: `key_columns` (a name or a list), else the relation's first
        column (which a `where` config hides, so it is then required). -#}
    {%- if key_columns is string -%}
        {%- set key_columns = [key_columns] -%}
    {%- endif -%}
    {%- if key_columns is not none and (key_columns is not iterable or key_columns | length == 0) -%}
        {{ exceptions.raise_compiler_error(
            test_name ~ " on " ~ model ~ "." ~ column_name
            ~ ": key_columns must be a column name or a non-empty list, got " ~ key_columns) }}
    {%- endif -%}
    {%- if key_columns is none and model.identifier is not defined -%}
        {{ exceptions.raise_compiler_error(
            test_name ~ " on " ~ test_relation_name(model) ~ "." ~ column_name
            ~ ": pass key_columns when the test has a `where` config") }}
    {%- endif -%}
    {%- if key_columns is none -%}
        {%- set key_columns = [adapter.get_columns_in_relation(model)[0].name] if execute else [column_name] -%}
    {%- endif -%}
    {{ return(key_columns) }}
{% endmacro %}
