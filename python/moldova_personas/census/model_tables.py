"""The fitted census model as relational tables, and back.

`FittedModel` holds numpy arrays indexed by the code tuples of schema.py; analysts and dbt tests read
the same numbers as tables:

* joint cells: one row per locality x sex x age band x ethnicity with its fitted adult count (stage A)
  and the locality's attributes;
* conditionals: every conditional table of stage B in long format: distribution name, the
  conditioning keys as named columns (null where a key does not condition that distribution), the
  category and its probability;
* targets and the raking report, as the fit computed them.

`model_from_tables` rebuilds the arrays from the first two, cell by cell (float64 throughout, so the
sampler draws exactly what it would draw from the fitted arrays), and says which cell is missing or
repeated when a table is incomplete.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from moldova_personas import schema
from moldova_personas.census.fit import AGES, AREAS, ISCO_MAJORS, FittedModel

# Conditioning keys: the named columns of the conditionals table and the codes along each axis (the raions
# are the model's own, FittedModel.raions, sorted names of the raions in the localities).
KEYS = {
    "raion": (),
    "sex": schema.SEXES,
    "age_group": schema.AGE_GROUPS,
    "residence_type": AREAS,
    "ethnicity": schema.ETHNICITIES,
    "education_level": schema.EDUCATION_LEVELS,
}
LOCALITY_COLUMNS = ("locality_code", "locality", "raion", "region", "residence_type")
JOINT_AXES = ("sex", "age_group", "ethnicity")  # after the locality axis


@dataclass(frozen=True)
class Conditional:
    """One stage-B table of FittedModel: its array field, the keys along its leading axes (in axis
    order) and the codes of its last axis."""

    field: str
    attribute: str
    keys: tuple[str, ...]
    categories: tuple[str, ...]

    @property
    def distribution(self) -> str:
        return f"{self.attribute}_given_{'_'.join(self.keys)}"


CONDITIONALS = (
    Conditional("single_age_given_band_sex", "age", ("sex", "age_group"), tuple(str(a) for a in AGES)),
    Conditional("mother_tongue_given_eth", "mother_tongue", ("ethnicity",), schema.MOTHER_TONGUES),
    Conditional("religion_given_raion_eth", "religion", ("raion", "ethnicity"), schema.RELIGIONS),
    Conditional("marital_given_band_sex", "marital_status", ("age_group", "sex"), schema.MARITAL_STATUSES),
    Conditional(
        "education_given_raion_band_sex_area",
        "education_level",
        ("raion", "age_group", "sex", "residence_type"),
        schema.EDUCATION_LEVELS,
    ),
    Conditional(
        "employment_given_band_sex_area_edu",
        "employment_status",
        ("age_group", "sex", "residence_type", "education_level"),
        schema.EMPLOYMENT_STATUSES,
    ),
    Conditional(
        "isco_given_sex_edu_area",
        "isco_major",
        ("sex", "education_level", "residence_type"),
        tuple(str(i) for i in ISCO_MAJORS),
    ),
)

JOINT_SCHEMA = pa.schema(
    [
        ("locality_index", pa.int64()),
        *[(name, pa.string()) for name in LOCALITY_COLUMNS],
        ("locality_adult_population", pa.float64()),
        *[(name, pa.string()) for name in JOINT_AXES],
        ("adult_weight", pa.float64()),
    ]
)
CONDITIONALS_SCHEMA = pa.schema(
    [
        ("distribution", pa.string()),
        ("attribute", pa.string()),
        *[(name, pa.string()) for name in KEYS],
        ("category", pa.string()),
        ("probability", pa.float64()),
    ]
)
RAKING_SCHEMA = pa.schema(
    [("margin", pa.string()), ("max_relative_deviation", pa.float64()), ("raking_passes", pa.int64())]
)


# -- model -> tables ----------------------------------------------------------------------------------


def joint_cells_table(model: FittedModel) -> pa.Table:
    """One row per locality x sex x age band x ethnicity: the stage-A adult count and the locality."""
    n_loc = len(model.localities)
    shape = model.stage_a.shape
    loc, sex, band, eth = (axis.ravel() for axis in np.indices(shape))
    localities = model.localities.reset_index(drop=True)
    columns = {"locality_index": pa.array(loc, pa.int64())}
    for name in LOCALITY_COLUMNS:
        columns[name] = pa.array(localities[name].astype(str).to_numpy(dtype=object)[loc], pa.string())
    adults = localities["adult_population"].to_numpy(dtype=float)
    columns["locality_adult_population"] = pa.array(adults[loc], pa.float64())
    for name, codes in zip(JOINT_AXES, (sex, band, eth), strict=True):
        columns[name] = pa.array(np.asarray(KEYS[name], dtype=object)[codes], pa.string())
    columns["adult_weight"] = pa.array(model.stage_a.ravel(), pa.float64())
    if len(loc) != n_loc * len(schema.SEXES) * len(schema.AGE_GROUPS) * len(schema.ETHNICITIES):
        raise ValueError(f"stage A has shape {shape}, expected (localities, sexes, age bands, ethnicities)")
    return pa.table(columns, schema=JOINT_SCHEMA)


def conditionals_table(model: FittedModel) -> pa.Table:
    """Every stage-B conditional table in long format (one row per condition x category)."""
    keys = {**KEYS, "raion": tuple(model.raions)}
    parts = []
    for spec in CONDITIONALS:
        array = getattr(model, spec.field)
        expected = tuple(len(keys[k]) for k in spec.keys) + (len(spec.categories),)
        if array.shape != expected:
            raise ValueError(f"{spec.field} has shape {array.shape}, expected {expected}")
        index = [axis.ravel() for axis in np.indices(array.shape)]
        n = array.size
        columns = {
            "distribution": pa.array([spec.distribution] * n, pa.string()),
            "attribute": pa.array([spec.attribute] * n, pa.string()),
        }
        for key in keys:
            if key in spec.keys:
                codes = index[spec.keys.index(key)]
                columns[key] = pa.array(np.asarray(keys[key], dtype=object)[codes], pa.string())
            else:
                columns[key] = pa.nulls(n, pa.string())
        columns["category"] = pa.array(np.asarray(spec.categories, dtype=object)[index[-1]], pa.string())
        columns["probability"] = pa.array(array.ravel(), pa.float64())
        parts.append(pa.table(columns, schema=CONDITIONALS_SCHEMA))
    return pa.concat_tables(parts)


def targets_table(model: FittedModel) -> pa.Table:
    """The adult-universe targets the fit mart tests every tier against."""
    return pa.Table.from_pandas(model.targets, preserve_index=False)


def raking_table(model: FittedModel) -> pa.Table:
    """Each stage-A margin's relative deviation after the last raking pass, in raking order."""
    report = dict(model.fit_report)
    passes = int(report.pop("iterations"))
    rows = [
        {"margin": name, "max_relative_deviation": float(value), "raking_passes": passes}
        for name, value in report.items()
    ]
    return pa.Table.from_pylist(rows, schema=RAKING_SCHEMA)


