from moldova_personas.metrics.quality import field_stats


def model(dbt, session):
    dbt.config(materialized="table")
    return field_stats(dbt.ref("fct_quality_corpus"))
