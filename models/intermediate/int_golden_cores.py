from moldova_personas.dbt_models import int_golden_cores


def model(dbt, session):
    dbt.config(materialized="table")
    census = dbt.ref("int_census_joint_cells"), dbt.ref("int_census_conditionals")
    names = dbt.ref("int_names_first_weighted"), dbt.ref("int_names_last_weighted")
    titles = dbt.ref("int_occupation_titles_weighted")
    big_five = dbt.ref("stg_reference__assumption_big_five_params")
    rules = dbt.ref("stg_assumptions__assumption_life_course_rules")
    return int_golden_cores(census, names, titles, big_five, rules, dbt.config.get("meta"))
