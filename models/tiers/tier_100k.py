from moldova_personas.dbt_models import tier_cores


def model(dbt, session):
    # One file per tier because dbt selects models by file; every tier file is this one (var tiers).
    census = dbt.ref("int_census_joint_cells"), dbt.ref("int_census_conditionals")
    names = dbt.ref("int_names_first_weighted"), dbt.ref("int_names_last_weighted")
    titles = dbt.ref("int_occupation_titles_weighted")
    big_five = dbt.ref("stg_reference__assumption_big_five_params")
    rules = dbt.ref("stg_assumptions__assumption_life_course_rules")
    return tier_cores(dbt.this.identifier, census, names, titles, big_five, rules, dbt.config.get("meta"))
