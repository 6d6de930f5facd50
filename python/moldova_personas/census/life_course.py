"""Single-age life-course rules for attributes the census gives by age band.

The census tables give education, marital status and employment status per age band (18-24, 25-34, ...).
Drawn per band, an 18-year-old is as likely to hold a degree, or to be a student, as a 24-year-old. The
rules seed (assumption_life_course_rules) says at which ages a value is possible and how its weight rises
or fades inside that range; `split_by_age` turns a band-level conditional P(category | group) into
P(category | group, single age) by raking, per group, the (single age x category) table with structural
zeros outside the rules to the group's category shares and single-age distribution (census.ipf).
Band-level shares are therefore unchanged; only who holds a value inside the band moves.

The same seed is the fit's source of band-level zeros (`band_allows`): a status no age of a band may
hold is zero in that band's prior (no retired 35-44-year-old band share).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from moldova_personas.census.ipf import Margin, rake

RULE_COLUMNS = (
    "attribute",
    "value",
    "min_age",
    "max_age",
    "full_from_age",
    "fade_from_age",
    "fade_to_age",
    "fade_floor",
)
RAKE_TOLERANCE = 1e-4  # relative L1 deviation of a margin after raking; larger means infeasible rules


def age_weights(rules: pd.DataFrame, attribute: str, categories: tuple, ages: np.ndarray) -> np.ndarray:
    """(ages, categories) prior weights in [0, 1]: 0 outside [min_age, max_age], a linear rise up to
    full_from_age (weight (age - min_age + 1) / (full_from_age - min_age + 1)), a linear fall from 1 at
    fade_from_age to fade_floor at fade_to_age (kept after it), else 1."""
    weights = np.ones((ages.size, len(categories)))
    for rule in rules[rules["attribute"] == attribute].itertuples():
        if rule.value not in categories:
            raise ValueError(
                f"assumption_life_course_rules: {attribute} value {rule.value!r} is not a category "
                f"({', '.join(categories)}); fix the seed row"
            )
        k = categories.index(rule.value)
        w = ((ages >= rule.min_age) & (ages <= rule.max_age)).astype(float)
        if pd.notna(rule.full_from_age) and rule.full_from_age > rule.min_age:
            ramp = (ages - rule.min_age + 1) / (rule.full_from_age - rule.min_age + 1)
            w *= np.clip(ramp, 0.0, 1.0)
        if pd.notna(getattr(rule, "fade_from_age", None)):
            span = max(float(rule.fade_to_age) - float(rule.fade_from_age), 1.0)
            fall = np.clip((ages - rule.fade_from_age) / span, 0.0, 1.0)
            w *= 1.0 - fall * (1.0 - float(rule.fade_floor))
        weights[:, k] = w
    return weights


def split_by_age(cond: np.ndarray, age_dist: np.ndarray, weights: np.ndarray, name: str) -> np.ndarray:
    """P(category | group, age) from P(category | group) (..., K) and P(age | group) (..., A).

    `age_dist` broadcasts against cond's group axes; `weights` is (A, K) from `age_weights`. Each
    group's (A x K) table starts at age_dist x cond x weights and is raked to both margins, so
    summing the result over ages (weighted by age_dist) gives cond back. Returns (..., A, K); rows of
    ages a group never has are zero (the sampler never draws them).
    """
    total = cond.sum(-1, keepdims=True)
    # groups without census mass (e.g. no urban area in a raion) are never drawn: uniform, as _cond does
    cond = np.where(total > 0, cond / np.where(total > 0, total, 1.0), 1.0 / cond.shape[-1])
    groups = np.broadcast_shapes(cond.shape[:-1], age_dist.shape[:-1])
    age_target = np.broadcast_to(age_dist, groups + age_dist.shape[-1:]).astype(float)
    age_target = age_target / np.where(
        age_target.sum(-1, keepdims=True) > 0, age_target.sum(-1, keepdims=True), 1.0
    )
    cat_target = np.broadcast_to(cond, groups + cond.shape[-1:])
    joint = age_target[..., :, None] * cat_target[..., None, :] * weights
    report = rake(
        joint,
        [
            Margin("age", lambda j: j.sum(-1), lambda f: f[..., None], age_target),
            Margin("category", lambda j: j.sum(-2), lambda f: f[..., None, :], cat_target),
        ],
        max_iter=500,
        tol=1e-9,
    )
    if report["category"] > RAKE_TOLERANCE or report["age"] > RAKE_TOLERANCE:
        raise ValueError(
            f"assumption_life_course_rules leave too few ages for the census {name} shares of some band "
            f"(raking off by {max(report['category'], report['age']):.2%}); widen the rule's ages"
        )
    total = joint.sum(-1, keepdims=True)
    return np.divide(joint, total, out=np.zeros_like(joint), where=total > 0)


def rule_breaks(cores: dict, rules: pd.DataFrame) -> list[str]:
    """One line per rule broken by some drawn core: `cores` maps attribute -> labels (and 'age')."""
    problems = []
    age = np.asarray(cores["age"])
    for rule in rules.itertuples():
        values = np.asarray(cores[rule.attribute], dtype=object)
        bad = (values == rule.value) & ((age < rule.min_age) | (age > rule.max_age))
        if bad.any():
            problems.append(
                f"{int(bad.sum())} cores have {rule.attribute} = {rule.value} outside ages "
                f"{rule.min_age}-{rule.max_age} "
                f"(youngest {int(age[bad].min())}, oldest {int(age[bad].max())})"
            )
    return problems


def band_allows(rules: pd.DataFrame, attribute: str, categories: tuple, bands: tuple) -> np.ndarray:
    """(bands, categories) booleans: False where no single age of the band may hold the value, i.e.
    the band lies wholly outside the rule's [min_age, max_age] (band labels '18-24', ..., '85+')."""
    allowed = np.ones((len(bands), len(categories)), dtype=bool)
    for rule in rules[rules["attribute"] == attribute].itertuples():
        k = categories.index(rule.value)
        for b, band in enumerate(bands):
            lo, _, hi = band.rstrip("+").partition("-")
            start, end = int(lo), int(hi) if hi else 10_000
            allowed[b, k] = end >= rule.min_age and start <= rule.max_age
    return allowed


