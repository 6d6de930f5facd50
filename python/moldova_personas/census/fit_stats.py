"""Census fit statistics: every built tier against the adult-universe targets of the fitted model.

`census_fit_cells` counts observed vs expected persona shares per census table, group and category;
`census_fit_summary` turns them into a chi-square, p-value, SRMSE and largest deviation per tier and
table; `census_fit_report` adds the gate (thresholds) and the seeds each table comes from. The fit
marts (models/marts/fit) are these three functions.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import stats

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


def census_fit_report(
    cells: pd.DataFrame, tier_sizes: Mapping[str, int], max_deviation_pp: Mapping[str, float]
) -> pd.DataFrame:
    """The gate: p > 0.05 and |deviation| <= the tier's `max_deviation_pp` (both per tier from var
    tiers: 1.0 pp at 1K, 0.5 pp from 25K)."""
    summary = census_fit_summary(cells)
    summary["tier_size"] = summary["tier"].map(tier_sizes).astype("int64")
    summary["deviation_threshold_pp"] = summary["tier"].map(max_deviation_pp).astype("float64")
    summary["is_within_tolerance"] = (summary["p_value"] > 0.05) & (
        summary["max_abs_deviation_pp"] <= summary["deviation_threshold_pp"]
    )
    summary["source_seeds"] = summary["census_table"].map(FIT_SOURCES)
    return summary
