"""Single-age life-course rules for attributes the census gives by age band.

The census tables give education and marital status per age band (18-24, 25-34, ...). Drawn per band,
an 18-year-old is as likely to hold a degree as a 24-year-old. The rules seed
(assumption_life_course_rules) says at which ages a value is possible; `split_by_age` turns a band-level
conditional P(category | group) into P(category | group, single age) by raking, per group, the
(single age x category) table with structural zeros outside the rules to the group's category shares and
single-age distribution (census.ipf). Band-level shares are therefore unchanged; only who holds a value
inside the band moves.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from moldova_personas.census.ipf import Margin, rake

RULE_COLUMNS = ("attribute", "value", "min_age", "max_age", "full_from_age")
RAKE_TOLERANCE = 1e-4  # relative L1 deviation of a margin after raking; larger means infeasible rules


def age_weights(rules: pd.DataFrame, attribute: str, categories: tuple, ages: np.ndarray) -> np.ndarray:
    """(ages, categories) prior weights in [0, 1]: 0 outside [min_age, max_age], a linear rise up to
    full_from_age (weight (age - min_age + 1) / (full_from_age - min_age + 1)), else 1."""
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
