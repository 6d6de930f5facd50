"""Offline narration of a whole tier's cores (default 25K), outside dbt: personas/s and peak memory.

Usage: .venv/bin/python bench/bench_narrate_tier.py [--tier tier_25k]
Needs the census model built into target/bench/bench.duckdb (bench/bench_cores.py does it).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import duckdb

from _sampling import sample
from moldova_personas.narration.runtime import narrate_cores

ROOT = Path(__file__).resolve().parents[1]
DB = ROOT / "target" / "bench" / "bench.duckdb"
# sampler input -> relation the tier models read it from
REFS = {
    "names_first": "int_names_first_weighted",
    "names_last": "int_names_last_weighted",
    "occupation_titles": "int_occupation_titles_weighted",
    "assumption_big_five_params": "stg_reference__assumption_big_five_params",
    "assumption_life_course_rules": "stg_assumptions__assumption_life_course_rules",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tier", default="tier_25k")
    args = parser.parse_args()
    con = duckdb.connect(str(DB), read_only=True)
    census = tuple(
        con.execute(f"select * from {t}").to_arrow_table()
        for t in ("int_census_joint_cells", "int_census_conditionals")
    )
    refs = {n: con.execute(f"select * from {relation}").df() for n, relation in REFS.items()}
    anchors = con.execute("select * from stg_narration__anchors").to_arrow_table()
    constraints = con.execute("select * from stg_narration__constraints").to_arrow_table()
    con.close()
    table = sample(census, refs, args.tier)
    with tempfile.TemporaryDirectory() as tmp:
        settings = {"narration": {"seed": 42, "state_dir": f"{tmp}/state", "log_dir": f"{tmp}/logs"}}
        start = time.perf_counter()
        out = narrate_cores(table, settings, anchors, constraints, set())
        seconds = time.perf_counter() - start
    ok = sum(1 for s in out["status"].to_pylist() if s == "ok")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"offline narration of {args.tier}: {out.num_rows:,} personas ({ok:,} ok) in {seconds:.1f} s "
        f"= {out.num_rows / seconds:,.1f} personas/s; peak RSS {peak:,.0f} MiB (main process)"
    )


if __name__ == "__main__":
    main()
