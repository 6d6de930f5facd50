"""The dbt-facing surface: one function per Python model, named after the model.

Every models/**/*.py imports from this module only. What dbt hands a Python model (a DuckDB relation,
an Arrow table or reader, a pandas DataFrame) becomes Arrow here, in `to_arrow`; the stages below
(census, narration, metrics, release) take Arrow tables or plain values and never see dbt. Nothing in
the package imports this module.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pandas as pd
import pyarrow as pa

from moldova_personas.census import model_tables
from moldova_personas.census.fit import FittedModel, fit
from moldova_personas.census.fit_stats import census_fit_cells, census_fit_report
from moldova_personas.census.golden import golden_cores
from moldova_personas.census.inputs import build_inputs
from moldova_personas.census.occupations import REPORT_COLUMNS, occupation_diversity
from moldova_personas.census.sampler import CoreSampler, Reference
from moldova_personas.census.within_group import with_within_group
from moldova_personas.metrics import quality, safety
from moldova_personas.metrics.names import NAME_COLUMNS, name_diversity
from moldova_personas.narration.runtime import narrate_cores
from moldova_personas.narration.tier import narrate_tier
from moldova_personas.release import contract, export


def to_arrow(data: Any) -> pa.Table:
    """What dbt-duckdb hands a Python model (relation, Arrow table or reader, DataFrame) as an Arrow table."""
    if isinstance(data, pa.Table):
        return data
    if isinstance(data, pa.RecordBatchReader):  # DuckDB >= 1.4: relation.arrow() streams
        return data.read_all()
    if isinstance(data, pd.DataFrame):
        return pa.Table.from_pandas(data, preserve_index=False)
    if hasattr(data, "arrow"):  # a DuckDB relation
        return to_arrow(data.arrow())
    raise TypeError(f"expected a DuckDB relation, an Arrow table or reader, or a DataFrame, got {type(data)}")


def _pandas(data: Any) -> pd.DataFrame:
    return to_arrow(data).to_pandas()


def parse_seed(value: Any) -> int:
    """The `seed` var must be an integer; anything else stops the build with the fix."""
    try:
        seed = int(str(value).strip())
    except ValueError:
        raise ValueError(
            f"var 'seed' must be an integer, got {value!r}: run e.g. `dbt build --vars '{{seed: 42}}'`"
        ) from None
    if str(seed) != str(value).strip():
        raise ValueError(f"var 'seed' must be an integer, got {value!r}")
    return seed


# -- census: fit, targets, tiers, golden set ------------------------------------------------------


def int_census_model(inputs: Mapping[str, Any]) -> pa.Table:
    """The census model fitted once, as one row: each column holds one of its tables as a list of rows
    (joint_cells, conditionals, targets, raking_report); the int_census_* models unnest them.

    `inputs`: staging relations keyed by model name without the `stg_` prefix (census.inputs.REQUIRED)."""
    model = fit(build_inputs({name: _pandas(relation) for name, relation in inputs.items()}))
    parts = {
        "joint_cells": model_tables.joint_cells_table(model),
        "conditionals": model_tables.conditionals_table(model),
        "targets": model_tables.targets_table(model),
        "raking_report": model_tables.raking_table(model),
    }
    return pa.table({name: _as_one_list(table) for name, table in parts.items()})


def _as_one_list(table: pa.Table) -> pa.ListArray:
    """A table as a single list-of-structs value (one cell of a one-row table)."""
    rows = pa.StructArray.from_arrays(
        [column.combine_chunks() for column in table.columns], fields=table.schema
    )
    return pa.ListArray.from_arrays(pa.array([0, table.num_rows], pa.int32()), rows)


def load_census_model(joint_cells: Any, conditionals: Any) -> FittedModel:
    """The sampler's FittedModel, rebuilt from int_census_joint_cells and int_census_conditionals."""
    return model_tables.model_from_tables(to_arrow(joint_cells), to_arrow(conditionals))


def tier_list(tiers: Any) -> list[dict[str, Any]]:
    """Var `tiers` (a list, as a model's meta holds it, or its JSON): one row per tier, smallest first,
    each with name, personas, checkpoint_interval and max_deviation_pp. Bad rows stop the build."""
    rows = json.loads(tiers) if isinstance(tiers, str) else [dict(t) for t in tiers]
    keys = {"name", "personas", "checkpoint_interval", "max_deviation_pp"}
    for row in rows:
        if set(row) != keys or not str(row["name"]).startswith("tier_"):
            raise ValueError(
                f"var 'tiers': each tier needs exactly {sorted(keys)} and a name starting 'tier_', got {row}"
            )
    sizes = [int(row["personas"]) for row in rows]
    if not rows or sizes != sorted(set(sizes)) or sizes[0] < 1:
        raise ValueError(f"var 'tiers': sizes must be positive and increase from tier to tier, got {sizes}")
    return rows