# -- tables -> model ----------------------------------------------------------------------------------


def _codes(values: pa.ChunkedArray | pa.Array, vocabulary: tuple[str, ...], table: str, column: str):
    """Positions of `values` in `vocabulary`; an unknown value names the table, column and the codes."""
    codes = pd.Categorical(values.to_numpy(zero_copy_only=False), categories=list(vocabulary)).codes
    if (codes < 0).any():
        value = values[int(np.argmax(codes < 0))].as_py()
        raise ValueError(f"{table}.{column}: unknown code {value!r} (expected one of {list(vocabulary)})")
    return codes.astype(np.int64)


def _fill(shape: tuple[int, ...], index: tuple[np.ndarray, ...], values: np.ndarray, what: str) -> np.ndarray:
    """The dense array with `values` at `index`; every cell exactly once, or an error naming a bad one."""
    out = np.zeros(shape, dtype=np.float64)
    seen = np.zeros(shape, dtype=np.int64)
    np.add.at(seen, index, 1)
    if (seen != 1).any():
        cell = tuple(int(i) for i in np.argwhere(seen != 1)[0])
        state = "missing" if seen[cell] == 0 else "repeated"
        raise ValueError(
            f"{what}: cell {cell} is {state}; rebuild it with `dbt build --select +int_census_model+`"
        )
    out[index] = values
    return out


def model_from_tables(joint_cells: pa.Table, conditionals: pa.Table) -> FittedModel:
    """The FittedModel the sampler needs, rebuilt from the joint cells and conditionals tables.

    Targets and the raking report are not needed to sample and are left empty."""
    loc_index = joint_cells.column("locality_index").to_numpy()
    n_loc = int(loc_index.max()) + 1 if len(loc_index) else 0
    first = np.unique(loc_index, return_index=True)[1]
    localities = pd.DataFrame(
        {name: joint_cells.column(name).to_numpy(zero_copy_only=False)[first] for name in LOCALITY_COLUMNS}
    )
    localities["adult_population"] = joint_cells.column("locality_adult_population").to_numpy()[first]
    if len(localities) != n_loc:
        raise ValueError(f"int_census_joint_cells: locality_index is not 0..{n_loc - 1} without gaps")
    raions = sorted(localities["raion"].unique())
    localities["region_idx"] = _codes(
        pa.array(localities["region"]), schema.REGIONS, "int_census_joint_cells", "region"
    )
    localities["raion_idx"] = localities["raion"].map({r: i for i, r in enumerate(raions)}).astype(np.int64)
    localities["area_idx"] = _codes(
        pa.array(localities["residence_type"]), AREAS, "int_census_joint_cells", "residence_type"
    )
    index = (loc_index,) + tuple(
        _codes(joint_cells.column(name), KEYS[name], "int_census_joint_cells", name) for name in JOINT_AXES
    )
    shape = (n_loc, len(schema.SEXES), len(schema.AGE_GROUPS), len(schema.ETHNICITIES))
    weights = joint_cells.column("adult_weight").to_numpy()
    arrays = {"stage_a": _fill(shape, index, weights, "int_census_joint_cells")}
    keys = {**KEYS, "raion": tuple(raions)}
    distribution = conditionals.column("distribution").to_numpy(zero_copy_only=False)
    for spec in CONDITIONALS:
        rows = conditionals.filter(pa.array(distribution == spec.distribution))
        what = f"int_census_conditionals ({spec.distribution})"
        index = tuple(_codes(rows.column(k), keys[k], "int_census_conditionals", k) for k in spec.keys)
        index += (_codes(rows.column("category"), spec.categories, "int_census_conditionals", "category"),)
        shape = tuple(len(keys[k]) for k in spec.keys) + (len(spec.categories),)
        arrays[spec.field] = _fill(shape, index, rows.column("probability").to_numpy(), what)
    return FittedModel(
        localities=localities,
        raions=raions,
        targets=pd.DataFrame(),
        fit_report={},
        **arrays,
    )
