"""What the benchmarks share to sample a tier outside dbt: the reference tables and the project's tiers."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import yaml

from moldova_personas import dbt_models
from moldova_personas.census.sampler import Reference

ROOT = Path(__file__).resolve().parents[1]


def sample(census: tuple, refs: dict, tier: str, seed: int = 42) -> pa.Table:
    """The cores of `tier` (var tiers of dbt_project.yml) from the census tables and reference frames."""
    reference = Reference(
        refs["names_first"],
        refs["names_last"],
        refs["occupation_titles"],
        refs["assumption_big_five_params"],
        refs["assumption_life_course_rules"],
    )
    tiers = yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]["tiers"]
    return dbt_models.sample_tier(census, reference, tier, seed, tiers)
