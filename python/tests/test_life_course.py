"""Life-course rules: raking by single age keeps band shares, puts no value outside its ages, and the
within-group fit summary skips groups below the minimum size."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from moldova_personas.census.fit import reconcile_employment_rates
from moldova_personas.census.life_course import (
    RULE_COLUMNS,
    age_weights,
    band_allows,
    rule_breaks,
    split_by_age,
)
from moldova_personas.census.within_group import within_group_summary
from moldova_personas.narration.planning import Constraint, _constraint_ok

LEVELS = ("upper_secondary", "vocational", "higher")
AGES = np.arange(18, 25)
RULES = pd.DataFrame(
    [("education_level", "higher", 21, 100, 24), ("marital_status", "widowed", 19, 100, None)],
    columns=["attribute", "value", "min_age", "max_age", "full_from_age"],
)


def test_split_by_age_keeps_band_shares_and_respects_minimum_age():
    band = np.array([0.6, 0.25, 0.15])  # P(level | band)
    ages = np.full(AGES.size, 1 / AGES.size)  # P(age | band)
    split = split_by_age(band, ages, age_weights(RULES, "education_level", LEVELS, AGES), "education")
    assert split.shape == (AGES.size, len(LEVELS))
    np.testing.assert_allclose(split[AGES < 21, 2], 0.0)  # no degree before 21
    np.testing.assert_allclose(ages @ split, band, atol=1e-6)  # band shares unchanged
    higher = split[AGES >= 21, 2]
    assert np.all(np.diff(higher) > 0)  # the ramp: rarer at 21 than at 24


def test_fading_rule_moves_a_status_to_the_young_and_band_limits_follow_the_rules():
    statuses = ("employed", "retired", "student")
    rules = pd.DataFrame(
        [
            ("employment_status", "student", 18, 44, None, 19, 25, 0.1),
            ("employment_status", "retired", 45, 100, None, None, None, None),
        ],
        columns=list(RULE_COLUMNS),
    )
    ages = np.arange(18, 60)
    w = age_weights(rules, "employment_status", statuses, ages)
    np.testing.assert_allclose(w[ages <= 19, 2], 1.0)
    np.testing.assert_allclose(w[ages == 22, 2], 1 - 3 / 6 * 0.9)
    np.testing.assert_allclose(w[(ages >= 25) & (ages <= 44), 2], 0.1)
    np.testing.assert_allclose(w[ages > 44, 2], 0.0)
    band = np.array([0.3, 0.0, 0.7])  # 70 % students in 18-24 (all 18-24 ages may hold it)
    young = ages[ages <= 24]
    split = split_by_age(band, np.full(young.size, 1 / young.size), w[ages <= 24], "employment status")
    assert split[0, 2] > split[-1, 2] + 0.1  # an 18-year-old is a student more often than a 24-year-old
    np.testing.assert_allclose(np.full(young.size, 1 / young.size) @ split, band, atol=1e-6)
    allowed = band_allows(rules, "employment_status", statuses, ("18-24", "35-44", "45-54", "75+"))
    assert allowed[:, 1].tolist() == [False, False, True, True]  # retired from the band holding 45
    assert allowed[:, 2].tolist() == [True, True, False, False]  # students up to the band holding 44


def test_printed_rates_are_made_to_average_to_the_national_rate():
    """LFS rates by area that average to 57.06 % on the census population cannot hold beside a
    national 56.8 %: both are shifted by the same pp, the printed figures kept."""
    rates = pd.DataFrame(
        [("all", "all", 56.8), ("sex", "male", 58.6), ("sex", "female", 55.1)]
        + [("residence_type", "urban", 63.3), ("residence_type", "rural", 51.5)],
        columns=["dimension", "value", "pct"],
    )
    ages = np.arange(18, 101)
    age_b_s = np.zeros((1, 2, ages.size))
    age_b_s[0, :, (ages >= 20) & (ages <= 64)] = 1.0 / 45
    pop = np.array(
        [[[0.516 * 0.4715, 0.516 * 0.5285]], [[0.484 * 0.4715, 0.484 * 0.5285]]]
    )  # (sex, band, area)
    out = reconcile_employment_rates(rates, pop, age_b_s).set_index("value")
    urban, rural = out.loc["urban", "pct"], out.loc["rural", "pct"]
    assert abs(0.4715 * urban + 0.5285 * rural - 56.8) < 1e-9
    assert abs((urban - rural) - (63.3 - 51.5)) < 1e-9  # the gap is kept
    assert out.loc["urban", "printed_pct"] == 63.3 and "-0.26 pp" in out.loc["urban", "note"]
    assert abs(out.loc["male", "pct"] - 58.6) < 0.02  # consistent rates move by rounding only


def test_infeasible_rule_is_named():
    band = np.array([0.1, 0.1, 0.8])  # 80 % degrees cannot fit in 4 of 7 ages
    ages = np.full(AGES.size, 1 / AGES.size)
    with pytest.raises(ValueError, match="too few ages for the census education shares"):
        split_by_age(band, ages, age_weights(RULES, "education_level", LEVELS, AGES), "education")


def test_unknown_rule_value_names_the_seed():
    bad = RULES.assign(value=["doctorate", "widowed"])
    with pytest.raises(ValueError, match="'doctorate' is not a category"):
        age_weights(bad, "education_level", LEVELS, AGES)


def test_rule_breaks_reports_each_broken_rule():
    cores = {
        "age": np.array([18, 30, 18]),
        "education_level": np.array(["higher", "higher", "vocational"], dtype=object),
        "marital_status": np.array(["never_married", "widowed", "widowed"], dtype=object),
    }
    problems = rule_breaks(cores, RULES)
    assert problems == [
        "1 cores have education_level = higher outside ages 21-100 (youngest 18, oldest 18)",
        "1 cores have marital_status = widowed outside ages 19-100 (youngest 18, oldest 18)",
    ]


def test_within_group_summary_gates_only_large_groups():
    cells = pd.DataFrame(
        {
            "tier": "tier_25k",
            "census_table": "census__ethnicity_by_region",
            "group_value": ["Gagauzia", "Gagauzia", "Sud", "Sud"],
            "category": ["Gagauz", "Moldovan", "Gagauz", "Moldovan"],
            "group_size": [40, 40, 3000, 3000],
            "within_group_deviation_pp": [5.1, -5.1, 0.4, -0.3],
        }
    )
    row = within_group_summary(cells, min_group_size=500).iloc[0]
    assert (row.max_within_group_deviation_pp, row.within_group_deviation_group) == (0.4, "Sud")
    assert (row.within_group_size, row.n_groups_gated, row.n_groups_below_min_size) == (3000, 1, 1)


def _abroad(detail: str, min_age: int) -> Constraint:
    return Constraint("ra_x", "relatives_abroad", "any", min_age, 85, "any", (detail, detail), ("", ""))


def test_children_abroad_need_a_parent_old_enough():
    son = _abroad("are un fiu care lucrează în Italia", 30)
    grandchildren = _abroad("are nepoți născuți în Franța", 30)
    brother = _abroad("are un frate plecat în Germania", 30)
    core = {"age": 36, "marital_status": "married", "employment_status": "employed"}
    assert not _constraint_ok(son, core)
    assert _constraint_ok(son, {**core, "age": 38})
    assert not _constraint_ok(grandchildren, {**core, "age": 44})
    assert _constraint_ok(brother, core)
