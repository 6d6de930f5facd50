from moldova_personas.dbt_models import rpt_release_baseline


def model(dbt, session):
    dbt.config(materialized="table")
    return rpt_release_baseline(dbt.ref("rpt_release_candidate"), dbt.ref("stg_release__release_baseline"))
