from moldova_personas.cores import census_fit_report


def model(dbt, session):
    dbt.config(materialized="table")
    return census_fit_report(dbt.ref("fct_census_fit_cells"))
