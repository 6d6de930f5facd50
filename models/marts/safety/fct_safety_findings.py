from moldova_personas.dbt_models import fct_safety_findings


def model(dbt, session):
    dbt.config(materialized="table")
    return fct_safety_findings(dbt.ref("fct_safety_narratives"), dbt.ref("stg_safety__sensitive_claim_patterns"))
