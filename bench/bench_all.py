"""Every benchmark of the project in one run, with the machine's details (`make bench`).

Each step runs in its own process; the wrapper reports its wall time and peak memory (max RSS of the
step's process tree, from getrusage of the children). Results go to stdout; copy them to BENCHMARKS.md
with the command and date.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
DBT = str(Path(PY).parent / "dbt")
BENCH_DIR = ROOT / "target" / "bench"


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    python = platform.python_version()
    return f"{cpu}; {os.cpu_count()} cores; {mem:.1f} GiB RAM; {platform.platform()}; Python {python}"


def step(title: str, argv: list[str], env: dict | None = None) -> None:
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter(); rc = subprocess.run(sys.argv[1:]).returncode\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(f'@@ {time.perf_counter() - t:.1f} {peak:.0f} {rc}')\n"
    )
    print(f"\n## {title}\n$ {' '.join(argv)}", flush=True)
    proc = subprocess.run(
        [PY, "-c", wrapper, *argv],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
    )
    lines = proc.stdout.splitlines()
    for line in lines:
        if not line.startswith("@@ "):
            print("   ", line)
    wall, peak, rc = lines[-1].split()[1:] if lines and lines[-1].startswith("@@ ") else ("?", "?", "?")
    print(f"-> wall {wall} s, peak RSS {peak} MiB, exit {rc}", flush=True)
    if proc.stderr and rc != "0":
        print(proc.stderr[-2000:])


def main() -> None:
    print(f"# moldova-personas benchmarks\nmachine: {machine()}\nload average: {os.getloadavg()}")
    step("1M cores (joint fit included)", [PY, "bench/bench_cores.py"])
    step("offline narration of 25K cores", [PY, "bench/bench_narrate_tier.py", "--tier", "tier_25k"])
    step("quality marts on 100K personas", [PY, "bench/bench_quality.py", "--n", "100000"])
    db = BENCH_DIR / "e2e" / "db.duckdb"
    env = {
        "MOLDOVA_DUCKDB_PATH": str(db),
        "MOLDOVA_LLM_STATE_DIR": str(db.parent / "state"),
        "MOLDOVA_EXPORT_ROOT": str(db.parent / "releases"),
        "DBT_PROFILES_DIR": str(ROOT),
    }
    subprocess.run(["rm", "-rf", str(db.parent)], check=True)
    db.parent.mkdir(parents=True)
    common = [
        "--target-path",
        str(db.parent / "target"),
        "--log-path",
        str(db.parent / "logs"),
        "--vars",
        f"{{seed: 42, generation_log_dir: {db.parent / 'gen_logs'}}}",
        "--quiet",
    ]
    step(
        "full 25K tier build end to end (fresh database: +tier_25k+)",
        [DBT, "build", "--select", "+tier_25k+", *common],
        env,
    )
    for concurrency in (16, 64, 256):
        step(
            f"litellm narration vs local fake server, 1 s latency, concurrency {concurrency}",
            [
                PY,
                "bench/bench_narration.py",
                "--skip-offline",
                "--concurrency",
                str(concurrency),
                "--calls",
                str(concurrency * 30),  # 30 s of ideal work: start-up and the last wave stay small
            ],
        )
    step("kill -9 a 25K narration midway, re-run (fake server)", [PY, "bench/bench_crash_resume.py"])
    step("real local model (Gemma 3 270M, llama-cpp-python): tokens/s", [PY, "bench/bench_realmodel.py"])
    step(
        "narration on Ray, 1 vs 2 workers, local fake server 1 s per call (needs pip install '.[ray]')",
        [PY, "bench/bench_ray.py"],
    )
    print(f"\nload average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
