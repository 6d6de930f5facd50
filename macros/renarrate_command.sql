{% macro renarrate_command() %}
    {#- The command that marks failed personas for narration again (var renarrate_command in dbt_project.yml). -#}
    {{ return(var('renarrate_command', 'make renarrate STATUS=failed')) }}
{% endmacro %}
