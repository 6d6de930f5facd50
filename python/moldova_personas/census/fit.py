"""The census model: adult-universe targets and one joint distribution consistent with all of them.

Two stages, both fitted by raking (IPF):

* Stage A is a dense joint over locality x sex x age band x ethnicity, raked to every place, age, sex
  and ethnicity table at once (locality adults, sex x age, ethnicity x age, ethnicity x urban/rural,
  the known region and raion ethnic shares, the raion ageing index).
* Stage B gives each remaining attribute a conditional table P(attribute | parents) whose shape
  comes from a cited or documented prior and whose level is raked so that, integrated over the
  stage-A population, it reproduces the census margin (mother tongue, religion, marital status,
  education, employment, ISCO group). Religion is conditional on raion and ethnicity (raked to every
  raion's religion table), education on raion, age band, sex and area (raked to the national table
  and to the urban and raion cells NBS printed).

Census tables describe all ages (or 10+/15+); personas are adults (18+). Every table is moved to the
adult universe by the documented adjustment in `adult_targets` before it is used, and the fit mart
compares the sample with exactly these targets.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from moldova_personas.census.ipf import Margin, rake
from moldova_personas.census.life_course import band_allows, education_ages, employment_by_age
from moldova_personas.census.occupations import build_title_table, title_available
from moldova_personas.schema import (
    AGE_GROUPS,
    EDUCATION_LEVELS,
    EMPLOYMENT_STATUSES,
    ETHNICITIES,
    MARITAL_STATUSES,
    MOTHER_TONGUES,
    REGIONS,
    RELIGIONS,
    SEXES,
    age_group_of,
)

MIN_AGE, MAX_AGE = 18, 100
AGES = np.arange(MIN_AGE, MAX_AGE + 1)
AGE_BAND_OF_AGE = np.array([AGE_GROUPS.index(age_group_of(int(a))) for a in AGES])
AREAS = ("urban", "rural")
ISCO_MAJORS = tuple(range(10))


@dataclass
class CensusInputs:
    """Clean census and prior tables (already in code vocabulary, see `inputs.py`)."""

    localities: pd.DataFrame  # locality_code, locality, raion, region, residence_type, population, grp1..3
    single_age: pd.Series  # national population by single age 0..100 (all ages)
    female_share_by_age: pd.Series  # female share by single age 18..100
    ethnicity_national: pd.Series  # ethnicity -> count, all ages (final 2024)
    ethnicity_prelim_pct: pd.Series  # ethnicity -> pct of declared (preliminary)
    ethnicity_age_profile: pd.DataFrame  # ethnicity, age_lo, age_hi, pct
    ethnicity_by_area: pd.DataFrame  # residence_type, ethnicity, pct
    ethnicity_region_cells: pd.DataFrame  # region, ethnicities (tuple), pct (preliminary, of declared)
    ethnicity_raion_cells: pd.DataFrame  # raion, ethnicities (tuple), pct (census 2014 fallback)
    ethnicity_locality_cells: pd.DataFrame  # locality_code, ethnicities (tuple), pct (assumption)
    mother_tongue_by_ethnicity: (
        pd.DataFrame
    )  # ethnicity, mother_tongue (Moldovan+Romanian merged as 'Moldovan or Romanian'), pct
    mother_tongue_national: pd.Series  # mother_tongue -> count (all ages)
    romanian_vs_moldovan_prior: pd.Series  # ethnicity -> prior odds Romanian:Moldovan mother tongue
    religion_by_ethnicity: pd.DataFrame  # ethnicity, religion, pct of affiliated
    religion_national: pd.Series  # religion -> count (all ages)
    religion_by_raion: pd.DataFrame  # raion, religion, population (all ages, every raion, NBS table 5.29)
    marital_15plus_pct: pd.Series  # marital_status -> pct of 15+
    marital_prior: pd.DataFrame  # age_lo, age_hi, sex, marital_status, share
    education_10plus_pct: pd.Series  # education_level -> pct of 10+
    education_children: pd.DataFrame  # age_lo, age_hi, education_level, share (attainment of ages 10-17)
    education_prior: pd.DataFrame  # age_lo, age_hi, sex, residence_type, education_level, share
    education_higher_cells: pd.DataFrame  # territory_type (area|raion), territory, pct (higher, of 10+)
    employment_targets: pd.Series  # employment_status -> pct of adults (derived from LFS)
    employment_rate_20_64: pd.DataFrame  # dimension (sex|residence_type|all), value, pct
    employment_prior: pd.DataFrame  # age_lo, age_hi, sex, residence_type, employment_status, share
    employment_education_factor: pd.Series  # education_level -> relative odds of being employed
    life_course_rules: pd.DataFrame  # attribute, value, min_age, max_age, ramps (census.life_course)
    isco_by_sex_area: pd.DataFrame  # sex, residence_type, isco_major, pct of employed
    isco_education_weight: pd.DataFrame  # isco_major, education_level, weight (0 = not allowed)
    occupation_titles: pd.DataFrame  # int_occupation_titles_weighted (a group needs a title)
    notes: dict = field(default_factory=dict)


@dataclass
class FittedModel:
    """Everything the sampler needs; arrays indexed by the code tuples of schema.py."""

    localities: pd.DataFrame  # adult population and indices (region_idx, raion_idx, area_idx)
    raions: list[str]
    stage_a: np.ndarray  # (L, sex, band, eth) adult counts
    single_age_given_band_sex: np.ndarray  # (sex, band, ages) probabilities
    mother_tongue_given_eth: np.ndarray  # (eth, mt)
    religion_given_raion_eth: np.ndarray  # (raion, eth, religion)
    marital_given_band_sex: np.ndarray  # (band, sex, marital)
    education_given_raion_band_sex_area: np.ndarray  # (raion, band, sex, area, edu)
    employment_given_band_sex_area_edu: np.ndarray  # (band, sex, area, edu, status)
    isco_given_sex_edu_area: np.ndarray  # (sex, edu, area, isco)
    targets: pd.DataFrame  # census_table, group_value, category, expected_share, published_share, note
    fit_report: dict


# ---------------------------------------------------------------------------------------------
# Population shape helpers
# ---------------------------------------------------------------------------------------------


def _adult_weights(single_age: pd.Series) -> np.ndarray:
    return single_age.reindex(AGES).fillna(0.0).to_numpy(dtype=float)


def _band_lookup(frame: pd.DataFrame, keys: list[str], value: str, categories: tuple) -> dict:
    """Expand an (age_lo, age_hi, keys..., category, share) prior to {(age, *keys): vector}."""
    out: dict = {}
    for key_values, block in frame.groupby(["age_lo", "age_hi", *keys], sort=False):
        lo, hi, *rest = key_values
        vec = np.array([block.loc[block[value] == c, "share"].sum() for c in categories], dtype=float)
        for age in range(int(lo), int(hi) + 1):
            out[(age, *rest)] = vec
    return out


def _prior_by_band(lookup: dict, weights: np.ndarray, extra: tuple, n_cats: int) -> np.ndarray:
    """Population-weighted average of a single-age prior over each of our age bands."""
    out = np.zeros((len(AGE_GROUPS), n_cats))
    for i, age in enumerate(AGES):
        vec = lookup.get((int(age), *extra))
        if vec is None:
            raise ValueError(f"prior has no row for age {age} and {extra}: extend its age bands")
        total = vec.sum()
        if total > 0:
            out[AGE_BAND_OF_AGE[i]] += weights[i] * vec / total
    return out / np.maximum(out.sum(axis=1, keepdims=True), 1e-12)


def _normalise(arr: np.ndarray, axis: int = -1) -> np.ndarray:
    total = arr.sum(axis=axis, keepdims=True)
    return np.divide(arr, total, out=np.zeros_like(arr), where=total > 0)


def ethnicity_adult_factors(inputs: CensusInputs) -> tuple[np.ndarray, np.ndarray]:
    """Adult (18+) share of each ethnic group, from its age profile; and P(eth | our age band).

    Each ten-year profile band is spread over single ages with the national single-age shape
    (assumption: within-decade shape does not differ by ethnicity). Groups without a profile
    (Roma, Other) take the national shape.
    """
    nat = inputs.single_age.reindex(range(0, MAX_AGE + 1)).fillna(0.0)
    counts = inputs.ethnicity_national.reindex(ETHNICITIES).to_numpy(dtype=float)
    by_age = np.zeros((len(ETHNICITIES), len(AGES)))
    adult_share = np.zeros(len(ETHNICITIES))
    for e, eth in enumerate(ETHNICITIES):
        prof = inputs.ethnicity_age_profile[inputs.ethnicity_age_profile["ethnicity"] == eth]
        single = np.zeros(MAX_AGE + 1)
        if prof.empty:
            single = nat.to_numpy(dtype=float) / nat.sum()
        else:
            for row in prof.itertuples():
                lo, hi = int(row.age_lo), min(int(row.age_hi), MAX_AGE)
                seg = nat.iloc[lo : hi + 1].to_numpy(dtype=float)
                single[lo : hi + 1] += row.pct / 100.0 * seg / max(seg.sum(), 1e-12)
            single /= single.sum()
        by_age[e] = counts[e] * single[MIN_AGE:]
        adult_share[e] = single[MIN_AGE:].sum()
    band = np.zeros((len(AGE_GROUPS), len(ETHNICITIES)))
    for i in range(len(AGES)):
        band[AGE_BAND_OF_AGE[i]] += by_age[:, i]
    return adult_share, _normalise(band, axis=1)


# ---------------------------------------------------------------------------------------------
# Adult-universe targets (what the fit mart tests against)
# ---------------------------------------------------------------------------------------------


def _target_rows(table: str, shares: dict, published: dict | None, note: str, group: str = "all"):
    published = published or {}
    return [
        {
            "census_table": table,
            "group_value": group,
            "category": str(cat),
            "expected_share": float(share),
            "published_share": (None if cat not in published else float(published[cat])),
            "note": note,
        }
        for cat, share in shares.items()
    ]


def adult_locality_population(inputs: CensusInputs) -> pd.DataFrame:
    """Adults (18+) per locality: (working age + over working age) x one national factor.

    NBS prints three broad groups per locality (under / at / over working age). Adults are the two
    upper groups less the 16-17 year olds; the national ratio adults / (groups 2+3), from the NBS
    single-age estimate, converts them (assumption: the same ratio in every locality). Localities
    with blank groups take the national adult share of their total population.
    """
    loc = inputs.localities.copy()
    nat = inputs.single_age
    adult_share = nat.loc[MIN_AGE:].sum() / nat.sum()
    national_adults = loc["population"].sum() * adult_share
    upper = (loc["pop_grp2_working_age"] + loc["pop_grp3_over_working_age"]).astype(float)
    has_groups = upper.notna() & (upper > 0)
    factor = national_adults / (
        upper[has_groups].sum() + loc.loc[~has_groups, "population"].sum() * adult_share
    )
    loc["adult_population"] = np.where(has_groups, upper * factor, loc["population"] * adult_share * factor)
    loc["ageing_index"] = np.where(has_groups, loc["pop_grp3_over_working_age"] / upper, np.nan)
    return loc


def adult_targets(inputs: CensusInputs, loc: pd.DataFrame) -> pd.DataFrame:
    """Census tables moved to the adult universe (see each note)."""
    rows: list[dict] = []
    adults = loc["adult_population"]
    total = adults.sum()
    region = loc.groupby("region")["adult_population"].sum() / total
    rows += _target_rows(
        "census__population_by_region",
        {r: region.get(r, 0.0) for r in REGIONS},
        (loc.groupby("region")["population"].sum() / loc["population"].sum()).to_dict(),
        "adults per locality summed by region",
    )
    raion = loc.groupby("raion")["adult_population"].sum() / total
    rows += _target_rows(
        "census__population_by_raion",
        raion.to_dict(),
        (loc.groupby("raion")["population"].sum() / loc["population"].sum()).to_dict(),
        "adults per locality summed by raion",
    )
    area = loc.groupby("residence_type")["adult_population"].sum() / total
    rows += _target_rows(
        "census__localities_urban_rural",
        area.to_dict(),
        (loc.groupby("residence_type")["population"].sum() / loc["population"].sum()).to_dict(),
        "urban = the 55 urban localities (NBS); adults per locality",
    )
    weights = _adult_weights(inputs.single_age)
    fem = inputs.female_share_by_age.reindex(AGES).to_numpy(dtype=float)
    female = float((weights * fem).sum() / weights.sum())
    rows += _target_rows(
        "census__age_sex",
        {"female": female, "male": 1 - female},
        {"female": 0.528, "male": 0.472},
        "adult sex split from the single-age estimate x female share by age",
    )
    band = np.bincount(AGE_BAND_OF_AGE, weights=weights, minlength=len(AGE_GROUPS)) / weights.sum()
    rows += _target_rows(
        "census__population_single_age",
        dict(zip(AGE_GROUPS, band, strict=True)),
        None,
        "NBS 1 Jan 2024 single-age estimate (approximate), ages 18+",
    )
    eth = adult_ethnicity(inputs)
    published = inputs.ethnicity_national / inputs.ethnicity_national.sum()
    rows += _target_rows(
        "census__ethnicity_national",
        dict(zip(ETHNICITIES, eth, strict=True)),
        published.to_dict(),
        "all-ages shares x each group's adult share (ethnicity age profiles)",
    )
    for res in AREAS:
        shares = adult_ethnicity_by_area(inputs)[res]
        rows += _target_rows(
            "census__ethnicity_by_area",
            dict(zip(ETHNICITIES, shares, strict=True)),
            None,
            "area shares x adult factors, renormalised",
            group=res,
        )
    for cell in adult_region_cells(inputs):
        rows += _target_rows(
            "census__ethnicity_by_region",
            {" + ".join(cell["ethnicities"]): cell["share"]},
            None,
            "preliminary regional shares scaled to final national, adult-adjusted; only cells NBS printed",
            group=cell["region"],
        )
    mt = eth @ mother_tongue_given_ethnicity(inputs)
    rows += _target_rows(
        "census__native_language",
        dict(zip(MOTHER_TONGUES, mt, strict=True)),
        (inputs.mother_tongue_national / inputs.mother_tongue_national.sum()).to_dict(),
        "adult ethnicity x mother tongue | ethnicity (assumed age-independent)",
    )
    by_raion = religion_shares_by_raion(inputs)
    raion_adults = loc.groupby("raion")["adult_population"].sum()
    rel = (by_raion.mul(raion_adults, axis=0).sum() / raion_adults.sum()).reindex(RELIGIONS)
    rows += _target_rows(
        "census__religion_national",
        rel.to_dict(),
        (inputs.religion_national / inputs.religion_national.sum()).to_dict(),
        "raion religion tables x adults per raion (religion assumed age-independent within a raion)",
    )
    for raion, shares in by_raion.iterrows():
        rows += _target_rows(
            "census__religion_by_raion",
            shares.to_dict(),
            shares.to_dict(),
            "NBS table 5.29 shares of the unit (all ages; assumed age-independent within the unit)",
            group=raion,
        )
    rows += _target_rows(
        "census__marital_status",
        adult_marital_targets(inputs),
        (inputs.marital_15plus_pct / 100).to_dict(),
        "15+ shares less the 15-17 year olds (all never married)",
    )
    rows += _target_rows(
        "census__education_level",
        adult_education_targets(inputs),
        (inputs.education_10plus_pct / inputs.education_10plus_pct.sum()).to_dict(),
        "10+ shares less the attainment of ages 10-17 (assumption table)",
    )
    for cell in adult_higher_education_cells(inputs, loc):
        rows += _target_rows(
            f"census__education_by_{cell['kind']}",
            {"higher": cell["share"]},
            {"higher": cell["published"]},
            "10+ share printed by NBS, moved to adults (10-17 year olds by the unit's under-working-age "
            "count; see adult_higher_education_cells)",
            group=cell["unit"],
        )
    rows += _target_rows(
        "lfs__employment_status",
        (inputs.employment_targets / 100).to_dict(),
        None,
        "LFS 2024 15+ indicators moved to 18+ (see employment targets seed)",
    )
    for row in inputs.employment_rate_20_64.itertuples():
        printed = getattr(row, "printed_pct", row.pct)
        rows += _target_rows(
            "lfs__employment_rate_20_64",
            {"employed": row.pct / 100, "not_employed": 1 - row.pct / 100},
            {"employed": printed / 100, "not_employed": 1 - printed / 100},
            "LFS 2024 employment rate of ages 20-64"
            + ("" if abs(printed - row.pct) < 1e-9 else f" ({getattr(row, 'note', '')})"),
            group=f"{row.dimension}={row.value}",
        )
    for (sex, res), block in inputs.isco_by_sex_area.groupby(["sex", "residence_type"]):
        shares = block.set_index("isco_major")["pct"].reindex(ISCO_MAJORS).fillna(0.0)
        rows += _target_rows(
            "assumption__isco_major_by_sex_area",
            (shares / shares.sum()).to_dict(),
            None,
            "employed by ISCO-08 major group, sex and area (modelled prior, see seed)",
            group=f"{sex}|{res}",
        )
    return pd.DataFrame(rows)


def adult_ethnicity(inputs: CensusInputs) -> np.ndarray:
    adult_share, _ = ethnicity_adult_factors(inputs)
    counts = inputs.ethnicity_national.reindex(ETHNICITIES).to_numpy(dtype=float)
    return _normalise(counts * adult_share)


def _relative_adult_factor(inputs: CensusInputs) -> np.ndarray:
    adult_share, _ = ethnicity_adult_factors(inputs)
    counts = inputs.ethnicity_national.reindex(ETHNICITIES).to_numpy(dtype=float)
    return adult_share / (counts * adult_share).sum() * counts.sum()


def adult_ethnicity_by_area(inputs: CensusInputs) -> dict[str, np.ndarray]:
    factor = _relative_adult_factor(inputs)
    out = {}
    for res in AREAS:
        block = inputs.ethnicity_by_area[inputs.ethnicity_by_area["residence_type"] == res]
        shares = block.set_index("ethnicity")["pct"].reindex(ETHNICITIES).fillna(0.0).to_numpy(float)
        out[res] = _normalise(shares * factor)
    return out


def _adult_cells(inputs: CensusInputs, cells: pd.DataFrame, key: str, scale_prelim: bool) -> list[dict]:
    factor = dict(zip(ETHNICITIES, _relative_adult_factor(inputs), strict=True))
    national = dict(
        zip(
            ETHNICITIES,
            _normalise(inputs.ethnicity_national.reindex(ETHNICITIES).to_numpy(float)),
            strict=True,
        )
    )
    out = []
    for unit, block in cells.groupby(key, sort=False):
        known = []
        for row in block.itertuples():
            share = row.pct / 100.0
            if scale_prelim:  # preliminary (% of declared) -> final national level, per group
                prelim = sum(inputs.ethnicity_prelim_pct.get(e, 0.0) for e in row.ethnicities) / 100
                final = sum(national[e] for e in row.ethnicities)
                share *= final / prelim if prelim > 0 else 1.0
            known.append((tuple(row.ethnicities), share))
        covered = {e for ethnicities, _ in known for e in ethnicities}
        rest = [e for e in ETHNICITIES if e not in covered]
        rest_weight = sum(national[e] for e in rest)
        rest_factor = sum(national[e] * factor[e] for e in rest) / rest_weight if rest_weight else 1.0
        known_share = sum(s for _, s in known)
        denom = sum(s * np.mean([factor[e] for e in ethnicities]) for ethnicities, s in known)
        denom += (1 - known_share) * rest_factor
        for ethnicities, share in known:
            adj = share * np.mean([factor[e] for e in ethnicities]) / denom
            out.append({key: unit, "ethnicities": ethnicities, "share": adj})
    return out


def adult_region_cells(inputs: CensusInputs) -> list[dict]:
    return _adult_cells(inputs, inputs.ethnicity_region_cells, "region", scale_prelim=True)


def mother_tongue_given_ethnicity(inputs: CensusInputs) -> np.ndarray:
    """P(mother tongue | ethnicity) with the merged Moldovan/Romanian answer split by raking.

    NBS publishes mother tongue by ethnicity with 'Moldovan' and 'Romanian' merged, and the
    national counts separately. The split inside each group starts from the prior odds seed and is
    raked so the national Moldovan and Romanian counts are met.
    """
    mt = list(MOTHER_TONGUES)
    table = np.zeros((len(ETHNICITIES), len(mt)))
    odds = inputs.romanian_vs_moldovan_prior
    for e, eth in enumerate(ETHNICITIES):
        block = inputs.mother_tongue_by_ethnicity[inputs.mother_tongue_by_ethnicity["ethnicity"] == eth]
        for row in block.itertuples():
            if row.mother_tongue == "Moldovan or Romanian":
                r = float(odds.get(eth, 1.0))
                table[e, mt.index("Romanian")] += row.pct * r / (1 + r)
                table[e, mt.index("Moldovan")] += row.pct / (1 + r)
            else:
                table[e, mt.index(row.mother_tongue)] += row.pct
    table = _normalise(table)
    counts = inputs.ethnicity_national.reindex(ETHNICITIES).to_numpy(float)
    joint = table * counts[:, None]
    target = inputs.mother_tongue_national.reindex(mt).fillna(0.0).to_numpy(float)
    target = target / target.sum() * joint.sum()
    merged = [mt.index("Moldovan"), mt.index("Romanian")]
    for _ in range(200):  # rake only the Moldovan/Romanian split; ethnic totals stay fixed
        col = joint[:, merged].sum(axis=0)
        joint[:, merged] *= np.where(col > 0, target[merged] / col, 1.0)
        row_mr = joint[:, merged].sum(axis=1)
        orig = (table * counts[:, None])[:, merged].sum(axis=1)
        joint[:, merged] *= np.where(row_mr > 0, orig / row_mr, 1.0)[:, None]
    return _normalise(joint)


def religion_given_ethnicity(inputs: CensusInputs) -> np.ndarray:
    """P(religion | ethnicity): affiliations from the ethnic table, non-affiliation assumed equal
    across groups, then raked to the national counts (rows keep their ethnic totals)."""
    rel = list(RELIGIONS)
    non_affiliated = ["No religion", "Atheist or agnostic", "Not declared"]
    national = inputs.religion_national.reindex(rel).fillna(0.0).to_numpy(float)
    non_share = national[[rel.index(r) for r in non_affiliated]] / national.sum()
    table = np.zeros((len(ETHNICITIES), len(rel)))
    for e, eth in enumerate(ETHNICITIES):
        block = inputs.religion_by_ethnicity[inputs.religion_by_ethnicity["ethnicity"] == eth]
        aff = np.array([block.loc[block["religion"] == r, "pct"].sum() for r in rel], dtype=float)
        aff = _normalise(aff) * (1 - non_share.sum())
        for r, share in zip(non_affiliated, non_share, strict=True):
            aff[rel.index(r)] = share
        table[e] = aff
    counts = inputs.ethnicity_national.reindex(ETHNICITIES).to_numpy(float)
    joint = table * counts[:, None]
    target = national / national.sum() * joint.sum()
    for _ in range(200):
        col = joint.sum(axis=0)
        joint *= np.where(col > 0, target / col, 1.0)
        joint *= (counts / np.maximum(joint.sum(axis=1), 1e-12))[:, None]
    return _normalise(joint)


def religion_shares_by_raion(inputs: CensusInputs) -> pd.DataFrame:
    """Raion x religion shares (rows sum to 1) of the whole population, NBS table 5.29."""
    table = inputs.religion_by_raion.pivot_table(
        index="raion", columns="religion", values="population", aggfunc="sum", fill_value=0
    )
    unknown = sorted(set(table.columns) - set(RELIGIONS))
    if unknown:
        raise ValueError(f"census__religion_by_raion: religion codes not in schema.RELIGIONS: {unknown}")
    table = table.reindex(columns=list(RELIGIONS), fill_value=0).astype(float)
    return table.div(table.sum(axis=1), axis=0)


def religion_given_raion_ethnicity(
    inputs: CensusInputs, raions: list[str], pop_raion_eth: np.ndarray
) -> np.ndarray:
    """P(religion | raion, ethnicity): the national P(religion | ethnicity) raked, inside each raion,
    so the raion's adults (by ethnicity, from stage A) reproduce its religion table.

    Raking keeps the odds ratios of the national table (a Russian stays far likelier than a Moldovan
    to be an Old Believer) while the level of each religion follows the raion. A tiny floor lets a
    religion the ethnic table never gives a group still appear where NBS counted it.
    """
    shares = religion_shares_by_raion(inputs)
    missing = sorted(set(raions) - set(shares.index))
    if missing:
        raise ValueError(f"census__religion_by_raion: no religion rows for raion(s) {missing}")
    prior = religion_given_ethnicity(inputs) + 1e-9
    out = np.zeros((len(raions), *prior.shape))
    for k, raion in enumerate(raions):
        rows = pop_raion_eth[k]
        joint = prior * rows[:, None]
        target = shares.loc[raion].to_numpy(float) * rows.sum()
        for _ in range(500):
            col = joint.sum(axis=0)
            joint *= np.where(col > 0, target / np.maximum(col, 1e-300), 1.0)
            joint *= np.where(rows > 0, rows / np.maximum(joint.sum(axis=1), 1e-300), 0.0)[:, None]
            if np.abs(joint.sum(axis=0) - target).max() < 1e-9 * rows.sum():
                break
        out[k] = np.where(rows[:, None] > 0, _normalise(joint), prior / prior.sum(axis=1, keepdims=True))
    return out


def adult_marital_targets(inputs: CensusInputs) -> dict:
    nat = inputs.single_age
    pop15 = nat.loc[15:].sum()
    teens = nat.loc[15:17].sum()
    counts = inputs.marital_15plus_pct.reindex(MARITAL_STATUSES).to_numpy(float) / 100 * pop15
    counts[MARITAL_STATUSES.index("never_married")] -= teens
    return dict(zip(MARITAL_STATUSES, counts / counts.sum(), strict=True))


def adult_education_targets(inputs: CensusInputs) -> dict:
    nat = inputs.single_age
    pop10 = nat.loc[10:].sum()
    counts = inputs.education_10plus_pct.reindex(EDUCATION_LEVELS).fillna(0.0).to_numpy(float)
    counts = counts / counts.sum() * pop10
    lookup = _band_lookup(inputs.education_children, [], "education_level", EDUCATION_LEVELS)
    for age in range(10, MIN_AGE):
        vec = lookup[(age,)]
        counts -= nat.loc[age] * vec / vec.sum()
    if (counts < 0).any():
        raise ValueError("education targets: children's attainment exceeds the 10+ census counts")
    return dict(zip(EDUCATION_LEVELS, counts / counts.sum(), strict=True))


def _children_10_17(inputs: CensusInputs, loc: pd.DataFrame, mask: np.ndarray) -> float:
    """10-17 year olds in the localities of `mask`: the national count (single-age estimate scaled to
    the census total) shared by the localities' under-working-age persons.

    Assumption: a unit holds the same share of the nation's 10-17 year olds as of its under-working-age
    group (NBS prints that group per locality, not single ages). Blank groups take the unit's share of
    the population.
    """
    nat = inputs.single_age
    census_total = float(loc["population"].sum())
    national = float(nat.loc[10:17].sum()) * census_total / float(nat.sum())
    grp1 = loc["pop_grp1_under_working_age"].astype(float)
    known = grp1.notna()
    share_known = grp1[known & mask].sum() / grp1[known].sum()
    share_blank = loc.loc[~known & mask, "population"].sum() / census_total
    return national * (share_known + share_blank)


def adult_higher_education_cells(inputs: CensusInputs, loc: pd.DataFrame) -> list[dict]:
    """The printed higher-education cells (urban, raions) moved from the 10+ to the adult universe.

    Adult share = (p x (adults + children 10-17) - higher-educated children) / adults, where p is the
    printed 10+ share normalised like the national table (its categories sum to 99.8, not 100), the
    children are estimated by `_children_10_17` and their attainment comes from the assumption table.
    """
    total_pct = float(inputs.education_10plus_pct.sum())
    lookup = _band_lookup(inputs.education_children, [], "education_level", EDUCATION_LEVELS)
    higher = EDUCATION_LEVELS.index("higher")
    child_higher = np.mean([lookup[(a,)][higher] / lookup[(a,)].sum() for a in range(10, MIN_AGE)])
    cells = []
    for row in inputs.education_higher_cells.itertuples():
        if row.territory_type == "area":
            kind, mask = "area", (loc["residence_type"] == row.territory).to_numpy()
        elif row.territory_type == "raion":
            kind, mask = "raion", (loc["raion"] == row.territory).to_numpy()
        else:
            continue  # the national row is the education_level table
        if not mask.any():
            raise ValueError(
                f"census__education_higher_by_territory: {row.territory_type} {row.territory!r} matches "
                "no locality (use a raion name as in population_by_raion.csv, or urban/rural)"
            )
        adults = float(loc.loc[mask, "adult_population"].sum())
        children = _children_10_17(inputs, loc, mask)
        p = float(row.pct) / total_pct
        share = (p * (adults + children) - child_higher * children) / adults
        cells.append({"kind": kind, "unit": row.territory, "share": share, "published": float(row.pct) / 100})
    return cells


# ---------------------------------------------------------------------------------------------
# Fitting
# ---------------------------------------------------------------------------------------------


def fit(inputs: CensusInputs) -> FittedModel:
    loc = adult_locality_population(inputs).reset_index(drop=True)
    raions = sorted(loc["raion"].unique())
    loc["region_idx"] = loc["region"].map({r: i for i, r in enumerate(REGIONS)})
    loc["raion_idx"] = loc["raion"].map({r: i for i, r in enumerate(raions)})
    loc["area_idx"] = loc["residence_type"].map({a: i for i, a in enumerate(AREAS)})
    if loc[["region_idx", "raion_idx", "area_idx"]].isna().any().any():
        bad = loc[loc[["region_idx", "area_idx"]].isna().any(axis=1)].head(3)
        raise ValueError(f"localities with unknown region or residence type: {bad.to_dict('records')}")
    stage_a, report = _fit_stage_a(inputs, loc, raions)
    weights = _adult_weights(inputs.single_age)
    fem = inputs.female_share_by_age.reindex(AGES).to_numpy(float)
    age_dist = np.zeros((2, len(AGE_GROUPS), len(AGES)))
    for s, share in enumerate((fem, 1 - fem)):
        for b in range(len(AGE_GROUPS)):
            age_dist[s, b] = np.where(b == AGE_BAND_OF_AGE, weights * share, 0.0)
    age_dist = _normalise(age_dist)
    pop_sab = stage_a.sum(axis=(0, 3))  # (sex, band)
    area_onehot = np.eye(2)[loc["area_idx"].to_numpy()]
    age_b_s = np.transpose(age_dist, (1, 0, 2))  # (band, sex, ages)
    pop_sabr = np.einsum("lsae,lr->sar", stage_a, area_onehot, optimize=True)
    rates = reconcile_employment_rates(inputs.employment_rate_20_64, pop_sabr, age_b_s)
    inputs = replace(inputs, employment_rate_20_64=rates)
    targets = adult_targets(inputs, loc)
    raion_onehot = np.eye(len(raions))[loc["raion_idx"].to_numpy()]
    pop_kbsr = _adults_by_raion_band_sex_area(stage_a, raion_onehot, area_onehot)
    pop_ke = np.einsum("lsae,lk->ke", stage_a, raion_onehot, optimize=True)  # (raion, eth)
    marital = _fit_marital(inputs, pop_sab, weights)
    education, edu_report = _fit_education(inputs, loc, raions, pop_kbsr, weights)
    # employment and ISCO keep their parents (band, sex, area, edu): education summed over raions
    education_bsr = education_by_band_sex_area(stage_a, loc, len(raions), education)
    employment = _fit_employment(inputs, pop_sabr, education_bsr, weights, age_b_s)
    isco = _fit_isco(inputs, pop_sabr, education_bsr, employment)
    printed = {(c.territory_type, c.territory) for c in inputs.education_higher_cells.itertuples()}
    targets = pd.concat([targets, _modelled_education_rows(raions, pop_kbsr, education, printed)])
    return FittedModel(
        localities=loc,
        raions=raions,
        stage_a=stage_a,
        single_age_given_band_sex=age_dist,
        mother_tongue_given_eth=mother_tongue_given_ethnicity(inputs),
        religion_given_raion_eth=religion_given_raion_ethnicity(inputs, raions, pop_ke),
        marital_given_band_sex=marital,
        education_given_raion_band_sex_area=education,
        employment_given_band_sex_area_edu=employment,
        isco_given_sex_edu_area=isco,
        targets=targets.reset_index(drop=True),
        fit_report={**report, **edu_report},
    )


def reconcile_employment_rates(
    rates: pd.DataFrame, pop_sabr: np.ndarray, age_b_s: np.ndarray
) -> pd.DataFrame:
    """The LFS 20-64 employment rates made consistent with the census population they are fitted on.

    The LFS weights its own population: on the RPL 2024 adults aged 20-64 (51.6 % women, 47.2 % urban)
    the printed urban 63.3 % and rural 51.5 % average 57.06 %, not the national 56.8 % (by sex: 56.79 %).
    No table of cores can show all five printed rates at once, and at 1M personas the census-fit test
    sees the gap. The national rate is kept, and the rates of each dimension are shifted by the same pp
    (their gap kept) so that they average to it on the census population; `printed_pct` keeps the printed
    figure (the fit mart's published_share), `note` says by how much.
    """
    in_range = ((AGES >= 20) & (AGES <= 64)).astype(float)
    band_share = np.einsum("bsa,a->bs", age_b_s, in_range)  # (band, sex) share of the band aged 20-64
    pop = np.einsum("sbr,bs->sr", pop_sabr, band_share)  # (sex, area) population aged 20-64
    weights = {
        "sex": dict(zip(SEXES, pop.sum(1) / pop.sum(), strict=True)),
        "residence_type": dict(zip(AREAS, pop.sum(0) / pop.sum(), strict=True)),
    }
    out = rates.assign(printed_pct=rates["pct"], note="")
    national = float(rates.loc[rates["dimension"] == "all", "pct"].iloc[0])
    for dim, share in weights.items():
        rows = out["dimension"] == dim
        averaged = float((out.loc[rows, "value"].map(share) * out.loc[rows, "pct"]).sum())
        shift = national - averaged
        out.loc[rows, "pct"] = out.loc[rows, "pct"] + shift
        out.loc[rows, "note"] = (
            f"printed rates by {dim} average {averaged:.2f} % on the census 20-64 population, the national "
            f"rate is {national:.1f} %: each shifted by {shift:+.2f} pp"
        )
    return out


def education_by_band_sex_area(
    stage_a: np.ndarray, loc: pd.DataFrame, n_raions: int, education: np.ndarray
) -> np.ndarray:
    """P(education | band, sex, area) (band, sex, area, edu): the raion-level education conditional
    summed over raions with their adult counts (the parents employment and ISCO are drawn on)."""
    area_onehot = np.eye(2)[loc["area_idx"].to_numpy()]
    raion_onehot = np.eye(n_raions)[loc["raion_idx"].to_numpy()]
    pop_kbsr = _adults_by_raion_band_sex_area(stage_a, raion_onehot, area_onehot)
    return _normalise(np.einsum("kbsr,kbsre->bsre", pop_kbsr, education))


def _adults_by_raion_band_sex_area(
    stage_a: np.ndarray, raion_onehot: np.ndarray, area_onehot: np.ndarray
) -> np.ndarray:
    """Adults of the stage-A joint (locality, sex, band, eth) as (raion, band, sex, area)."""
    return np.einsum("lsae,lk,lr->kasr", stage_a, raion_onehot, area_onehot, optimize=True)


def _modelled_education_rows(raions, pop_kbsr, education, printed: set) -> pd.DataFrame:
    """Higher-education shares of the units and area NBS printed no figure for, as the model gives
    them, so the fit mart shows every raion (published_share stays empty: nothing to compare with)."""
    higher = EDUCATION_LEVELS.index("higher")
    held = np.einsum("kbsr,kbsr->kr", pop_kbsr, education[..., higher])  # (raion, area)
    adults = pop_kbsr.sum(axis=(1, 2))
    rows = [("raion", raion, held[k].sum() / adults[k].sum()) for k, raion in enumerate(raions)]
    rows += [("area", area, held[:, r].sum() / adults[:, r].sum()) for r, area in enumerate(AREAS)]
    rows = [row for row in rows if (row[0], row[1]) not in printed]
    return pd.DataFrame(
        [
            {
                "census_table": f"census__education_by_{kind}",
                "group_value": unit,
                "category": "higher",
                "expected_share": float(share),
                "published_share": None,
                "note": "model expectation: NBS printed no figure for this unit (the release: other raions "
                "10-15 % on average)",
            }
            for kind, unit, share in rows
        ]
    )


def _fit_stage_a(inputs: CensusInputs, loc: pd.DataFrame, raions: list[str]) -> tuple[np.ndarray, dict]:
    n_loc = len(loc)
    adults = loc["adult_population"].to_numpy(float)
    total = adults.sum()
    weights = _adult_weights(inputs.single_age)
    fem = inputs.female_share_by_age.reindex(AGES).to_numpy(float)
    sex_band = np.zeros((2, len(AGE_GROUPS)))
    for s, share in enumerate((fem, 1 - fem)):
        sex_band[s] = np.bincount(AGE_BAND_OF_AGE, weights=weights * share, minlength=len(AGE_GROUPS))
    sex_band *= total / sex_band.sum()
    _, eth_given_band = ethnicity_adult_factors(inputs)
    band_totals = sex_band.sum(axis=0)
    eth_band = eth_given_band * band_totals[:, None]  # (band, eth)
    area_idx = loc["area_idx"].to_numpy()
    region_idx = loc["region_idx"].to_numpy()
    raion_idx = loc["raion_idx"].to_numpy()
    area_onehot = np.eye(2)[area_idx]  # (L, 2)
    area_adults = area_onehot.T @ adults
    eth_area_shares = adult_ethnicity_by_area(inputs)
    eth_area = np.stack([eth_area_shares[a] * area_adults[i] for i, a in enumerate(AREAS)])  # (2, eth)

    prior_eth = np.stack([eth_area_shares[AREAS[a]] for a in area_idx])  # (L, eth)
    joint = (
        adults[:, None, None, None]
        * _normalise(sex_band.ravel()).reshape(2, -1)[None, :, :, None]
        * prior_eth[:, None, None, :]
    )
    margins = [
        Margin("locality adults", lambda j: j.sum(axis=(1, 2, 3)), lambda f: f[:, None, None, None], adults),
        Margin("sex x age band", lambda j: j.sum(axis=(0, 3)), lambda f: f[None, :, :, None], sex_band),
        Margin("ethnicity x age band", lambda j: j.sum(axis=(0, 1)), lambda f: f[None, None, :, :], eth_band),
        Margin(
            "ethnicity x urban/rural",
            lambda j: np.einsum("lsae,lr->re", j, area_onehot, optimize=True),
            lambda f: (area_onehot @ f)[:, None, None, :],
            eth_area,
        ),
    ]
    margins += _ageing_margin(inputs, loc, raion_idx, len(raions), sex_band)
    margins += _cell_margins("region", adult_region_cells(inputs), region_idx, list(REGIONS), adults)
    raion_cells = _adult_cells(inputs, inputs.ethnicity_raion_cells, "raion", scale_prelim=False)
    margins += _cell_margins("raion", raion_cells, raion_idx, raions, adults)
    loc_pos = {code: i for i, code in enumerate(loc["locality_code"].astype(str))}
    for row in inputs.ethnicity_locality_cells.itertuples():
        i = loc_pos.get(str(row.locality_code))
        if i is None:
            raise ValueError(f"ethnicity locality cell: unknown locality code {row.locality_code}")
        margins += _cell_margins(
            f"locality {row.locality_code}",
            [{"unit": 0, "ethnicities": tuple(row.ethnicities), "share": row.pct / 100}],
            np.where(np.arange(n_loc) == i, 0, -1),
            [0],
            adults,
            key="unit",
        )
    report = rake(joint, margins, max_iter=100, tol=1e-6)
    return joint, report


def _ageing_margin(inputs, loc, raion_idx, n_raions, sex_band) -> list[Margin]:
    """Raion share of adults aged 65+ follows the raion's over-working-age index.

    Assumption: a raion's 65+ share of adults = national 65+ share x (raion over-working-age share /
    national over-working-age share). NBS prints the broad groups per locality but no 65+ split.
    """
    has = loc["ageing_index"].notna()
    upper = (loc["pop_grp2_working_age"] + loc["pop_grp3_over_working_age"]).where(has)
    over = loc["pop_grp3_over_working_age"].where(has)
    nat_index = over.sum() / upper.sum()
    raion_index = over.groupby(raion_idx).sum() / upper.groupby(raion_idx).sum()
    old_bands = [AGE_GROUPS.index("65-74"), AGE_GROUPS.index("75+")]
    nat_old_share = sex_band[:, old_bands].sum() / sex_band.sum()
    adults_raion = np.bincount(raion_idx, weights=loc["adult_population"], minlength=n_raions)
    index = raion_index.reindex(range(n_raions)).fillna(nat_index).to_numpy(float)
    old = adults_raion * index
    old *= nat_old_share * adults_raion.sum() / old.sum()  # national 65+ total stays as in sex x age
    target = np.stack([adults_raion - old, old], axis=1)  # (raion, young/old)
    onehot = np.eye(n_raions)[raion_idx]
    is_old = np.zeros(len(AGE_GROUPS))
    is_old[old_bands] = 1

    def collapse(j):
        # a matmul over the summed joint, not einsum("lsae,lk->ka"): numpy's einsum loops over every
        # (locality, raion) pair, 20 ms a call against 0.8 ms, and the rake calls this ~100 times
        by_band = onehot.T @ j.sum(axis=(1, 3))
        return np.stack([(by_band * (1 - is_old)).sum(axis=1), (by_band * is_old).sum(axis=1)], axis=1)

    def expand(f):
        per_loc = onehot @ f  # (L, 2)
        band_factor = per_loc[:, :1] * (1 - is_old)[None, :] + per_loc[:, 1:] * is_old[None, :]
        return band_factor[:, None, :, None]

    target = target / target.sum() * sex_band.sum()
    return [Margin("raion ageing index", collapse, expand, target)]


def _cell_margins(kind, cells, unit_idx, units, adults, key=None) -> list[Margin]:
    """Partial margins: the printed ethnic shares of a unit, the remainder raked as one block."""
    key = key or kind
    margins = []
    by_unit: dict = {}
    for cell in cells:
        by_unit.setdefault(cell[key], []).append(cell)
    for unit, unit_cells in by_unit.items():
        u = units.index(unit) if unit in units else None
        if u is None:
            raise ValueError(f"ethnicity {kind} cell: unknown {kind} {unit!r}")
        mask = (unit_idx == u).astype(float)
        rows = np.flatnonzero(mask)  # the unit's localities: collapse sums only these (15x faster)
        unit_adults = float(mask @ adults)
        groups = np.zeros((len(unit_cells) + 1, len(ETHNICITIES)))
        target = np.zeros(len(unit_cells) + 1)
        for i, cell in enumerate(unit_cells):
            for eth in cell["ethnicities"]:
                groups[i, ETHNICITIES.index(eth)] = 1
            target[i] = cell["share"] * unit_adults
        groups[-1] = 1 - groups[:-1].sum(axis=0)
        target[-1] = unit_adults - target[:-1].sum()

        def collapse(j, rows=rows, groups=groups):
            return groups @ j[rows].sum(axis=(0, 1, 2))

        def expand(f, mask=mask, groups=groups):
            eth_factor = f @ groups  # (eth,)
            per_loc = 1 + mask[:, None] * (eth_factor[None, :] - 1)
            return per_loc[:, None, None, :]

        margins.append(Margin(f"ethnicity cells {kind}={unit}", collapse, expand, target))
    return margins


def _rake_conditional(
    prior: np.ndarray, pop: np.ndarray, target_shares: np.ndarray, iters: int = 500
) -> np.ndarray:
    """Scale a conditional P(cat | group) by per-category factors until sum_g pop_g P(cat|g) hits the
    target shares (the prior's group-to-group shape is kept, as in one-margin raking)."""
    cond = _normalise(prior)
    target = target_shares * pop.sum()
    for _ in range(iters):
        current = pop @ cond
        factor = np.where(current > 0, target / np.maximum(current, 1e-12), 1.0)
        cond = _normalise(cond * factor)
        if np.abs(pop @ cond - target).max() < 1e-6 * pop.sum():
            break
    return cond


def _fit_marital(inputs: CensusInputs, pop_sab: np.ndarray, weights: np.ndarray) -> np.ndarray:
    prior = np.zeros((len(AGE_GROUPS), 2, len(MARITAL_STATUSES)))
    for s, sex in enumerate(SEXES):
        lookup = _band_lookup(
            inputs.marital_prior[inputs.marital_prior["sex"] == sex],
            ["sex"],
            "marital_status",
            MARITAL_STATUSES,
        )
        prior[:, s] = _prior_by_band(lookup, weights, (sex,), len(MARITAL_STATUSES))
    pop = pop_sab.T.reshape(-1)  # (band*sex)
    target = np.array(list(adult_marital_targets(inputs).values()))
    cond = _rake_conditional(prior.reshape(-1, len(MARITAL_STATUSES)), pop, target)
    return cond.reshape(prior.shape)


def _fit_education(
    inputs: CensusInputs, loc: pd.DataFrame, raions: list[str], pop_kbsr: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, dict]:
    """P(education | raion, band, sex, area): the age x sex x area prior (same in every raion), raked
    to the national adult table and to the higher-education cells NBS printed (urban; the five units).

    Each printed cell is a two-way margin (higher vs the rest, the rest keeping its mix). Units NBS
    printed nothing for move only with the national and urban margins, so they keep the shape that
    their age, sex and urban/rural mix gives them.
    """
    n_k, n_e = len(raions), len(EDUCATION_LEVELS)
    prior = np.zeros((len(AGE_GROUPS), 2, 2, n_e))
    for s, sex in enumerate(SEXES):
        for r, res in enumerate(AREAS):
            block = inputs.education_prior[
                (inputs.education_prior["sex"] == sex) & (inputs.education_prior["residence_type"] == res)
            ]
            lookup = _band_lookup(block, ["sex", "residence_type"], "education_level", EDUCATION_LEVELS)
            prior[:, s, r] = _prior_by_band(lookup, weights, (sex, res), n_e)
    joint = pop_kbsr[..., None] * _normalise(prior)[None]  # (raion, band, sex, area, edu)
    total = pop_kbsr.sum()
    higher = EDUCATION_LEVELS.index("higher")
    is_higher = np.eye(n_e)[higher]
    national = np.array(list(adult_education_targets(inputs).values())) * total
    margins = [
        Margin("education cells", lambda j: j.sum(axis=-1), lambda f: f[..., None], pop_kbsr),
        Margin("education national", lambda j: j.sum(axis=(0, 1, 2, 3)), lambda f: f, national),
    ]
    for cell in adult_higher_education_cells(inputs, loc):
        sel = np.zeros((n_k, 1, 1, 2, 1))
        if cell["kind"] == "raion":
            sel[raions.index(cell["unit"])] = 1
        else:
            sel[:, :, :, AREAS.index(cell["unit"])] = 1
        size = float((pop_kbsr[..., None] * sel).sum())
        target = np.array([cell["share"], 1 - cell["share"]]) * size

        def collapse(j, sel=sel):
            held = (j * sel).sum(axis=(0, 1, 2, 3))
            return np.array([held[higher], held.sum() - held[higher]])

        def expand(f, sel=sel):
            per_edu = f[0] * is_higher + f[1] * (1 - is_higher)
            return 1 + sel * (per_edu - 1)

        margins.append(Margin(f"education higher {cell['kind']}={cell['unit']}", collapse, expand, target))
    report = rake(joint, margins, max_iter=500, tol=1e-9)
    return _normalise(joint), report


def _fit_employment(inputs, pop_sabr, education, weights, age_b_s) -> np.ndarray:
    n_st = len(EMPLOYMENT_STATUSES)
    shape = (len(AGE_GROUPS), 2, 2, len(EDUCATION_LEVELS), n_st)
    prior = np.zeros(shape)
    emp = EMPLOYMENT_STATUSES.index("employed")
    edu_factor = inputs.employment_education_factor.reindex(EDUCATION_LEVELS).fillna(1.0).to_numpy(float)
    rules = inputs.life_course_rules
    # a status no single age of a band may hold (assumption_life_course_rules) is zero in that band
    allowed = band_allows(rules, "employment_status", EMPLOYMENT_STATUSES, AGE_GROUPS)
    for s, sex in enumerate(SEXES):
        for r, res in enumerate(AREAS):
            block = inputs.employment_prior[
                (inputs.employment_prior["sex"] == sex) & (inputs.employment_prior["residence_type"] == res)
            ]
            lookup = _band_lookup(block, ["sex", "residence_type"], "employment_status", EMPLOYMENT_STATUSES)
            by_band = np.where(allowed, _prior_by_band(lookup, weights, (sex, res), n_st), 0.0)
            for k in range(len(EDUCATION_LEVELS)):
                p = by_band.copy()
                p[:, emp] *= edu_factor[k]
                prior[:, s, r, k] = _normalise(p)
    # population of (band, sex, area, edu)
    pop = np.einsum("sar,asrk->asrk", pop_sabr, education)
    flat_prior = prior.reshape(-1, n_st)
    flat_pop = pop.reshape(-1)
    target = inputs.employment_targets.reindex(EMPLOYMENT_STATUSES).fillna(0.0).to_numpy(float)
    target = target / target.sum()
    pop_in, employed_in_range = _employment_20_64(inputs, pop, education, age_b_s)
    # the rates move only the bands with ages 20-64; the national shares then settle the others (65+):
    # shifting 65+ too made the two steps pull against each other (0.15 pp off the rates at the end)
    working_bands = np.flatnonzero(pop_in.sum(axis=(1, 2, 3)) > 0)
    # Alternate: overall status shares, then employment rates 20-64 by sex and by area.
    rates = {(r.dimension, r.value): r.pct / 100 for r in inputs.employment_rate_20_64.itertuples()}
    cond = flat_prior
    for _ in range(60):
        cond = _rake_conditional(cond, flat_pop, target, iters=50)
        cond4 = cond.reshape(shape)
        in_range = employed_in_range(cond4)
        for dim, axis in (("sex", 1), ("residence_type", 2)):
            values = SEXES if dim == "sex" else AREAS
            for v, value in enumerate(values):
                rate = rates.get((dim, value))
                if rate is None:
                    continue
                sel = [working_bands, slice(None), slice(None), slice(None)]
                sel[axis] = v
                sel = tuple(sel)
                current = (pop * cond4[..., emp] * in_range)[sel].sum() / pop_in[sel].sum()
                _shift_status(cond4, sel, emp, rate / max(current, 1e-9))
        cond = cond4.reshape(-1, n_st)
    return cond.reshape(shape)


def _employment_20_64(inputs, pop, education, age_b_s):
    """The 20-64 population of each (band, sex, area, edu) group, and a function giving the share of a
    group's employed aged 20-64 as the sampler draws them. Bands wholly inside or outside 20-64 count
    whole; a band the range cuts (18-24) counts by single age (census.life_course.employment_by_age:
    students are younger than the employed inside 18-24, so more of its employed are 20+ than of its
    people). Without this the fit would aim at a rate the cores miss by ~0.5 pp."""
    rules = inputs.life_course_rules
    ctx = (EDUCATION_LEVELS, EMPLOYMENT_STATUSES, AGES)
    emp = EMPLOYMENT_STATUSES.index("employed")
    in_range = ((AGES >= 20) & (AGES <= 64)).astype(float)
    band_share = np.einsum("bsa,a->bs", age_b_s, in_range)  # share of each band aged 20-64
    cut = np.flatnonzero(((band_share > 0) & (band_share < 1)).any(axis=1))
    group_ages = education_ages(education[cut], age_b_s[cut], rules, ctx)  # (cut, sex, area, edu, ages)
    pop_in = pop * band_share[:, :, None, None]
    pop_in[cut] = pop[cut] * (group_ages @ in_range)

    def employed_in_range(cond4: np.ndarray) -> np.ndarray:
        share = np.broadcast_to(band_share[:, :, None, None], pop.shape).copy()
        employed = group_ages * employment_by_age(cond4[cut], group_ages, rules, ctx)[..., emp]
        total = employed.sum(-1)
        share[cut] = np.divide(employed @ in_range, total, out=np.ones_like(total), where=total > 0)
        return share

    return pop_in, employed_in_range


def _shift_status(cond, sel, status, odds):
    """Multiply one status's probability by `odds` within a slice and renormalise."""
    block = cond[sel]
    block[..., status] *= odds
    cond[sel] = _normalise(block)


def _fit_isco(inputs, pop_sabr, education, employment) -> np.ndarray:
    """P(ISCO major | sex, education, area) for the employed: the education compatibility weights
    give the shape, raked per (sex, area) to the ISCO shares of that cell."""
    emp = EMPLOYMENT_STATUSES.index("employed")
    employed = np.einsum("sar,asrk,asrk->skr", pop_sabr, education, employment[..., emp])  # (sex, edu, area)
    weight = (
        inputs.isco_education_weight.pivot_table(
            index="education_level", columns="isco_major", values="weight", aggfunc="sum"
        )
        .reindex(index=list(EDUCATION_LEVELS), columns=list(ISCO_MAJORS))
        .fillna(0.0)
        .to_numpy(float)
    )
    cond = np.zeros((2, len(EDUCATION_LEVELS), 2, len(ISCO_MAJORS)))
    # (sex, area, edu, isco): a group is only drawn where a concrete title exists for that person
    has_title = title_available(build_title_table(inputs.occupation_titles))
    for s, sex in enumerate(SEXES):
        for r, res in enumerate(AREAS):
            block = inputs.isco_by_sex_area[
                (inputs.isco_by_sex_area["sex"] == sex) & (inputs.isco_by_sex_area["residence_type"] == res)
            ]
            target = block.set_index("isco_major")["pct"].reindex(ISCO_MAJORS).fillna(0.0).to_numpy(float)
            shares = target / target.sum()
            cond[s, :, r] = _rake_conditional(weight * has_title[s, r], employed[s, :, r], shares)
    return cond
