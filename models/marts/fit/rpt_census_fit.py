from moldova_personas.dbt_models import rpt_census_fit


def model(dbt, session):
    dbt.config(materialized="table")
    return rpt_census_fit(dbt.ref("fct_census_fit_cells"), dbt.config.get("meta"))
