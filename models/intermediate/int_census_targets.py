from moldova_personas.dbt_models import census_targets_of_model


def model(dbt, session):
    dbt.config(materialized="table")
    # The fit computed these targets from the census seeds; storing them here lets analysts read them.
    return census_targets_of_model(dbt.ref("int_census_model"))
