"""The golden set: 200 fixed cores for the golden regression (rpt_golden_regression).

40 per region, 50 per age group and 50 per occupation type, drawn from a pool sampled with
GOLDEN_SEED (not the `seed` var), so the set is the same for every run and seed.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from moldova_personas.census.fit import FittedModel
from moldova_personas.census.sampler import CoreSampler, Reference
from moldova_personas.schema import REGIONS

GOLDEN_SEED = 20240408  # census reference day; fixed so the golden set never moves with `seed`
GOLDEN_DESIGN = {
    # age group x occupation type -> count; margins 50 each way (retired only at 46+).
    ("18-30", "professional"): 15,
    ("18-30", "service"): 18,
    ("18-30", "manual"): 17,
    ("31-45", "professional"): 17,
    ("31-45", "service"): 16,
    ("31-45", "manual"): 17,
    ("46-60", "professional"): 13,
    ("46-60", "service"): 12,
    ("46-60", "manual"): 15,
    ("46-60", "retired"): 10,
    ("60+", "professional"): 5,
    ("60+", "service"): 4,
    ("60+", "manual"): 1,
    ("60+", "retired"): 40,
}


def golden_age_group(age: int) -> str:
    return "18-30" if age <= 30 else "31-45" if age <= 45 else "46-60" if age <= 60 else "60+"


def golden_cores(
    model: FittedModel, reference: Reference, block_ends: tuple[int, ...], pool_size: int = 40_000
) -> pa.Table:
    """200 fixed cores: regions are spread over the design cells round-robin; within a cell the first
    pool rows that match are taken. `block_ends`: the tier sizes (the sampler's blocks)."""
    pool = CoreSampler(model, reference, GOLDEN_SEED, block_ends).sample(pool_size).to_pandas()
    pool["golden_age_group"] = pool["age"].map(golden_age_group)
    picks, k = [], 0
    for (age_group, occ_type), count in GOLDEN_DESIGN.items():
        cell = pool[(pool["golden_age_group"] == age_group) & (pool["occupation_type"] == occ_type)]
        for _ in range(count):
            region = REGIONS[k % len(REGIONS)]
            k += 1
            match = cell[(cell["region"] == region) & ~cell.index.isin(picks)]
            if match.empty:
                raise ValueError(
                    f"golden pool has no {age_group}/{occ_type} core in {region}: raise pool_size"
                )
            picks.append(match.index[0])
    golden = pool.loc[picks].reset_index(drop=True)
    golden.insert(0, "golden_index", np.arange(len(golden)))
    return pa.Table.from_pandas(golden, preserve_index=False)
