"""Every benchmark of the project in one run, with the machine's details (`make bench`).

Each step runs in its own process; the wrapper reports its wall time and peak memory (max RSS of the
step's process tree, from getrusage of the children). The steps a user waits for run through `make` in a
fresh clone of HEAD under target/bench/clone (first and warm `make run`, `make tier TIER=tier_25k`, and
`make tier TIER=tier_100k` on a fresh database after `make run`), so commit before benchmarking a change.
Results go to stdout; copy them to BENCHMARKS.md and README.md with the command and date.
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
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


def step(
    title: str,
    argv: list[str],
    env: dict | None = None,
    cwd: Path = ROOT,
    keep: Callable[[str], bool] | None = None,
) -> list[str]:
    """Run one benchmark in its own process; print its output (the lines `keep` selects, all by default),
    wall time and peak RSS; return its output lines (stdout and stderr)."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter(); rc = subprocess.run(sys.argv[1:]).returncode\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(f'@@ {time.perf_counter() - t:.1f} {peak:.0f} {rc}')\n"
    )
    print(f"\n## {title}\n$ {' '.join(argv)}", flush=True)
    proc = subprocess.run(
        [PY, "-c", wrapper, *argv],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
    )
    lines = proc.stdout.splitlines()
    for line in lines + proc.stderr.splitlines():
        if not line.startswith("@@ ") and (keep is None or keep(line)):
            print("   ", line)
    wall, peak, rc = lines[-1].split()[1:] if lines and lines[-1].startswith("@@ ") else ("?", "?", "?")
    print(f"-> wall {wall} s ({_minutes(wall)}), peak RSS {peak} MiB, exit {rc}", flush=True)
    if proc.stderr and rc != "0" and keep is None:
        print(proc.stderr[-2000:])
    return lines + proc.stderr.splitlines()


def _minutes(wall: str) -> str:
    try:
        seconds = float(wall)
    except ValueError:
        return "?"
    return f"{int(seconds // 60)} min {seconds % 60:.0f} s"


# Lines of `make` output worth printing: the narration summary and dbt's closing tally, and errors.
NARRATED = re.compile(r"\] narrated (\d+)/\d+ personas in \S+ = ([\d.]+)/s")


def _make_lines(line: str) -> bool:
    return bool(NARRATED.search(line)) or "Done. PASS=" in line or "ERROR" in line or "Error" in line


def _rate(lines: list[str]) -> float | None:
    """personas/s of the largest narration a build ran (its summary line)."""
    found = [(int(m[1]), float(m[2])) for m in map(NARRATED.search, lines) if m]
    return max(found)[1] if found else None


def _standalone_rate(lines: list[str]) -> float | None:
    m = next((re.search(r"= ([\d,.]+) personas/s", line) for line in lines if "personas/s" in line), None)
    return float(m[1].replace(",", "")) if m else None


def end_to_end(standalone: float | None) -> None:
    """What a user waits for, through make in a fresh clone of this checkout's HEAD: the first `make run`
    (venv and install included; pip's download cache as this machine has it), a second one (warm), then
    `make tier TIER=tier_25k`; and `make tier TIER=tier_100k` on a fresh database after `make run`."""
    clone = BENCH_DIR / "clone"
    subprocess.run(["rm", "-rf", str(clone)], check=True)
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    head = subprocess.run(
        ["git", "-C", str(clone), "log", "-1", "--format=%h %s"], capture_output=True, text=True
    )
    print(f"\nfresh clone of HEAD ({head.stdout.strip()[:80]}) in {clone}", flush=True)
    make = ["make", "--no-print-directory"]
    env = {"MAKEFLAGS": ""}
    step(
        "make run, first time in a fresh clone (creates .venv, installs, builds tier_1k)",
        [*make, "run"],
        env,
        clone,
        _make_lines,
    )
    step("make run again (warm: installed, database built)", [*make, "run"], env, clone, _make_lines)
    out = step(
        "make tier TIER=tier_25k after make run", [*make, "tier", "TIER=tier_25k"], env, clone, _make_lines
    )
    inside = _rate(out)
    if inside and standalone:
        print(
            f"-> narration inside dbt build {inside:.1f}/s = {100 * inside / standalone:.0f} % of the "
            f"standalone {standalone:.1f}/s"
        )
    fresh = clone / "target" / "bench_100k"
    env100 = {
        **env,
        "MOLDOVA_DUCKDB_PATH": str(fresh / "moldova_personas.duckdb"),
        "MOLDOVA_LLM_STATE_DIR": str(fresh / "state"),
        "MOLDOVA_EXPORT_ROOT": str(fresh / "releases"),
    }
    step("make run on a fresh database (for the 100K release)", [*make, "run"], env100, clone, _make_lines)
    step(
        "make tier TIER=tier_100k after make run (a full 100K offline release)",
        [*make, "tier", "TIER=tier_100k"],
        env100,
        clone,
        _make_lines,
    )


def main() -> None:
    print(f"# moldova-personas benchmarks\nmachine: {machine()}\nload average: {os.getloadavg()}")
    step("1M cores (joint fit included)", [PY, "bench/bench_cores.py"])
    out = step("offline narration of 25K cores", [PY, "bench/bench_narrate_tier.py", "--tier", "tier_25k"])
    step("quality marts on 100K personas", [PY, "bench/bench_quality.py", "--n", "100000"])
    end_to_end(_standalone_rate(out))
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
