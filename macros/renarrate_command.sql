{% macro renarrate_command() %}
    {#- The command that narrates failed personas again (var renarrate_command in dbt_project.yml). -#}
    {{ return(var('renarrate_command', 'make renarrate')) }}
{% endmacro %}
