"""Life-course rules: raking by single age keeps band shares, puts no value outside its ages, and the
within-group fit summary skips groups below the minimum size."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from moldova_personas.census.life_course import age_weights, rule_breaks, split_by_age
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
