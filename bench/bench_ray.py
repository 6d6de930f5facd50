"""Scale-out on Ray: personas/s with 1 and 2 Ray workers against the local fake server, and the ratio.

Usage: python bench/bench_ray.py [--concurrency 16] [--seconds 20] [--delay 1.0]

The fake OpenAI-compatible server (python/tests/fake_openai_server.py, a separate process) answers every
call after `--delay` s, so one worker's throughput is bound by its client: `--concurrency` calls in flight
give at most concurrency/delay calls/s per worker. Each run narrates workers x concurrency x seconds/delay
personas (about `--seconds` of ideal work whatever the worker count) with a fresh response store, on a local
Ray instance of 2 CPUs started once; a warm-up run first starts both worker processes (imports of litellm
and the narrator are not counted). Prints each run's wall time, personas/s, calls/s and the ratio of 2
workers to 1, with the machine's load. Needs the optional extra: pip install '.[ray]'.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "python"), str(ROOT / "python" / "tests")]
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import conftest  # noqa: E402  (deterministic sample cores)
import pyarrow as pa  # noqa: E402

from moldova_personas.narration.ray_engine import narrate_on_ray  # noqa: E402


def _server(delay: float) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "python" / "tests" / "fake_openai_server.py"), "--delay", str(delay)],
        stdout=subprocess.PIPE,
        text=True,
    )
    url = proc.stdout.readline().strip() if proc.stdout else ""
    if not url.startswith("http"):
        proc.kill()
        raise SystemExit(f"the fake server did not start (printed {url!r})")
    return proc, url


def _settings(url: str, tmp: Path, name: str, workers: int, concurrency: int) -> dict:
    return {
        "creative": {"model": "openai/bench-m", "api_base": url, "timeout_s": 60},
        "fallback_order": ["creative"],
        "max_concurrency": concurrency,
        "engine": "ray",
        "ray_workers": workers,
        "progress": False,
        "state_dir": str(tmp / name / "state"),
        "log_dir": str(tmp / name / "logs"),
    }


def _calls(log_dir: Path) -> int:
    return sum(sum(1 for _ in p.open(encoding="utf-8")) for p in log_dir.glob("*.jsonl"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--concurrency", type=int, default=16, help="calls in flight per worker")
    ap.add_argument("--seconds", type=float, default=20.0, help="ideal seconds of work per run")
    ap.add_argument("--delay", type=float, default=1.0, help="fake server latency per call")
    args = ap.parse_args()
    import ray

    print(f"load average before: {os.getloadavg()}; {os.cpu_count()} CPUs; Ray {ray.__version__}")
    server, url = _server(args.delay)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    rates: dict[int, float] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            warm = pa.Table.from_pylist(conftest.make_cores(4 * args.concurrency, seed=1))
            t0 = time.perf_counter()
            warm_settings = {
                **_settings(url, tmp, "warm", 2, args.concurrency),
                "ray_batch_size": 2 * args.concurrency,
            }
            narrate_on_ray(warm, warm_settings, [], [])  # two batches at once: both workers start
            print(f"warm-up (2 worker processes start, import litellm): {time.perf_counter() - t0:.1f} s")
            per_worker = int(args.concurrency * args.seconds / args.delay)
            for workers in (1, 2):
                n = workers * per_worker
                cores = pa.Table.from_pylist(conftest.make_cores(n, seed=100 + workers))
                settings = _settings(url, tmp, f"w{workers}", workers, args.concurrency)
                t0 = time.perf_counter()
                out = narrate_on_ray(cores, settings, [], [])
                wall = time.perf_counter() - t0
                ok = out.column("status").to_pylist().count("ok")
                attempts = _calls(tmp / f"w{workers}" / "logs")
                rates[workers] = n / wall
                ideal = workers * args.concurrency / args.delay
                print(
                    f"{workers} Ray worker(s) x {args.concurrency} in flight, {args.delay:g} s per call: "
                    f"{n} personas ({ok} ok) in {wall:.1f} s = {n / wall:.1f} personas/s, "
                    f"{attempts / wall:.1f} attempts/s (ideal {ideal:.0f}/s); "
                    f"load average {os.getloadavg()[0]:.2f}"
                )
    finally:
        ray.shutdown()
        server.kill()
        server.wait()
    print(f"ratio 2 workers / 1 worker: {rates[2] / rates[1]:.2f}x (ideal 2.00x)")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
