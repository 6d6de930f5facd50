from moldova_personas.dbt_models import int_golden_narrated


def model(dbt, session):
    dbt.config(materialized="table")
    anchors, constraints = dbt.ref("stg_narration__anchors"), dbt.ref("stg_narration__constraints")
    return int_golden_narrated(dbt.ref("int_golden_cores"), anchors, constraints, dbt.config.get("meta"))
