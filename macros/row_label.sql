{% macro row_label(columns, qualifier='') %}
    {#- SQL naming a row by its column values for `problem` texts, e.g.
        concat_ws(', ', 'sex=' || coalesce(cast(sex as varchar), 'null'), ...); `qualifier` prefixes
        each column reference (e.g. 'conditions.'). -#}
    {%- set parts = [] -%}
    {%- for col in columns -%}
        {%- do parts.append("'" ~ (col | replace("'", "''")) ~ "=' || coalesce(cast(" ~ qualifier ~ col
            ~ " as varchar), 'null')") -%}
    {%- endfor -%}
    {{ return("concat_ws(', ', " ~ parts | join(', ') ~ ")") }}
{% endmacro %}
