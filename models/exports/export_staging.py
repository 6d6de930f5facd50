from moldova_personas.dbt_models import export_staging


def model(dbt, session):
    dbt.config(materialized="table")
    # Gate: only reached when the contract and every safety test upstream passed in this build.
    dbt.ref("rpt_release_contract")
    return export_staging(dbt.ref("rpt_release_candidate"), dbt.config.get("meta"))
