from moldova_personas.dbt_models import rpt_release_contract


def model(dbt, session):
    dbt.config(materialized="table")
    return rpt_release_contract(
        persona_metrics=dbt.ref("fct_release_persona_metrics"),
        baseline=dbt.ref("rpt_release_baseline"),
        guards=dbt.ref("stg_release__release_guards"),
        census_fit=dbt.ref("rpt_census_fit"),
        safety_summary=dbt.ref("rpt_safety_summary"),
        candidate=dbt.ref("rpt_release_candidate"),
        meta=dbt.config.get("meta"),
    )
