from moldova_personas.dbt_models import fct_quality_uniqueness


def model(dbt, session):
    dbt.config(materialized="table")
    return fct_quality_uniqueness(dbt.ref("fct_quality_corpus"), dbt.config.get("meta"))
