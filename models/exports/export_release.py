from moldova_personas.dbt_models import export_release


def model(dbt, session):
    dbt.config(materialized="table")
    # the five data files: referenced so that they are written before the folder is finalised
    dbt.ref("export_internal_full"), dbt.ref("export_schema_compat"), dbt.ref("export_extended_jsonl")
    dbt.ref("export_extended_parquet"), dbt.ref("export_extended_csv")
    return export_release(
        staging=dbt.ref("export_staging"),
        contract_table=dbt.ref("rpt_release_contract"),
        safety_summary=dbt.ref("rpt_safety_summary"),
        census_fit=dbt.ref("rpt_census_fit"),
        distributions=dbt.ref("rpt_release_distributions"),
        models=dbt.ref("rpt_generation_models"),
        meta=dbt.config.get("meta"),
        sentence_reuse=dbt.ref("rpt_quality_sentence_reuse"),
    )
