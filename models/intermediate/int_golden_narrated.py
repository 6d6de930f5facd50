from moldova_personas.narration.runtime import narrate_cores


def model(dbt, session):
    dbt.config(materialized="table")
    cores = dbt.ref("int_golden_cores")
    anchors, constraints = dbt.ref("stg_narration__anchors"), dbt.ref("stg_narration__constraints")
    return narrate_cores(cores, dbt.config.get("meta"), anchors, constraints)
