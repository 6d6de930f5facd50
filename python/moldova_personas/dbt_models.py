"""Entry points of the dbt models that fit the census model, sample tiers and measure the fit."""

from __future__ import annotations

import json
import pickle
import zlib

import numpy as np
import pandas as pd
import pyarrow as pa
from scipy import stats

from moldova_personas.census.fit import FittedModel, fit
from moldova_personas.census.inputs import build_inputs
from moldova_personas.census.occupations import REPORT_COLUMNS, occupation_diversity
from moldova_personas.census.sampler import TIER_SIZES, CoreSampler, Reference
from moldova_personas.metrics.names import NAME_COLUMNS, name_diversity

MODEL_FORMAT = "moldova-personas-census-model/1"
GOLDEN_SEED = 20240408  # census reference day; fixed so the golden set never moves with `seed`


def parse_seed(value) -> int:
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


# -- census model -------------------------------------------------------------------------------


def fit_census_model(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row: the fitted model (compressed pickle) and its raking report."""
    model = fit(build_inputs(frames))
    blob = zlib.compress(pickle.dumps(model, protocol=5), 6)
    report = {k: (float(v) if not isinstance(v, int) else v) for k, v in model.fit_report.items()}
    return pd.DataFrame(
        {
            "model_format": [MODEL_FORMAT],
            "n_localities": [len(model.localities)],
            "adult_population": [float(model.localities["adult_population"].sum())],
            "raking_report": [json.dumps(report, sort_keys=True)],
            "model_blob": [blob],
        }
    )


def _to_pandas(data) -> pd.DataFrame:
    """Accept what dbt-duckdb hands a Python model: relation, Arrow table/reader or DataFrame."""
    if hasattr(data, "df") and not isinstance(data, pd.DataFrame):
        return data.df()
    if hasattr(data, "read_all"):
        data = data.read_all()
    return data.to_pandas() if hasattr(data, "to_pandas") else data


def load_census_model(table) -> FittedModel:
    frame = _to_pandas(table)
    if frame.empty or frame["model_format"].iloc[0] != MODEL_FORMAT:
        raise ValueError("int_census_model is empty or stale: run `dbt build --select +int_census_model`")
    return pickle.loads(zlib.decompress(frame["model_blob"].iloc[0]))


def census_targets_of_model(model_table) -> pd.DataFrame:
    """The targets the fitted model was raked to (computed by `census_targets` during the fit)."""
    return load_census_model(model_table).targets


# -- sampling -----------------------------------------------------------------------------------


def _reference(ref_frames: dict[str, pd.DataFrame]) -> Reference:
    return Reference(
        first_names=ref_frames["names_first"],
        last_names=ref_frames["names_last"],
        titles=ref_frames["occupation_titles"],
        big_five_params=ref_frames["assumption_big_five_params"],
    )


def sample_tier(model_table, ref_frames: dict[str, pd.DataFrame], tier: str, seed) -> pa.Table:
    if tier not in TIER_SIZES:
        raise ValueError(f"unknown tier {tier!r}; choose one of {sorted(TIER_SIZES)}")
    sampler = CoreSampler(load_census_model(model_table), _reference(ref_frames), parse_seed(seed))
    cores = sampler.sample(TIER_SIZES[tier])
    return cores.add_column(0, "tier", pa.array([tier] * cores.num_rows))


GOLDEN_DESIGN = {
    # age group x occupation type -> count; margins 50 each way (retired only at 46+).
    ("18-30", "professional"): 15,
    ("18-30", "service"): 18,
    ("18-30", "manual"): 17,
    ("31-45", "professional"): 17,
    ("31-45", "service"): 16,
    ("31-45", "manual"): 17,
    ("46-60", "professional"): 13,
    ("46-60", "service"): 12,
    ("46-60", "manual"): 15,
    ("46-60", "retired"): 10,
    ("60+", "professional"): 5,
    ("60+", "service"): 4,
    ("60+", "manual"): 1,
    ("60+", "retired"): 40,
}


def golden_age_group(age: int) -> str:
    return "18-30" if age <= 30 else "31-45" if age <= 45 else "46-60" if age <= 60 else "60+"


def golden_cores(model_table, ref_frames: dict[str, pd.DataFrame], pool_size: int = 40_000) -> pa.Table:
    """200 fixed cores: 40 per region, 50 per age group, 50 per occupation type.

    Drawn from a pool sampled with GOLDEN_SEED (not the `seed` var), so the set is stable across runs
    and seeds. Regions are spread over the design cells round-robin; within a cell the first pool
    rows that match are taken.
    """
    sampler = CoreSampler(load_census_model(model_table), _reference(ref_frames), GOLDEN_SEED)
    pool = sampler.sample(pool_size).to_pandas()
    pool["golden_age_group"] = pool["age"].map(golden_age_group)
    regions = ["Chisinau", "Nord", "Centru", "Sud", "Gagauzia"]
    picks, k = [], 0
    for (age_group, occ_type), count in GOLDEN_DESIGN.items():
        cell = pool[(pool["golden_age_group"] == age_group) & (pool["occupation_type"] == occ_type)]
        for _ in range(count):
            region = regions[k % len(regions)]
            k += 1
            match = cell[(cell["region"] == region) & ~cell.index.isin(picks)]
            if match.empty:
                raise ValueError(
                    f"golden pool has no {age_group}/{occ_type} core in {region}: raise pool_size"
                )
            picks.append(match.index[0])
    golden = pool.loc[picks].reset_index(drop=True)
    golden.insert(0, "golden_index", np.arange(len(golden)))
    return pa.Table.from_pandas(golden, preserve_index=False)


# -- fit report ---------------------------------------------------------------------------------

# census table -> (category column, how the group_value filters rows)
FIT_COLUMNS = {
    "census__population_by_region": "region",
    "census__population_by_raion": "raion",
    "census__localities_urban_rural": "residence_type",
    "census__age_sex": "sex",
    "census__population_single_age": "age_group",
    "census__ethnicity_national": "ethnicity",
    "census__ethnicity_by_area": "ethnicity",
    "census__ethnicity_by_region": "ethnicity",
    "census__native_language": "mother_tongue",
    "census__religion_national": "religion",
    "census__religion_by_raion": "religion",
    "census__marital_status": "marital_status",
    "census__education_level": "education_level",
    "census__education_by_area": "education_level",
    "census__education_by_raion": "education_level",
    "lfs__employment_status": "employment_status",
    "lfs__employment_rate_20_64": "employment_status",
    "assumption__isco_major_by_sex_area": "isco_major",
}


def _group_rows(cores: pd.DataFrame, table: str, group_value: str) -> pd.DataFrame:
    if group_value == "all":
        rows = cores
    elif table == "census__ethnicity_by_area":
        rows = cores[cores["residence_type"] == group_value]
    elif table == "census__ethnicity_by_region":
        rows = cores[cores["region"] == group_value]
    elif table in ("census__religion_by_raion", "census__education_by_raion"):
        rows = cores[cores["raion"] == group_value]
    elif table == "census__education_by_area":
        rows = cores[cores["residence_type"] == group_value]
    elif table == "lfs__employment_rate_20_64":
        rows = cores[cores["age"].between(20, 64)]
        dim, value = group_value.split("=")
        if dim != "all":
            rows = rows[rows[dim] == value]
    elif table == "assumption__isco_major_by_sex_area":
        sex, res = group_value.split("|")
        rows = cores[(cores["sex"] == sex) & (cores["residence_type"] == res)]
    else:
        raise ValueError(f"no group rule for {table} / {group_value}")
    if table == "lfs__employment_rate_20_64" and group_value == "all=all":
        rows = cores[cores["age"].between(20, 64)]
    if table == "assumption__isco_major_by_sex_area":
        rows = rows[rows["isco_major"].notna()]
    return rows


def _observed(rows: pd.DataFrame, table: str, category: str) -> int:
    column = FIT_COLUMNS[table]
    if table == "lfs__employment_rate_20_64":
        employed = rows["employment_status"] == "employed"
        return int(employed.sum() if category == "employed" else (~employed).sum())
    values = rows[column].astype("string")
    if " + " in category:  # a printed cell covering several groups, e.g. "Moldovan + Romanian"
        return int(values.isin(category.split(" + ")).sum())
    return int((values == category).sum())


def census_fit_cells(tiers: dict[str, pd.DataFrame], targets: pd.DataFrame) -> pd.DataFrame:
    """Observed vs expected for every tier x census table x group x category."""
    out = []
    for tier, cores in tiers.items():
        cores = cores.copy()
        cores["isco_major"] = cores["isco_major"].astype("Int64").astype("string")
        for (table, group), block in targets.groupby(["census_table", "group_value"], sort=True):
            rows = _group_rows(cores, table, group)
            n = len(rows)
            for t in block.itertuples():
                observed = _observed(rows, table, t.category)
                out.append(
                    {
                        "tier": tier,
                        "census_table": table,
                        "group_value": group,
                        "category": t.category,
                        "group_size": n,
                        "observed_count": observed,
                        "observed_share": observed / n if n else None,
                        "expected_share": t.expected_share,
                        "published_share": t.published_share,
                        "deviation_pp": (observed - t.expected_share * n) / len(cores) * 100,
                        "within_group_deviation_pp": (observed / n - t.expected_share) * 100 if n else None,
                    }
                )
    return pd.DataFrame(out)


MIN_EXPECTED_COUNT = 5.0  # Cochran's rule for the chi-square approximation


def _pool_small_cells(observed: np.ndarray, expected: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pool the cells of one group whose expected count is below MIN_EXPECTED_COUNT.

    Why: a religion held by 0.1 % of a raion expects 0.01 persons among its 10 personas of a 1K tier;
    the one persona balanced sampling must put somewhere would add ~100 to chi-square although nothing
    is wrong. The pooled cell keeps observed and expected totals (an impossible category that was drawn
    still counts); if it is itself below the threshold it joins the smallest remaining cell.
    """
    small = expected < MIN_EXPECTED_COUNT
    if not small.any():
        return observed, expected
    obs, exp = observed[~small], expected[~small]
    pooled_o, pooled_e = observed[small].sum(), expected[small].sum()
    if pooled_e >= MIN_EXPECTED_COUNT or exp.size == 0:
        return np.append(obs, pooled_o), np.append(exp, pooled_e)
    smallest = int(np.argmin(exp))
    obs, exp = obs.copy(), exp.copy()
    obs[smallest] += pooled_o
    exp[smallest] += pooled_e
    return obs, exp


def census_fit_summary(cells: pd.DataFrame) -> pd.DataFrame:
    """Per tier x census table: chi-square (summed over groups), p-value, SRMSE, max |deviation|.

    Partial tables (only some cells printed, e.g. ethnicity by region) are tested as
    cell-vs-rest; inside each group, cells expecting fewer than 5 persons are pooled before the
    chi-square (`_pool_small_cells`); SRMSE and the deviations use every cell as it is.
    """
    rows = []
    for (tier, table), block in cells.groupby(["tier", "census_table"], sort=True):
        chi2, dof = 0.0, 0
        sq, exp_sum, n_cells = 0.0, 0.0, 0
        for _, grp in block.groupby("group_value"):
            n = grp["group_size"].iloc[0]
            if n == 0:
                continue
            observed = grp["observed_count"].to_numpy(float)
            expected = grp["expected_share"].to_numpy(float) * n
            if expected.sum() < n - 1e-6 * n:  # partial table: add the rest as one cell
                observed = np.append(observed, n - observed.sum())
                expected = np.append(expected, n - expected.sum())
            pooled_o, pooled_e = _pool_small_cells(observed, expected)
            keep = pooled_e > 0
            chi2 += float((((pooled_o - pooled_e) ** 2)[keep] / pooled_e[keep]).sum())
            dof += max(int(keep.sum()) - 1, 0)
            sq += float(((observed - expected) ** 2).sum())
            exp_sum += float(expected.sum())
            n_cells += len(expected)
        srmse = (np.sqrt(sq / n_cells) / (exp_sum / n_cells)) if n_cells else None
        rows.append(
            {
                "tier": tier,
                "census_table": table,
                "n_personas": int(block["group_size"].max()),
                "n_cells": int(len(block)),
                "chi_square": chi2,
                "degrees_of_freedom": max(dof, 1),
                "p_value": float(stats.chi2.sf(chi2, max(dof, 1))),
                "srmse": srmse,
                "max_abs_deviation_pp": float(block["deviation_pp"].abs().max()),
            }
        )
    return pd.DataFrame(rows)


# Which seeds each fit table is built from, so the mart lists every census table used.
FIT_SOURCES = {
    "census__population_by_region": "localities (adults per locality), population_by_region (published)",
    "census__population_by_raion": "localities (adults per locality), population_by_raion (published)",
    "census__localities_urban_rural": "localities",
    "census__age_sex": "age_sex, assumption_age_sex_adults_2024, population_single_age_2024_approx",
    "census__population_single_age": "population_single_age_2024_approx, assumption_open_age_group",
    "census__ethnicity_national": "ethnicity_national, ethnicity_age_profile",
    "census__ethnicity_by_area": "ethnicity_by_area, ethnicity_age_profile",
    "census__ethnicity_by_region": "ethnicity_by_region, ethnicity_national, ethnicity_age_profile",
    "census__native_language": (
        "native_language, mother_tongue_by_ethnicity, assumption_mother_tongue_romanian_odds"
    ),
    "census__religion_national": "religion_national, religion_by_raion, religion_by_ethnicity",
    "census__religion_by_raion": "religion_by_raion (NBS table 5.29), religion_by_ethnicity",
    "census__marital_status": "marital_status, population_single_age_2024_approx",
    "census__education_level": "education_level, assumption_education_attainment_age_10_17",
    "census__education_by_area": (
        "education_higher_by_territory (urban), assumption_education_by_age_sex_area, localities"
    ),
    "census__education_by_raion": (
        "education_higher_by_territory (5 printed units; the rest modelled), "
        "assumption_education_by_age_sex_area, localities"
    ),
    "lfs__employment_status": "employment_status (LFS 2024), assumption_lfs_teen_status",
    "lfs__employment_rate_20_64": "employment_status (LFS 2024)",
    "assumption__isco_major_by_sex_area": "assumption_isco_major_by_sex_area, occupation_titles",
}


def _built_tiers(loaders: dict, columns: tuple[str, ...] | None = None) -> dict[str, pd.DataFrame]:
    """Every tier table that exists (`loaders`: tier -> callable returning a relation), as frames."""
    tiers = {}
    for tier, load in loaders.items():
        try:
            relation = load()
            tiers[tier] = (relation.project(", ".join(columns)) if columns else relation).df()
        except Exception as exc:  # the tier was never built in this database
            if "does not exist" not in str(exc) and "Catalog Error" not in str(exc):
                raise
    return tiers


def census_fit_cells_from_tiers(loaders: dict, targets) -> pd.DataFrame:
    """Fit cells for every tier table that exists."""
    return census_fit_cells(_built_tiers(loaders), _to_pandas(targets))


def persona_occupations_from_tiers(loaders: dict, titles) -> pd.DataFrame:
    """Title diversity and consistency breaks for every tier table that exists."""
    tiers = _built_tiers(loaders, REPORT_COLUMNS)
    return occupation_diversity(tiers, _to_pandas(titles), TIER_SIZES)


def _built_tiers(loaders: dict, columns: tuple | None = None) -> dict[str, pd.DataFrame]:
    """Frames of the tiers built in this database (`loaders`: tier -> callable returning a relation)."""
    tiers = {}
    for tier, load in loaders.items():
        try:
            relation = load()
            tiers[tier] = (relation.project(", ".join(columns)) if columns else relation).df()
        except Exception as exc:  # the tier was never built in this database
            if "does not exist" not in str(exc) and "Catalog Error" not in str(exc):
                raise
    return tiers


def persona_names_report(loaders: dict) -> pd.DataFrame:
    """Name diversity of every built tier (rpt_persona_names)."""
    return name_diversity(_built_tiers(loaders, NAME_COLUMNS))


def census_fit_report(cells) -> pd.DataFrame:
    """The gate: thresholds from the issue (p > 0.05; |dev| <= 1.0 pp, 0.5 pp from 25K)."""
    summary = census_fit_summary(_to_pandas(cells))
    summary["tier_size"] = summary["tier"].map(TIER_SIZES)
    summary["deviation_threshold_pp"] = np.where(summary["tier_size"] >= 25_000, 0.5, 1.0)
    summary["is_within_tolerance"] = (summary["p_value"] > 0.05) & (
        summary["max_abs_deviation_pp"] <= summary["deviation_threshold_pp"]
    )
    summary["source_seeds"] = summary["census_table"].map(FIT_SOURCES)
    return summary
