"""Iterative proportional fitting over a dense numpy joint table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Margin:
    """A target for the joint: `collapse(joint) -> current`, scaled towards `target` by `expand`.

    `collapse` returns the current marginal, `target` has its shape, and `expand` broadcasts a factor
    array of that shape back onto the joint. Cells where the current value is 0 stay 0.
    """

    name: str
    collapse: Callable[[np.ndarray], np.ndarray]
    expand: Callable[[np.ndarray], np.ndarray]
    target: np.ndarray


def rake(joint: np.ndarray, margins: list[Margin], max_iter: int = 200, tol: float = 1e-7) -> dict:
    """Rake `joint` in place until every margin is within `tol` (relative) or `max_iter` passes.

    Returns a report {margin name: max relative deviation after the last pass, 'iterations': n}.
    """
    report: dict = {}
    for iteration in range(1, max_iter + 1):  # noqa: B007 (the count is reported after the loop)
        worst = 0.0
        for margin in margins:
            current = margin.collapse(joint)
            with np.errstate(divide="ignore", invalid="ignore"):
                factor = np.where(current > 0, margin.target / current, 1.0)
            joint *= margin.expand(factor)
            worst = max(worst, _rel_dev(current, margin.target))
        if worst < tol:
            break
    for margin in margins:
        report[margin.name] = _rel_dev(margin.collapse(joint), margin.target)
    report["iterations"] = iteration
    return report


def _rel_dev(current: np.ndarray, target: np.ndarray) -> float:
    scale = max(float(np.abs(target).sum()), 1e-12)
    return float(np.abs(current - target).sum() / scale)
