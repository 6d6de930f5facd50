from moldova_personas.dbt_models import int_census_targets


def model(dbt, session):
    dbt.config(materialized="table")
    # The fit computed these targets from the census seeds; storing them here lets analysts read them.
    return int_census_targets(dbt.ref("int_census_model"))
