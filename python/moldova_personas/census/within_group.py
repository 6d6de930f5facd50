"""Within-group fit: the largest deviation of a share inside its group, on the scale a reader sees.

`max_abs_deviation_pp` in rpt_census_fit is in pp of the whole tier, so the Gagauz share inside UTA
Găgăuzia can be 5 pp off at 1K and read 0.2 pp. This module reports, per tier and census table, the
cell with the largest |observed share - census share| inside its group (pp of the group), with the
group and its size. Only groups of at least `min_group_size` personas count: in a group of n one person
moves a share by 100/n pp, so a 30-person group cannot sit within 1 pp whatever the sampler does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

COLUMNS = (
    "max_within_group_deviation_pp",
    "within_group_deviation_group",
    "within_group_deviation_category",
    "within_group_size",
    "n_groups_gated",
    "n_groups_below_min_size",
)


def within_group_summary(cells: pd.DataFrame, min_group_size: int) -> pd.DataFrame:
    """One row per tier x census table: the worst within-group cell among groups >= min_group_size.

    `cells` is fct_census_fit_cells. Tables whose groups are all smaller than the minimum get nulls
    for the deviation (nothing gated) and say how many groups were left out.
    """
    if min_group_size < 1:
        raise ValueError(f"within_group_min_size must be a positive person count, got {min_group_size}")
    rows = []
    for (tier, table), block in cells.groupby(["tier", "census_table"], sort=True):
        sizes = block.groupby("group_value")["group_size"].first()
        gated = block[block["group_size"] >= min_group_size].dropna(subset=["within_group_deviation_pp"])
        row = {
            "tier": tier,
            "census_table": table,
            "n_groups_gated": int((sizes >= min_group_size).sum()),
            "n_groups_below_min_size": int((sizes < min_group_size).sum()),
        }
        if len(gated):
            worst = gated.loc[gated["within_group_deviation_pp"].abs().idxmax()]
            row.update(
                max_within_group_deviation_pp=float(abs(worst["within_group_deviation_pp"])),
                within_group_deviation_group=str(worst["group_value"]),
                within_group_deviation_category=str(worst["category"]),
                within_group_size=int(worst["group_size"]),
            )
        else:
            row.update(
                max_within_group_deviation_pp=None,
                within_group_deviation_group=None,
                within_group_deviation_category=None,
                within_group_size=None,
            )
        rows.append(row)
    return pd.DataFrame(rows, columns=["tier", "census_table", *COLUMNS])


def with_within_group(
    summary: pd.DataFrame, cells: pd.DataFrame, settings: Mapping[str, Any]
) -> pd.DataFrame:
    """rpt_census_fit plus the within-group columns and gate. `settings` (the model's yml meta
    `within_group`): min_size (persons), threshold_pp, from_tier_size (smallest tier gated)."""
    worst = within_group_summary(cells, int(settings["min_size"]))
    out = summary.merge(worst, on=["tier", "census_table"], how="left")
    gated = out["tier_size"] >= int(settings["from_tier_size"])
    out["within_group_threshold_pp"] = np.where(gated, float(settings["threshold_pp"]), np.nan)
    out["is_within_group_tolerance"] = ~gated | (
        out["max_within_group_deviation_pp"].fillna(0.0) <= out["within_group_threshold_pp"]
    )
    return out
