from moldova_personas.dbt_models import rpt_persona_occupations


def model(dbt, session):
    dbt.config(materialized="table")
    # Every tier built in this database is measured (built_tiers); tiers never built are skipped.
    titles = dbt.ref("int_occupation_titles_weighted")
    return rpt_persona_occupations(dbt.ref("built_tiers"), titles, dbt.config.get("meta"))
