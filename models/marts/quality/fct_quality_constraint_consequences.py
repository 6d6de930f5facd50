from moldova_personas.metrics.quality import constraint_consequences


def model(dbt, session):
    dbt.config(materialized="table")
    return constraint_consequences(dbt.ref("fct_quality_corpus"))
