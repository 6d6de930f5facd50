from moldova_personas.dbt_models import rpt_persona_occupations


def model(dbt, session):
    dbt.config(materialized="table")
    # Every tier that has been built in this database is measured; tiers never built are skipped.
    tiers = {
        "tier_1k": lambda: dbt.ref("tier_1k"),
        "tier_25k": lambda: dbt.ref("tier_25k"),
        "tier_100k": lambda: dbt.ref("tier_100k"),
        "tier_1m": lambda: dbt.ref("tier_1m"),
    }
    return rpt_persona_occupations(tiers, dbt.ref("int_occupation_titles_weighted"))
