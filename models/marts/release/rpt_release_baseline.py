from moldova_personas.release.contract import release_baseline


def model(dbt, session):
    dbt.config(materialized="table")
    return release_baseline(dbt.ref("rpt_release_candidate"), dbt.ref("release_baseline"))
