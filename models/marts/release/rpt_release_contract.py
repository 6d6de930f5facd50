from moldova_personas.release.contract import release_contract


def model(dbt, session):
    dbt.config(materialized="table")
    meta = dbt.config.get("meta")
    return release_contract(
        persona_metrics=dbt.ref("fct_release_persona_metrics"),
        baseline=dbt.ref("rpt_release_baseline"),
        guards=dbt.ref("release_guards"),
        census_fit=dbt.ref("rpt_census_fit"),
        safety_summary=dbt.ref("rpt_safety_summary"),
        candidate=dbt.ref("rpt_release_candidate"),
        seed=int(meta["bootstrap_seed"]),
        n_resamples=int(meta["bootstrap_resamples"]),
    )
