from moldova_personas.release.export import prepare_staging


def model(dbt, session):
    dbt.config(materialized="table")
    meta = dbt.config.get("meta")
    # Gate: only reached when the contract and every safety test upstream passed in this build.
    dbt.ref("rpt_release_contract")
    return prepare_staging(dbt.ref("rpt_release_candidate"), export_root=meta["export_root"])