def education_ages(
    education_bsr: np.ndarray, age_b_s: np.ndarray, rules: pd.DataFrame, ctx: tuple
) -> np.ndarray:
    """P(age | band, sex, area, education) (band, sex, area, edu, ages): the single ages of the members
    of each (band, sex, area, education) group, from P(age | band, sex) (band, sex, ages) and the
    education shares (band, sex, area, edu) split by age with the education rules (graduates are older
    inside 18-24). `ctx` = (EDUCATION_LEVELS, EMPLOYMENT_STATUSES, AGES)."""
    levels, _, ages = ctx
    edu_by_age = split_by_age(
        education_bsr,
        age_b_s[:, :, None, :],
        age_weights(rules, "education_level", levels, ages),
        "education",
    )  # (band, sex, area, ages, edu)
    joint = np.moveaxis(age_b_s[:, :, None, :, None] * edu_by_age, 3, 4)  # (band, sex, area, edu, ages)
    total = joint.sum(-1, keepdims=True)
    return np.divide(joint, total, out=np.zeros_like(joint), where=total > 0)


def employment_by_age(
    employment: np.ndarray, group_ages: np.ndarray, rules: pd.DataFrame, ctx: tuple
) -> np.ndarray:
    """P(status | band, sex, area, education, single age) (band, sex, area, edu, ages, status) from the
    fit's band-level conditional (band, sex, area, edu, status) and `education_ages`. The fit (its 20-64
    employment rate, which cuts the 18-24 band) and the sampler call this one function, so the rate the
    fit aims at is the rate the cores get."""
    _, statuses, ages = ctx
    return split_by_age(
        employment, group_ages, age_weights(rules, "employment_status", statuses, ages), "employment status"
    )
