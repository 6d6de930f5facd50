"""Every benchmark of the project in one run, with the machine's details (`make bench`).

Each step runs in its own process; the wrapper reports its wall time and peak memory (max RSS of the
step's process tree, from getrusage of the children). The steps a user waits for run through `make` in a
fresh clone of HEAD under target/bench/clone (first and warm `make run`, `make tier TIER=tier_25k`, and
`make tier TIER=tier_100k` on a fresh database after `make run`), so commit before benchmarking a change.
Results go to stdout; copy them to BENCHMARKS.md and README.md with the command and date.
"""

from __future__ import annotations

import argparse
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
    output = lines + proc.stderr.splitlines()
    for line in output:
        if not line.startswith("@@ ") and (keep is None or keep(line)):
            print("   ", line)
    wall, peak, rc = lines[-1].split()[1:] if lines and lines[-1].startswith("@@ ") else ("?", "?", "?")
    print(f"-> wall {wall} s ({_minutes(wall)}), peak RSS {peak} MiB, exit {rc}", flush=True)
    if proc.stderr and rc != "0" and keep is None:
        print(proc.stderr[-2000:])
    return output


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


_STATE: dict[str, object] = {}
MAKE = ["make", "--no-print-directory"]
MAKE_ENV = {"MAKEFLAGS": ""}


def _clone() -> Path:
    """A fresh clone of HEAD under target/bench/clone (made once per run of this script)."""
    clone = BENCH_DIR / "clone"
    if not _STATE.get("cloned"):
        subprocess.run(["rm", "-rf", str(clone)], check=True)
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        head = subprocess.run(
            ["git", "-C", str(clone), "log", "-1", "--format=%h %s"], capture_output=True, text=True
        )
        print(f"\nfresh clone of HEAD ({head.stdout.strip()[:80]}) in {clone}", flush=True)
        _STATE["cloned"] = True
    return clone


def cores() -> None:
    step("1M cores (joint fit included)", [PY, "bench/bench_cores.py"])


def narration() -> None:
    out = step("offline narration of 25K cores", [PY, "bench/bench_narrate_tier.py", "--tier", "tier_25k"])
    _STATE["standalone"] = _standalone_rate(out)


def quality() -> None:
    step("quality marts on 100K personas", [PY, "bench/bench_quality.py", "--n", "100000"])


def builds() -> None:
    """What a user waits for, through make in a fresh clone of HEAD: the first `make run` (venv and
    install included; pip's download cache as this machine has it), a second one (warm), then
    `make tier TIER=tier_25k`, with its narration rate against the standalone one."""
    clone = _clone()
    title = "make run, first time in a fresh clone (creates .venv, installs, builds tier_1k)"
    step(title, [*MAKE, "run"], MAKE_ENV, clone, _make_lines)
    step("make run again (warm: installed, database built)", [*MAKE, "run"], MAKE_ENV, clone, _make_lines)
    out = step(
        "make tier TIER=tier_25k after make run",
        [*MAKE, "tier", "TIER=tier_25k"],
        MAKE_ENV,
        clone,
        _make_lines,
    )
    inside, standalone = _rate(out), _STATE.get("standalone")
    if inside and isinstance(standalone, float):
        print(
            f"-> narration inside dbt build {inside:.1f}/s = {100 * inside / standalone:.0f} % of the "
            f"standalone {standalone:.1f}/s"
        )


def release_100k() -> None:
    """`make tier TIER=tier_100k` on a fresh database after `make run` (a full 100K offline release)."""
    clone = _clone()
    fresh = clone / "target" / "bench_100k"
    subprocess.run(["rm", "-rf", str(fresh)], check=True)
    env = {
        **MAKE_ENV,
        "MOLDOVA_DUCKDB_PATH": str(fresh / "moldova_personas.duckdb"),
        "MOLDOVA_LLM_STATE_DIR": str(fresh / "state"),
        "MOLDOVA_EXPORT_ROOT": str(fresh / "releases"),
    }
    step("make run on a fresh database (for the 100K release)", [*MAKE, "run"], env, clone, _make_lines)
    title = "make tier TIER=tier_100k after make run (a full 100K offline release)"
    step(title, [*MAKE, "tier", "TIER=tier_100k"], env, clone, _make_lines)


def llm_client() -> None:
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


def crash() -> None:
    step("kill -9 a 25K narration midway, re-run (fake server)", [PY, "bench/bench_crash_resume.py"])


def realmodel() -> None:
    step("real local model (Gemma 3 270M, llama-cpp-python): tokens/s", [PY, "bench/bench_realmodel.py"])


def ray() -> None:
    step(
        "narration on Ray, 1 vs 2 workers, local fake server 1 s per call (needs pip install '.[ray]')",
        [PY, "bench/bench_ray.py"],
    )


GROUPS: dict[str, Callable[[], None]] = {
    "cores": cores,
    "narration": narration,
    "quality": quality,
    "builds": builds,
    "release_100k": release_100k,
    "llm": llm_client,
    "crash": crash,
    "realmodel": realmodel,
    "ray": ray,
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--only", nargs="+", choices=list(GROUPS), help="run these groups only (default: all, in this order)"
    )
    args = parser.parse_args()
    print(f"# moldova-personas benchmarks\nmachine: {machine()}\nload average: {os.getloadavg()}")
    for name in args.only or GROUPS:
        GROUPS[name]()
    print(f"\nload average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
