from moldova_personas.dbt_models import persona_occupations_from_tiers


def model(dbt, session):
    dbt.config(materialized="table")
    # Every tier that has been built in this database is measured; tiers never built are skipped.
    loaders = {
        "tier_1k": lambda: dbt.ref("tier_1k"),
        "tier_25k": lambda: dbt.ref("tier_25k"),
        "tier_100k": lambda: dbt.ref("tier_100k"),
        "tier_1m": lambda: dbt.ref("tier_1m"),
    }
    return persona_occupations_from_tiers(loaders, dbt.ref("int_occupation_titles_weighted"))