def _reference(names: tuple[Any, Any], titles: Any, big_five: Any, rules: Any) -> Reference:
    """The sampler's reference tables: (first, last) name pools, occupation titles, Big Five parameters,
    life-course rules."""
    return Reference(
        first_names=_pandas(names[0]),
        last_names=_pandas(names[1]),
        titles=_pandas(titles),
        big_five_params=_pandas(big_five),
        life_course_rules=_pandas(rules),
    )


def sample_tier(census: tuple[Any, Any], reference: Reference, tier: str, seed: Any, tiers: Any) -> pa.Table:
    """The first `personas` cores of `tier` (var tiers) for `seed`, with a `tier` column.

    `census`: the int_census_joint_cells and int_census_conditionals relations (or tables)."""
    sizes = {row["name"]: int(row["personas"]) for row in tier_list(tiers)}
    if tier not in sizes:
        raise ValueError(f"unknown tier {tier!r}: var 'tiers' has {list(sizes)}; add it there")
    sampler = CoreSampler(load_census_model(*census), reference, parse_seed(seed), tuple(sizes.values()))
    cores = sampler.sample(sizes[tier])
    return cores.add_column(0, "tier", pa.array([tier] * cores.num_rows))


def tier_cores(
    tier: str,
    census: tuple[Any, Any],
    names: tuple[Any, Any],
    titles: Any,
    big_five: Any,
    rules: Any,
    meta: Mapping,
) -> pa.Table:
    """Every tier model (models/tiers/<name>.py): the tier it is named after, with the `seed` var."""
    reference = _reference(names, titles, big_five, rules)
    return sample_tier(census, reference, tier, meta["seed"], meta["tiers"])


def int_golden_cores(
    census: tuple[Any, Any], names: tuple[Any, Any], titles: Any, big_five: Any, rules: Any, meta: Mapping
) -> pa.Table:
    """200 fixed cores stratified by region, age group and occupation type (census.golden)."""
    block_ends = tuple(int(row["personas"]) for row in tier_list(meta["tiers"]))
    reference = _reference(names, titles, big_five, rules)
    return golden_cores(load_census_model(*census), reference, block_ends)


# -- narration ------------------------------------------------------------------------------------


def _narration_meta(meta: Mapping[str, Any]) -> dict[str, Any]:
    """The model's meta with the checkpoint interval of every tier of var tiers (keyed '1k', '25k', ...,
    as the narration settings name a tier)."""
    narration = dict(meta.get("narration", {}))
    if "tiers" in meta:
        intervals = {
            row["name"].removeprefix("tier_"): int(row["checkpoint_interval"])
            for row in tier_list(meta["tiers"])
        }
        narration["checkpoint_interval"] = intervals
    return {**meta, "narration": narration}


def int_golden_narrated(cores: Any, anchors: Any, constraints: Any, meta: Mapping[str, Any]) -> pa.Table:
    return narrate_cores(to_arrow(cores), _narration_meta(meta), to_arrow(anchors), to_arrow(constraints))


def int_personas_narrated(
    session: Any, cores: Any, anchors: Any, constraints: Any, meta: Mapping[str, Any], this: Any = None
) -> pa.Table:
    """Narrate the release cores that need it; `this` (the incremental table) gives the rows narrated
    before, of which the runtime keeps the finished ones written by the primary model (see
    narration.runtime.plan_narration)."""
    existing = []
    if this is not None:
        query = f"select persona_id, status, model_used from {this}"
        keys = ("persona_id", "status", "model_used")
        existing = [dict(zip(keys, row, strict=True)) for row in session.execute(query).fetchall()]
    cores, anchors, constraints = to_arrow(cores), to_arrow(anchors), to_arrow(constraints)
    return narrate_tier(cores, anchors, constraints, _narration_meta(meta), existing)


# -- fit marts ------------------------------------------------------------------------------------


