from moldova_personas.dbt_models import rpt_persona_names


def model(dbt, session):
    dbt.config(materialized="table")
    # Every tier built in this database is measured (built_tiers); tiers never built are skipped.
    return rpt_persona_names(dbt.ref("built_tiers"), dbt.config.get("meta"))
