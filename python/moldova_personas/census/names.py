"""First names by ethnicity, sex and birth cohort; surnames by ethnicity, in the form for the sex.

The probabilities come from dbt (int_names_first_weighted, int_names_last_weighted): this module only
turns them into cumulative tables once and draws with one `searchsorted` per group, so a 1M-row tier
costs a few hundred small vector draws, not a loop over rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from moldova_personas.schema import ETHNICITIES, SEXES

# Ages are completed years at the 2024 census, so birth year = 2024 - age (+-1 around the birthday).
CENSUS_YEAR = 2024


@dataclass(frozen=True)
class _Table:
    values: np.ndarray  # object array of names (or row indices for surnames)
    cumulative: np.ndarray  # cumulative probabilities, last = 1


def _table(values: np.ndarray, probability: np.ndarray) -> _Table:
    cumulative = np.cumsum(probability.astype(float))
    return _Table(values, cumulative / cumulative[-1])


def _draw(table: _Table, size: int, rng: np.random.Generator) -> np.ndarray:
    idx = np.searchsorted(table.cumulative, rng.random(size), side="right")
    return table.values[np.minimum(idx, table.values.size - 1)]


@dataclass(frozen=True)
class NameTables:
    """Cumulative tables keyed by (ethnicity, sex, cohort) for first names and by ethnicity for surnames."""

    cohort_from: np.ndarray  # first birth year of each cohort, ascending
    cohort_to: np.ndarray
    cohort_labels: tuple
    first: dict  # (eth_idx, sex_idx, cohort_idx) -> _Table of first names
    last: dict  # eth_idx -> _Table of row indices into the two form arrays
    last_male: np.ndarray
    last_female: np.ndarray

    @classmethod
    def from_frames(cls, first_names: pd.DataFrame, last_names: pd.DataFrame) -> NameTables:
        """Build from the dbt frames; rows are sorted first so the draw never depends on SQL row order."""
        fn = first_names.sort_values(["ethnicity", "sex", "birth_year_from", "first_name"], kind="stable")
        cohorts = (
            fn[["birth_cohort", "birth_year_from", "birth_year_to"]]
            .drop_duplicates()
            .sort_values("birth_year_from")
        )
        c_from = cohorts["birth_year_from"].to_numpy(dtype=np.int64)
        c_to = cohorts["birth_year_to"].to_numpy(dtype=np.int64)
        if len(c_from) == 0 or np.any(c_from[1:] != c_to[:-1] + 1):
            raise ValueError(
                "int_names_first_weighted: birth cohorts must be contiguous year ranges; check "
                "seeds/assumptions/assumption_first_name_cohort_multipliers.csv (birth_year_from/_to)"
            )
        cohort_idx = {label: i for i, label in enumerate(cohorts["birth_cohort"])}
        first = {}
        for (eth, sex, cohort), grp in fn.groupby(["ethnicity", "sex", "birth_cohort"], sort=True):
            if eth not in ETHNICITIES or sex not in SEXES:
                raise ValueError(f"int_names_first_weighted: unknown ethnicity/sex {eth!r}/{sex!r}")
            key = (ETHNICITIES.index(eth), SEXES.index(sex), cohort_idx[cohort])
            first[key] = _table(grp["first_name"].to_numpy(dtype=object), grp["probability"].to_numpy())
        ln = last_names.sort_values(["ethnicity", "last_name_male", "last_name_female"], kind="stable")
        ln = ln.reset_index(drop=True)
        last = {}
        for eth, grp in ln.groupby("ethnicity", sort=True):
            if eth not in ETHNICITIES:
                raise ValueError(f"int_names_last_weighted: unknown ethnicity {eth!r}")
            last[ETHNICITIES.index(eth)] = _table(grp.index.to_numpy(), grp["probability"].to_numpy())
        return cls(
            cohort_from=c_from,
            cohort_to=c_to,
            cohort_labels=tuple(cohorts["birth_cohort"]),
            first=first,
            last=last,
            last_male=ln["last_name_male"].to_numpy(dtype=object),
            last_female=ln["last_name_female"].to_numpy(dtype=object),
        )

    def cohort_of(self, age: np.ndarray) -> np.ndarray:
        """Index of the birth cohort of each age; an age outside every cohort stops with the fix."""
        birth_year = CENSUS_YEAR - np.asarray(age, dtype=np.int64)
        idx = np.searchsorted(self.cohort_from, birth_year, side="right") - 1
        bad = (idx < 0) | (birth_year > self.cohort_to[np.clip(idx, 0, None)])
        if bad.any():
            year = int(birth_year[bad][0])
            raise ValueError(
                f"birth year {year} (age {CENSUS_YEAR - year}) is in no birth cohort of "
                "seeds/assumptions/assumption_first_name_cohort_multipliers.csv: extend the year ranges"
            )
        return idx


def draw_names(tables: NameTables, eth: np.ndarray, sex: np.ndarray, age: np.ndarray, rng) -> dict:
    """First name from (ethnicity, sex, birth cohort); surname from ethnicity in the form for the sex."""
    n = eth.size
    cohort = tables.cohort_of(age)
    n_c = tables.cohort_from.size
    first = np.empty(n, dtype=object)
    key = (eth * len(SEXES) + sex) * n_c + cohort
    for k in np.unique(key):
        rows = np.flatnonzero(key == k)
        e, s, c = int(k // (len(SEXES) * n_c)), int(k // n_c % len(SEXES)), int(k % n_c)
        table = tables.first.get((e, s, c))
        if table is None:
            raise ValueError(
                f"no first names for {ETHNICITIES[e]}/{SEXES[s]} born {tables.cohort_labels[c]}: add a blend "
                "row to seeds/assumptions/assumption_name_pool_blends.csv"
            )
        first[rows] = _draw(table, rows.size, rng)
    last_row = np.empty(n, dtype=np.int64)
    for e in np.unique(eth):
        rows = np.flatnonzero(eth == e)
        table = tables.last.get(int(e))
        if table is None:
            raise ValueError(
                f"no surnames for {ETHNICITIES[int(e)]}: add a blend row to "
                "seeds/assumptions/assumption_name_pool_blends.csv"
            )
        last_row[rows] = _draw(table, rows.size, rng)
    female = sex == SEXES.index("female")
    last = np.where(female, tables.last_female[last_row], tables.last_male[last_row])
    return {"first_name": first, "last_name": last}
