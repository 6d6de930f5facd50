from moldova_personas.dbt_models import fct_census_fit_cells


def model(dbt, session):
    dbt.config(materialized="table")
    # Every tier that has been built in this database is measured; tiers never built are skipped.
    tiers = {
        "tier_1k": lambda: dbt.ref("tier_1k"),
        "tier_25k": lambda: dbt.ref("tier_25k"),
        "tier_100k": lambda: dbt.ref("tier_100k"),
        "tier_1m": lambda: dbt.ref("tier_1m"),
    }
    return fct_census_fit_cells(tiers, dbt.ref("int_census_targets"))
