from moldova_personas.dbt_models import fct_census_fit_cells


def model(dbt, session):
    dbt.config(materialized="table")
    # Every tier built in this database is measured (built_tiers); tiers never built are skipped.
    return fct_census_fit_cells(dbt.ref("built_tiers"), dbt.ref("int_census_targets"), dbt.config.get("meta"))
