from moldova_personas.dbt_models import tier_cores


def model(dbt, session):
    dbt.config(materialized="table")
    census = dbt.ref("int_census_joint_cells"), dbt.ref("int_census_conditionals")
    references = {
        "names_first": dbt.ref("int_names_first_weighted"),
        "names_last": dbt.ref("int_names_last_weighted"),
        "occupation_titles": dbt.ref("int_occupation_titles_weighted"),
        "assumption_big_five_params": dbt.ref("stg_reference__assumption_big_five_params"),
    }
    return tier_cores(dbt.this.identifier, census, references, dbt.config.get("meta"))