def _built_tiers(
    built: Any, meta: Mapping[str, Any], columns: tuple[str, ...] = ()
) -> dict[str, pd.DataFrame]:
    """The cores of every tier in `built` (the built_tiers view), one frame per tier in var tiers order."""
    present = {row[0] for row in built.project("tier").distinct().fetchall()}
    frames = {}
    for row in tier_list(meta["tiers"]):
        if row["name"] in present:
            rows = built.filter(f"tier = '{row['name']}'")
            frames[row["name"]] = _pandas(rows.project(", ".join(columns)) if columns else rows)
    return frames


def fct_census_fit_cells(built: Any, targets: Any, meta: Mapping[str, Any]) -> pd.DataFrame:
    """Fit cells of every built tier against the census targets."""
    return census_fit_cells(_built_tiers(built, meta), _pandas(targets))


def rpt_census_fit(cells: Any, meta: Mapping[str, Any]) -> pd.DataFrame:
    tiers = tier_list(meta["tiers"])
    sizes = {row["name"]: int(row["personas"]) for row in tiers}
    max_deviation = {row["name"]: float(row["max_deviation_pp"]) for row in tiers}
    cells = _pandas(cells)
    return with_within_group(census_fit_report(cells, sizes, max_deviation), cells, meta["within_group"])


def rpt_persona_names(built: Any, meta: Mapping[str, Any]) -> pd.DataFrame:
    """Name diversity of every built tier."""
    return name_diversity(_built_tiers(built, meta, NAME_COLUMNS))


def rpt_persona_occupations(built: Any, titles: Any, meta: Mapping[str, Any]) -> pd.DataFrame:
    """Title diversity and consistency breaks of every built tier."""
    sizes = {row["name"]: int(row["personas"]) for row in tier_list(meta["tiers"])}
    return occupation_diversity(_built_tiers(built, meta, REPORT_COLUMNS), _pandas(titles), sizes)


# -- quality and safety marts ---------------------------------------------------------------------


def rpt_quality_field_stats(corpus: Any) -> pa.Table:
    return quality.field_stats(to_arrow(corpus))


def fct_quality_constraint_consequences(corpus: Any) -> pa.Table:
    return quality.constraint_consequences(to_arrow(corpus))


def fct_quality_uniqueness(corpus: Any, meta: Mapping[str, Any]) -> pa.Table:
    lsh = meta["lsh"]
    return quality.near_duplicates(
        to_arrow(corpus),
        threshold=float(lsh["threshold"]),
        num_perm=int(lsh["num_perm"]),
        shingle_size=int(lsh["shingle_size"]),
    )


def fct_safety_findings(narratives: Any, patterns: Any) -> pa.Table:
    """Gate 1 and PII findings. Only the rows the patterns' SQL prefilter keeps leave DuckDB."""
    patterns = to_arrow(patterns)
    candidates = narratives.filter(safety.prefilter_sql(patterns.to_pylist()))
    return safety.find_safety_findings(to_arrow(candidates), patterns)


# -- release marts and exports --------------------------------------------------------------------


def rpt_release_baseline(candidate: Any, baseline: Any) -> pa.Table:
    return contract.release_baseline(to_arrow(candidate), to_arrow(baseline))


def rpt_release_contract(
    persona_metrics: Any,
    baseline: Any,
    guards: Any,
    census_fit: Any,
    safety_summary: Any,
    candidate: Any,
    meta: Mapping[str, Any],
) -> pa.Table:
    return contract.release_contract(
        persona_metrics=to_arrow(persona_metrics),
        baseline=to_arrow(baseline),
        guards=to_arrow(guards),
        census_fit=to_arrow(census_fit),
        safety_summary=to_arrow(safety_summary),
        candidate=to_arrow(candidate),
        seed=int(meta["bootstrap_seed"]),
        n_resamples=int(meta["bootstrap_resamples"]),
    )


def export_staging(candidate: Any, meta: Mapping[str, Any]) -> pa.Table:
    return export.prepare_staging(to_arrow(candidate), export_root=meta["export_root"])


def export_release(
    staging: Any,
    contract_table: Any,
    safety_summary: Any,
    census_fit: Any,
    distributions: Any,
    models: Any,
    meta: Mapping,
    sentence_reuse: Any = None,
) -> pa.Table:
    return export.finalize_release(
        staging=to_arrow(staging),
        contract=to_arrow(contract_table),
        safety=to_arrow(safety_summary),
        census_fit=to_arrow(census_fit),
        distributions=to_arrow(distributions),
        models=to_arrow(models),
        settings=meta,
        sentence_reuse=to_arrow(sentence_reuse) if sentence_reuse is not None else None,
    )
