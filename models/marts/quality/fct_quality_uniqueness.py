from moldova_personas.metrics.quality import near_duplicates


def model(dbt, session):
    dbt.config(materialized="table")
    lsh = dbt.config.get("meta")["lsh"]
    return near_duplicates(
        dbt.ref("fct_quality_corpus"),
        threshold=float(lsh["threshold"]),
        num_perm=int(lsh["num_perm"]),
        shingle_size=int(lsh["shingle_size"]),
    )
