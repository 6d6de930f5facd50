from moldova_personas.dbt_models import sample_tier


def model(dbt, session):
    dbt.config(materialized="table")
    references = {
        "names_first": dbt.ref("int_names_first_weighted").df(),
        "names_last": dbt.ref("int_names_last_weighted").df(),
        "occupation_titles": dbt.ref("int_occupation_titles_weighted").df(),
        "assumption_big_five_params": dbt.ref("stg_reference__assumption_big_five_params").df(),
    }
    seed = dbt.config.get("meta")["seed"]
    return sample_tier(dbt.ref("int_census_model"), references, "tier_1m", seed)
