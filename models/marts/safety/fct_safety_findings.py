from moldova_personas.metrics.safety import find_safety_findings


def model(dbt, session):
    dbt.config(materialized="table")
    patterns = dbt.ref("sensitive_claim_patterns").arrow()
    return find_safety_findings(dbt.ref("fct_safety_narratives"), patterns)
