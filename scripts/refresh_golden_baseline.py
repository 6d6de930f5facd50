"""Refresh seeds/golden/golden_baseline.csv from the current rpt_golden_regression, on purpose.

    make golden-baseline
    # = dbt build --select +rpt_golden_regression (tests excluded) then this script, then dbt seed

Keeps each metric's tolerance, unit and description; only baseline_value changes. Prints old -> new.
"""

from __future__ import annotations

import argparse
import csv
import os
from pathlib import Path

import duckdb

SEED = Path(__file__).resolve().parents[1] / "seeds" / "golden" / "golden_baseline.csv"
FIELDS = ("metric", "unit", "baseline_value", "tolerance", "description")


def refresh(db: str, seed: Path = SEED) -> list[dict[str, str]]:
    with seed.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    con = duckdb.connect(db, read_only=True)
    current = dict(con.execute("select metric, current_value from rpt_golden_regression").fetchall())
    con.close()
    for row in rows:
        value = current.get(row["metric"])
        if value is None:
            raise SystemExit(f"rpt_golden_regression has no value for {row['metric']}; build it first")
        print(f"{row['metric']:<28} {float(row['baseline_value']):>10.4f} -> {value:.4f}")
        row["baseline_value"] = f"{value:.4f}"
    with seed.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default=os.environ.get("MOLDOVA_DUCKDB_PATH", "moldova_personas.duckdb"))
    parser.add_argument("--seed", type=Path, default=SEED)
    args = parser.parse_args()
    refresh(args.db, args.seed)
