from moldova_personas.dbt_models import census_fit_report


def model(dbt, session):
    dbt.config(materialized="table")
    return census_fit_report(dbt.ref("fct_census_fit_cells"))
