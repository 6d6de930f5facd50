from moldova_personas.narration.shards import narrate_release


def model(dbt, session):
    dbt.config(materialized="incremental", unique_key="persona_id")
    anchors, constraints = dbt.ref("stg_narration__anchors"), dbt.ref("stg_narration__constraints")
    done = set()
    if dbt.is_incremental:  # finished rows are kept; failed ones are retried on the next run
        done = {r[0] for r in session.execute(f"select persona_id from {dbt.this} where status = 'ok'").fetchall()}
    meta = dbt.config.get("meta")
    return narrate_release(session, dbt.ref("release_cores"), anchors, constraints, meta, done)
