from moldova_personas.dbt_models import rpt_quality_field_stats


def model(dbt, session):
    dbt.config(materialized="table")
    return rpt_quality_field_stats(dbt.ref("fct_quality_corpus"))
