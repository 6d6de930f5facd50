{% macro test_relation_name(model) %}
    {#- The tested relation's name for `problem` texts. With a `where` config dbt passes the model as a
        '(select ... from <relation> where ...) dbt_subquery' string; the name is read from it. -#}
    {{ return(model.identifier if model.identifier is defined
        else (model | string).split('from ')[1].split(' ')[0].split('.')[-1] | replace('"', '')) }}
{% endmacro %}
