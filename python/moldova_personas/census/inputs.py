"""Turn the staging and assumption relations (as pandas frames) into `CensusInputs`.

Only vocabulary and shape change here; every number comes from a seed. The keys of `frames` are
dbt model names without the `stg_` layer prefix so the dbt model and the tests share one loader.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from moldova_personas.census.fit import MAX_AGE, CensusInputs
from moldova_personas.schema import EMPLOYMENT_STATUSES, ETHNICITIES

REQUIRED = (
    "census__localities",
    "census__population_single_age_2024_approx",
    "census__ethnicity_national",
    "census__ethnicity_age_profile",
    "census__ethnicity_by_area",
    "census__ethnicity_by_region",
    "census__mother_tongue_by_ethnicity",
    "census__native_language",
    "census__religion_by_ethnicity",
    "census__religion_national",
    "census__religion_by_raion",
    "census__marital_status",
    "census__education_level",
    "census__education_higher_by_territory",
    "census__employment_status",
    "assumptions__assumption_age_sex_adults_2024",
    "assumptions__assumption_open_age_group",
    "assumptions__assumption_mother_tongue_romanian_odds",
    "assumptions__assumption_ethnicity_locality_cells",
    "assumptions__assumption_marital_status_by_age_sex",
    "assumptions__assumption_education_by_age_sex_area",
    "assumptions__assumption_education_attainment_age_10_17",
    "assumptions__assumption_employment_status_by_age_sex_area",
    "assumptions__assumption_employment_odds_by_education",
    "assumptions__assumption_lfs_teen_status",
    "assumptions__assumption_life_course_rules",
    "assumptions__assumption_isco_major_by_sex_area",
    "assumptions__assumption_isco_education_compatibility",
    "reference__occupation_titles",
)
# The relation each input is read from: its staging view, except the titles, which the fit reads with
# their weights (int_census_model refs the same relations; tests and benchmarks use this map).
INPUT_RELATIONS = {name: f"stg_{name}" for name in REQUIRED} | {
    "reference__occupation_titles": "int_occupation_titles_weighted"
}


def _age_bounds(label: str) -> tuple[int, int]:
    if label.endswith("+"):
        return int(label[:-1]), MAX_AGE
    lo, hi = label.split("-")
    return int(lo), int(hi)


def _with_bounds(frame: pd.DataFrame, column: str = "age_group") -> pd.DataFrame:
    out = frame.copy()
    bounds = out[column].map(_age_bounds)
    out["age_lo"] = [b[0] for b in bounds]
    out["age_hi"] = [b[1] for b in bounds]
    return out


def single_age_series(single: pd.DataFrame, open_group: pd.DataFrame) -> pd.Series:
    """National population by single age 0..MAX_AGE, the open 85+ group spread geometrically."""
    ages = single.set_index("age")["population"].astype(float)
    row = open_group.iloc[0]
    start, end, ratio = int(row["age_from"]), int(row["age_to"]), float(row["yearly_ratio"])
    weights = ratio ** np.arange(end - start + 1)
    spread = ages.loc[start] * weights / weights.sum()
    ages = ages.drop(index=start)
    ages = pd.concat([ages, pd.Series(spread, index=range(start, end + 1))]).sort_index()
    return ages.reindex(range(0, MAX_AGE + 1)).fillna(0.0)


def lfs_indicator(lfs: pd.DataFrame, name: str) -> float:
    hit = lfs.loc[lfs["indicator"] == name, "value"]
    if hit.empty:
        raise ValueError(
            f"census__employment_status: indicator {name!r} missing (seeds/census/employment_status.csv)"
        )
    return float(hit.iloc[0])


def employment_targets(lfs: pd.DataFrame, teens: pd.DataFrame, single_age: pd.Series) -> pd.Series:
    """Adult (18+) employment-status shares derived from the LFS 2024 15+ indicators.

    LFS 15+ population = labour force / activity rate; inactive = population - labour force, split by
    the published shares of pensioners, pupils/students and family care (remainder: other inactive).
    The 15-17 year olds (single-age estimate x LFS/census scale) are removed with the teen-status
    assumption seed.
    """
    labour = lfs_indicator(lfs, "labour_force_15plus_thousands") * 1000
    employed = lfs_indicator(lfs, "employed_15plus_thousands") * 1000
    unemployed = lfs_indicator(lfs, "unemployed_thousands") * 1000
    activity = lfs_indicator(lfs, "activity_rate_15plus_pct") / 100
    pop15 = labour / activity
    inactive = pop15 - labour
    counts = {
        "employed": employed,
        "unemployed": unemployed,
        "retired": inactive * lfs_indicator(lfs, "inactive_share_pensioners_pct") / 100,
        "student": inactive * lfs_indicator(lfs, "inactive_share_pupils_students_pct") / 100,
        "homemaker": inactive * lfs_indicator(lfs, "inactive_share_family_care_pct") / 100,
    }
    counts["other_inactive"] = pop15 - sum(counts.values())
    teen_pop = single_age.loc[15:17].sum() * pop15 / single_age.loc[15:].sum()
    teen_share = teens.set_index("employment_status")["share_pct"] / 100
    for status, share in teen_share.items():
        counts[status] -= teen_pop * share
    series = pd.Series(counts).reindex(EMPLOYMENT_STATUSES)
    if (series < 0).any():
        raise ValueError(f"employment targets negative after removing ages 15-17: {series.to_dict()}")
    return series / series.sum() * 100


def build_inputs(frames: dict[str, pd.DataFrame]) -> CensusInputs:
    missing = [name for name in REQUIRED if name not in frames]
    if missing:
        raise ValueError(f"census inputs missing: {missing}; run `dbt build --select +int_census_model`")
    f = frames
    loc = f["census__localities"].rename(
        columns={
            "locality_name": "locality",
            "under_working_age_population": "pop_grp1_under_working_age",
            "working_age_population": "pop_grp2_working_age",
            "over_working_age_population": "pop_grp3_over_working_age",
        }
    )
    single = single_age_series(
        f["census__population_single_age_2024_approx"], f["assumptions__assumption_open_age_group"]
    )
    age_sex = f["assumptions__assumption_age_sex_adults_2024"]
    fem = {}
    for band, block in age_sex.groupby(["age_min", "age_max"]):
        pops = block.set_index("sex")["population_est"].astype(float)
        for age in range(int(band[0]), int(min(band[1], MAX_AGE)) + 1):
            fem[age] = pops["female"] / pops.sum()
    last = fem[max(fem)]
    female_share = pd.Series({a: fem.get(a, last) for a in range(18, MAX_AGE + 1)})

    eth = f["census__ethnicity_national"]
    eth = eth[eth["ethnicity"].isin(ETHNICITIES)]
    prof = _with_bounds(f["census__ethnicity_age_profile"]).rename(columns={"pct_of_ethnic_group": "pct"})
    by_area = f["census__ethnicity_by_area"].rename(columns={"pct_of_residence_type": "pct"})
    region_rows = f["census__ethnicity_by_region"]
    prelim_cells = region_rows[
        region_rows["region"].notna()
        & (region_rows["measure"] == "ethnicity")
        & region_rows["vintage"].str.contains("2024 preliminary")
    ]
    region_cells = pd.DataFrame(
        {
            "region": prelim_cells["region"],
            "ethnicities": [(g,) for g in prelim_cells["group_code"]],
            "pct": prelim_cells["pct"],
        }
    )
    raion_rows = region_rows[
        region_rows["raion"].eq("Taraclia")
        & region_rows["measure"].eq("ethnicity")
        & region_rows["vintage"].str.contains("2014")
    ]
    raion_cells = pd.DataFrame(
        {
            "raion": raion_rows["raion"],
            "ethnicities": [
                ("Moldovan", "Romanian") if g == "Moldovan or Romanian" else (g,)
                for g in raion_rows["group_code"]
            ],
            "pct": raion_rows["pct"],
        }
    )
    loc_cells = f["assumptions__assumption_ethnicity_locality_cells"]
    loc_cells = pd.DataFrame(
        {
            "locality_code": loc_cells["locality_code"].astype(str),
            "ethnicities": [(e,) for e in loc_cells["ethnicity"]],
            "pct": loc_cells["pct"],
        }
    )
    mt = f["census__mother_tongue_by_ethnicity"].rename(columns={"pct_of_ethnic_group": "pct"})
    rel = f["census__religion_by_ethnicity"].rename(columns={"pct_of_affiliated_in_ethnic_group": "pct"})
    marital = f["census__marital_status"]
    edu = f["census__education_level"]
    lfs = f["census__employment_status"]
    teens = f["assumptions__assumption_lfs_teen_status"]
    rates = pd.DataFrame(
        [
            ("all", "all", lfs_indicator(lfs, "employment_rate_20_64_pct")),
            ("sex", "male", lfs_indicator(lfs, "employment_rate_20_64_men_pct")),
            ("sex", "female", lfs_indicator(lfs, "employment_rate_20_64_women_pct")),
            ("residence_type", "urban", lfs_indicator(lfs, "employment_rate_20_64_urban_pct")),
            ("residence_type", "rural", lfs_indicator(lfs, "employment_rate_20_64_rural_pct")),
        ],
        columns=["dimension", "value", "pct"],
    )
    isco_area = f["assumptions__assumption_isco_major_by_sex_area"]
    compat = f["assumptions__assumption_isco_education_compatibility"]
    return CensusInputs(
        localities=loc,
        single_age=single,
        female_share_by_age=female_share,
        ethnicity_national=eth.set_index("ethnicity")["population_thousands"] * 1000,
        ethnicity_prelim_pct=eth.set_index("ethnicity")["pct_of_declared_preliminary"],
        ethnicity_age_profile=prof,
        ethnicity_by_area=by_area,
        ethnicity_region_cells=region_cells,
        ethnicity_raion_cells=raion_cells,
        ethnicity_locality_cells=loc_cells,
        mother_tongue_by_ethnicity=mt,
        mother_tongue_national=f["census__native_language"]
        .set_index("mother_tongue")["population"]
        .astype(float),
        romanian_vs_moldovan_prior=f["assumptions__assumption_mother_tongue_romanian_odds"].set_index(
            "ethnicity"
        )["romanian_to_moldovan_odds"],
        religion_by_ethnicity=rel,
        religion_national=f["census__religion_national"].set_index("religion")["population"].astype(float),
        religion_by_raion=f["census__religion_by_raion"][["raion", "religion", "population"]],
        marital_15plus_pct=marital.set_index("marital_status")["pct_2024"],
        marital_prior=_with_bounds(f["assumptions__assumption_marital_status_by_age_sex"]).rename(
            columns={"share_pct": "share"}
        ),
        education_10plus_pct=edu.set_index("education_level")["pct"],
        education_children=f["assumptions__assumption_education_attainment_age_10_17"].rename(
            columns={"age_min": "age_lo", "age_max": "age_hi", "share_pct": "share"}
        ),
        education_prior=_with_bounds(f["assumptions__assumption_education_by_age_sex_area"]).rename(
            columns={"share_pct": "share"}
        ),
        education_higher_cells=f["census__education_higher_by_territory"].rename(
            columns={"higher_education_pct": "pct"}
        )[["territory_type", "territory", "pct"]],
        employment_targets=employment_targets(lfs, teens, single),
        employment_rate_20_64=rates,
        employment_prior=_with_bounds(f["assumptions__assumption_employment_status_by_age_sex_area"]).rename(
            columns={"share_pct": "share"}
        ),
        employment_education_factor=f["assumptions__assumption_employment_odds_by_education"].set_index(
            "education_level"
        )["employment_odds"],
        life_course_rules=f["assumptions__assumption_life_course_rules"],
        isco_by_sex_area=isco_area.rename(columns={"share_pct": "pct"}),
        isco_education_weight=compat.rename(columns={"relative_weight": "weight"}),
        occupation_titles=f["reference__occupation_titles"],
    )
