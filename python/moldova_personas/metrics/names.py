"""How varied the persona names are: distinct names per tier and the most repeated ones, overall and per
ethnicity (a reader notices 'Maria Topal' twice long before any aggregate gate does)."""

from __future__ import annotations

import pandas as pd

NAME_COLUMNS = ("ethnicity", "sex", "first_name", "last_name")


def _row(tier: str, ethnicity: str, cores: pd.DataFrame) -> dict:
    full = cores["first_name"] + " " + cores["last_name"]
    n = len(cores)
    full_counts = full.value_counts(sort=True)
    last_counts = cores["last_name"].value_counts(sort=True)
    first_counts = cores["first_name"].value_counts(sort=True)
    # ties broken alphabetically so the report is the same on every run
    top_full = min(full_counts[full_counts == full_counts.iloc[0]].index)
    # a surname's share is read within one sex, so Ivanov and Ivanova are not split in two
    by_sex = [
        (g["last_name"].value_counts(sort=True), len(g)) for _, g in cores.groupby("sex", sort=True) if len(g)
    ]
    last_share, top_last = max(
        ((c.iloc[0] / size, min(c[c == c.iloc[0]].index)) for c, size in by_sex), key=lambda t: (t[0], t[1])
    )
    top_first = min(first_counts[first_counts == first_counts.iloc[0]].index)
    return {
        "tier": tier,
        "ethnicity": ethnicity,
        "n_personas": n,
        "distinct_first_names": int(first_counts.size),
        "distinct_last_names": int(last_counts.size),
        "distinct_full_names": int(full_counts.size),
        "distinct_full_name_rate": full_counts.size / n,
        "top_full_name": top_full,
        "top_full_name_count": int(full_counts.iloc[0]),
        "top_full_name_share": full_counts.iloc[0] / n,
        "top_first_name": top_first,
        "top_first_name_share": first_counts.iloc[0] / n,
        "top_last_name": top_last,
        "top_last_name_share": last_share,
    }


def name_diversity(tiers: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per tier x ethnicity, plus ethnicity 'all' for the whole tier."""
    rows = []
    for tier, cores in tiers.items():
        if cores.empty:
            continue
        rows.append(_row(tier, "all", cores))
        for ethnicity, group in cores.groupby("ethnicity", sort=True):
            rows.append(_row(tier, str(ethnicity), group))
    return pd.DataFrame(rows)
