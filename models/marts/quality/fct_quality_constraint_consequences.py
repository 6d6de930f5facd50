from moldova_personas.dbt_models import fct_quality_constraint_consequences


def model(dbt, session):
    dbt.config(materialized="table")
    return fct_quality_constraint_consequences(dbt.ref("fct_quality_corpus"))
