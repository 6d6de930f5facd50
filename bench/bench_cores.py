"""Benchmark: fit the census model and sample the 1M tier's cores; also the same through dbt.

Usage: `make bench` (or `.venv/bin/python bench/bench_cores.py`). Builds the census inputs into its own
DuckDB file (target/bench/bench.duckdb) first, then times, in one process:
  1. the joint fit (IPF + conditional tables) from the staging relations,
  2. sampling 1,000,000 cores (balanced nested blocks, names, occupations, Big Five, UUIDs),
and then the same through dbt for tier_1m (int_census_model, its joint cells and conditionals, tier_1m:
fit + model tables + sample + write to DuckDB).
Prints machine details, wall times, rows per second and peak memory (RSS).
"""

from __future__ import annotations

import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB = ROOT / "target" / "bench" / "bench.duckdb"
N = 1_000_000


def machine() -> str:
    cpu = "unknown cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    python = platform.python_version()
    return f"{platform.node()} | {cpu} | {os.cpu_count()} cores | {mem:.1f} GiB | Python {python}"


def dbt(*args: str) -> float:
    env = dict(os.environ, MOLDOVA_DUCKDB_PATH=str(DB), DBT_PROFILES_DIR=str(ROOT))
    start = time.perf_counter()
    subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), *args, "--target-path", "target/bench/target", "--quiet"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return time.perf_counter() - start


def main() -> None:
    import duckdb
    import pyarrow as pa

    from _sampling import sample
    from moldova_personas import dbt_models
    from moldova_personas.census.inputs import INPUT_RELATIONS

    print(f"machine: {machine()}")
    DB.parent.mkdir(parents=True, exist_ok=True)
    prep = dbt(
        "build",
        "--select",
        "+int_census_model",
        "+path:models/staging/reference",
        "+path:models/staging/narration",
        "+int_names_first_weighted",
        "+int_names_last_weighted",
        "+int_occupation_titles_weighted",
        "+stg_assumptions__assumption_life_course_rules",
        "--exclude",
        "int_census_model",
        "--indirect-selection",
        "cautious",
    )
    print(f"setup (seeds + staging, not timed below): {prep:.1f} s")
    con = duckdb.connect(str(DB), read_only=True)
    frames = {name: con.execute(f"select * from main.{rel}").df() for name, rel in INPUT_RELATIONS.items()}
    refs = {
        name: con.execute(f"select * from main.{relation}").df()
        for name, relation in (
            ("names_first", "int_names_first_weighted"),
            ("names_last", "int_names_last_weighted"),
            ("occupation_titles", "int_occupation_titles_weighted"),
            ("assumption_big_five_params", "stg_reference__assumption_big_five_params"),
            ("assumption_life_course_rules", "stg_assumptions__assumption_life_course_rules"),
        )
    }
    con.close()

    start = time.perf_counter()
    model_row = dbt_models.int_census_model(frames)  # the fit and its tables, as int_census_model stores them
    fit_s = time.perf_counter() - start
    census = tuple(  # what int_census_joint_cells and int_census_conditionals unnest
        pa.Table.from_struct_array(model_row[part].combine_chunks().values)
        for part in ("joint_cells", "conditionals")
    )
    start = time.perf_counter()
    table = sample(census, refs, "tier_1m")
    sample_s = time.perf_counter() - start
    assert table.num_rows == N
    total = fit_s + sample_s
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"joint fit + tables:   {fit_s:6.2f} s")
    print(f"sample 1M cores:      {sample_s:6.2f} s  ({N / sample_s:,.0f} rows/s)")
    print(f"1M cores incl. fit:   {total:6.2f} s  ({N / total:,.0f} rows/s)  target <= 10 s")
    print(f"peak RSS (in-process): {peak:,.0f} MiB")
    via_dbt = dbt(
        "run", "--select", "int_census_model", "int_census_joint_cells", "int_census_conditionals", "tier_1m"
    )
    print(f"dbt run int_census_model, its tables and tier_1m (fit, sample, write to DuckDB): {via_dbt:.1f} s")


if __name__ == "__main__":
    main()
