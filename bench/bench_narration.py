"""Narration throughput: offline personas/s, and calls/s vs the ideal at concurrency 64 on a 1 s server.

Usage: python bench/bench_narration.py [--offline-n 2000] [--calls 640] [--concurrency 64] [--delay 1.0]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "python"), str(ROOT / "python" / "tests")]
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import conftest  # noqa: E402  (sample cores; narrator stand-in until the real one imports)

from moldova_personas.narrate import narrate_cores  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--offline-n", type=int, default=2000)
    ap.add_argument("--calls", type=int, default=640)
    ap.add_argument("--concurrency", type=int, default=64)
    ap.add_argument("--delay", type=float, default=1.0)
    args = ap.parse_args()
    print(
        f"machine: {platform.platform()} | python {platform.python_version()} | cpus {os.cpu_count()} | "
        f"{platform.processor() or platform.machine()}"
    )
    tmp = Path(tempfile.mkdtemp(prefix="bench_narration_"))

    cores = conftest.make_cores(args.offline_n, seed=11)
    narrate_cores(
        conftest.make_cores(20, seed=99),
        {"state_dir": str(tmp / "w"), "log_dir": str(tmp / "w"), "progress": False},
    )  # warm-up (imports, router)
    t0 = time.perf_counter()
    out = narrate_cores(
        cores,
        {"state_dir": str(tmp / "s1"), "log_dir": str(tmp / "l1"), "progress": False, "max_concurrency": 16},
    )
    dt = time.perf_counter() - t0
    ok = out.column("status").to_pylist().count("ok")
    print(f"offline: {out.num_rows} personas in {dt:.1f} s = {out.num_rows / dt:.1f} personas/s (ok {ok})")

    server = subprocess.Popen(
        [sys.executable, str(ROOT / "python/tests/fake_openai_server.py"), "--delay", str(args.delay)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = server.stdout.readline().strip()
        os.environ["BENCH_KEY"] = "sk-bench-0000000000"
        alias = {"model": "openai/bench", "api_base": url, "api_key_env": "BENCH_KEY", "timeout_s": 30}
        cores = conftest.make_cores(args.calls, seed=12)
        t0 = time.perf_counter()
        out = narrate_cores(
            cores,
            {
                "creative": alias,
                "fallback_order": ["creative"],
                "max_attempts": 1,
                "max_concurrency": args.concurrency,
                "state_dir": str(tmp / "s2"),
                "log_dir": str(tmp / "l2"),
                "progress": False,
            },
        )
        dt = time.perf_counter() - t0
        rate = out.num_rows / dt
        ideal = args.concurrency / args.delay
        print(
            f"fake server {args.delay:.1f} s/call, concurrency {args.concurrency}: {out.num_rows} calls in "
            f"{dt:.1f} s = {rate:.1f} calls/s = {100 * rate / ideal:.0f}% of ideal {ideal:.0f}/s "
            f"(target >= 90%)"
        )
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
