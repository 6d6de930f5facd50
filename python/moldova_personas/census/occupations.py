"""Concrete Romanian job titles inside the ISCO-08 major group the sampler drew.

A title's weight (int_occupation_titles_weighted.title_weight) is the share of its ISCO unit group
among the employed of its major group times the title's share inside the unit group (both from seeds,
see their yml). For one person it is multiplied by the share of that person's sex and area among the
unit group's workers (Bayes: P(title | sex) ~ P(title) P(sex | title)) and restricted to titles the
person may hold: minimum education, residence, minimum age, and a form for the person's sex (a title
with no feminine form, e.g. "preot", is never drawn for a woman).

Draws are grouped by (major group, education, area, sex, age step); each group is one seeded
`rng.choice` over the title table, so 1M cores take a few hundred small vectorised draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from moldova_personas.schema import EDUCATION_LEVELS, SEXES

AREAS = ("urban", "rural")  # the sampler's area codes (census.fit.AREAS)
EDU_RANK = {e: i for i, e in enumerate(EDUCATION_LEVELS)}
SOURCE = "int_occupation_titles_weighted (seeds/reference/occupation_titles.csv)"


@dataclass(frozen=True)
class TitleTable:
    """The weighted titles as arrays; axis 0 of (2, T) arrays follows SEXES / AREAS."""

    isco_major: np.ndarray  # (T,) int
    min_edu: np.ndarray  # (T,) rank in EDUCATION_LEVELS
    min_age: np.ndarray  # (T,) int
    area_ok: np.ndarray  # (2, T) bool: residence allows urban / rural
    weight: np.ndarray  # (T,) title_weight
    sex_weight: np.ndarray  # (2, T) share of women / men, 0 where the title has no form for that sex
    area_weight: np.ndarray  # (2, T) share of urban / rural residents
    title: np.ndarray  # (2, T) object: feminine / masculine form
    age_steps: np.ndarray  # sorted distinct min_age values


def build_title_table(frame: pd.DataFrame) -> TitleTable:
    """Arrays from the weighted title frame; a clear error for anything the draw cannot use."""
    required = {
        "isco_major",
        "title_m",
        "title_f",
        "min_education",
        "residence",
        "min_age",
        "title_weight",
        "female_share_pct",
        "urban_share_pct",
    }
    missing = required - set(frame.columns)
    if missing:
        raise ValueError(f"{SOURCE}: missing columns {sorted(missing)}")
    unknown_edu = sorted(set(frame["min_education"]) - set(EDU_RANK))
    if unknown_edu:
        raise ValueError(f"{SOURCE}: unknown min_education {unknown_edu}; use {list(EDUCATION_LEVELS)}")
    bad_res = sorted(set(frame["residence"]) - {"any", *AREAS})
    if bad_res:
        raise ValueError(f"{SOURCE}: unknown residence {bad_res}; use any, urban or rural")
    if frame["title_weight"].isna().any() or (frame["title_weight"] <= 0).any():
        rows = frame.loc[frame["title_weight"].isna() | (frame["title_weight"] <= 0), "isco_unit_group"]
        raise ValueError(
            f"{SOURCE}: titles without a positive weight in unit groups {sorted(set(rows))}: add the unit "
            "group to seeds/assumptions/assumption_occupation_unit_group_weights.csv"
        )
    title_f = frame["title_f"].fillna("").astype(str).to_numpy(dtype=object)
    title_m = frame["title_m"].fillna("").astype(str).to_numpy(dtype=object)
    female = frame["female_share_pct"].to_numpy(float) / 100
    urban = frame["urban_share_pct"].to_numpy(float) / 100
    residence = frame["residence"].to_numpy(dtype=object)
    return TitleTable(
        isco_major=frame["isco_major"].to_numpy(dtype=np.int64),
        min_edu=frame["min_education"].map(EDU_RANK).to_numpy(dtype=np.int64),
        min_age=frame["min_age"].to_numpy(dtype=np.int64),
        area_ok=np.stack([(residence == "any") | (residence == a) for a in AREAS]),
        weight=frame["title_weight"].to_numpy(float),
        sex_weight=np.stack([female * (title_f != ""), (1 - female) * (title_m != "")]),
        area_weight=np.stack([urban, 1 - urban]),
        title=np.stack([title_f, title_m]),
        age_steps=np.unique(frame["min_age"].to_numpy(dtype=np.int64)),
    )


def draw_titles(
    table: TitleTable,
    isco: np.ndarray,
    edu: np.ndarray,
    area: np.ndarray,
    sex: np.ndarray,
    age: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """One title per row with isco >= 0 (None elsewhere). Codes follow SEXES, AREAS, EDUCATION_LEVELS."""
    out = np.full(isco.size, None, dtype=object)
    rows = np.flatnonzero(isco >= 0)
    if rows.size == 0:
        return out
    step = np.searchsorted(table.age_steps, age[rows], side="right")  # min_age steps reached
    n_steps = table.age_steps.size + 1
    cell = ((isco[rows] * len(EDUCATION_LEVELS) + edu[rows]) * 2 + area[rows]) * 2 + sex[rows]
    key = cell * n_steps + step
    order = np.argsort(key, kind="stable")
    _, starts = np.unique(key[order], return_index=True)
    bounds = np.append(starts, order.size)
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        members = rows[order[lo:hi]]
        r = members[0]
        w = _weights(table, int(isco[r]), int(edu[r]), int(area[r]), int(sex[r]))
        s = step[order[lo]]
        reached = table.min_age <= (table.age_steps[s - 1] if s else -1)
        if (w * reached).sum() > 0:
            w = w * reached
        # else: no title is open at this age (e.g. a degree-holder aged 20 in a group whose titles
        # start at 21); the age floor is a soft rule, so the group's titles are used as they are.
        if w.sum() <= 0:
            raise ValueError(
                f"no occupation title for ISCO major {int(isco[r])}, education {EDUCATION_LEVELS[edu[r]]}, "
                f"{AREAS[area[r]]}, {SEXES[sex[r]]}: add a title to seeds/reference/occupation_titles.csv "
                "or forbid the pair in seeds/assumptions/assumption_isco_education_compatibility.csv"
            )
        choice = rng.choice(w.size, size=members.size, p=w / w.sum())
        out[members] = table.title[int(sex[r]), choice]
    return out


def _weights(table: TitleTable, isco: int, edu: int, area: int, sex: int) -> np.ndarray:
    open_ = (table.isco_major == isco) & (table.min_edu <= edu) & table.area_ok[area]
    return table.weight * table.sex_weight[sex] * table.area_weight[area] * open_


def title_available(table: TitleTable) -> np.ndarray:
    """(sex, area, education, isco major) -> at least one title can be drawn (age floors aside)."""
    out = np.zeros((len(SEXES), len(AREAS), len(EDUCATION_LEVELS), 10), dtype=bool)
    for s in range(len(SEXES)):
        for a in range(len(AREAS)):
            for e in range(len(EDUCATION_LEVELS)):
                for i in range(10):
                    out[s, a, e, i] = _weights(table, i, e, a, s).sum() > 0
    return out


# -- diversity report ---------------------------------------------------------------------------

REPORT_COLUMNS = (
    "sex",
    "age",
    "residence_type",
    "education_level",
    "employment_status",
    "isco_major",
    "occupation",
)


def title_lookup(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (title string, sex form): which catalogue title it is and its floors."""
    parts = []
    for sex, column in (("female", "title_f"), ("male", "title_m")):
        part = frame[frame[column].notna() & (frame[column].astype(str) != "")]
        parts.append(
            pd.DataFrame(
                {
                    "occupation": part[column].astype(str),
                    "form_sex": sex,
                    "title_key": part["title_m"].fillna(part["title_f"]).astype(str),
                    "isco_unit_group": part["isco_unit_group"].astype(str),
                    "title_isco_major": part["isco_major"].astype(int),
                    "min_education": part["min_education"],
                    "residence": part["residence"],
                    "min_age": part["min_age"].astype(int),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def occupation_diversity(tiers: dict[str, pd.DataFrame], titles: pd.DataFrame, sizes: dict) -> pd.DataFrame:
    """Per tier: distinct titles, occupations and unit groups drawn, and every consistency break."""
    lookup = title_lookup(titles)
    by_string = lookup.drop_duplicates("occupation").set_index("occupation")
    n_catalogue = int(titles["title_m"].fillna(titles["title_f"]).nunique())
    rows = []
    for tier, cores in tiers.items():
        emp = cores[cores["occupation"].notna()]
        known = emp["occupation"].isin(by_string.index)
        hit = by_string.reindex(emp["occupation"])
        hit.index = emp.index
        own_form = emp.merge(
            lookup[["occupation", "form_sex"]],
            left_on=["occupation", "sex"],
            right_on=["occupation", "form_sex"],
            how="left",
        )["form_sex"].notna()
        rank = {e: i for i, e in enumerate(EDUCATION_LEVELS)}
        edu_rank = emp["education_level"].map(rank)
        floor_rank = hit["min_education"].map(rank)
        counts = emp["occupation"].value_counts()
        n = len(emp)
        rows.append(
            {
                "tier": tier,
                "tier_size": int(sizes.get(tier, len(cores))),
                "n_personas": len(cores),
                "n_employed": n,
                "catalogue_titles": n_catalogue,
                "distinct_titles": int(emp["occupation"].nunique()),
                "distinct_occupations": int(hit.loc[known, "title_key"].nunique()),
                "distinct_unit_groups": int(hit.loc[known, "isco_unit_group"].nunique()),
                "top_title": counts.index[0] if n else None,
                "top_title_share_pct": float(counts.iloc[0] / n * 100) if n else None,
                "unknown_titles": int((~known).sum()),
                "sex_form_breaks": int((~own_form.to_numpy()).sum()),
                "isco_breaks": int((known & (hit["title_isco_major"] != emp["isco_major"])).sum()),
                "education_floor_breaks": int((known & (edu_rank < floor_rank)).sum()),
                "residence_breaks": int(
                    (
                        known & ~hit["residence"].isin(["any"]) & (hit["residence"] != emp["residence_type"])
                    ).sum()
                ),
                "below_age_floor": int((known & (emp["age"] < hit["min_age"])).sum()),
                "employed_without_title": int(
                    (cores["employment_status"].eq("employed") & cores["occupation"].isna()).sum()
                ),
            }
        )
    return pd.DataFrame(rows)
