from moldova_personas.dbt_models import int_personas_narrated


def model(dbt, session):
    dbt.config(materialized="incremental", unique_key="persona_id", on_schema_change="append_new_columns")
    anchors, constraints = dbt.ref("stg_narration__anchors"), dbt.ref("stg_narration__constraints")
    this = dbt.this if dbt.is_incremental else None  # rows narrated before: see narration.runtime.plan_narration
    meta = dbt.config.get("meta")
    return int_personas_narrated(session, dbt.ref("release_cores"), anchors, constraints, meta, this)
