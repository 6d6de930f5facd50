"""Narration throughput: offline personas/s, and calls/s vs the ideal at concurrency 64 on a 1 s server.

Usage: python bench/bench_narration.py [--offline-n 2000] [--calls 640] [--concurrency 64] [--delay 1.0]
                                       [--skip-offline] [--skip-server]

Besides wall-clock rates it prints CPU seconds per persona of this process (all threads) and of the
narration worker processes, and the CPU used by the fake server (a separate aiohttp process), so that a
reader can tell whether the client, the workers or the server is the bottleneck. Run it on a quiet machine.
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

from moldova_personas.narration.runtime import narrate_cores  # noqa: E402


def _cpu() -> tuple[float, float]:
    """(CPU s of this process, CPU s of the narration worker processes)."""
    own = time.process_time()
    kids = 0.0
    for pid in _children():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            kids += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            pass
    return own, kids


def _children() -> list[int]:
    """Pids of the narration worker processes."""
    from moldova_personas.narration import workers

    pool = workers._pool
    return list(getattr(pool, "_processes", None) or {})


def _proc_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def offline(args: argparse.Namespace, tmp: Path) -> None:
    narrate_cores(
        conftest.make_cores(20, seed=99),
        {"state_dir": str(tmp / "w"), "log_dir": str(tmp / "w"), "progress": False},
    )  # warm-up (imports, router, worker pool)
    cores = conftest.make_cores(args.offline_n, seed=11)
    own0, kids0 = _cpu()
    t0 = time.perf_counter()
    out = narrate_cores(
        cores,
        {"state_dir": str(tmp / "s1"), "log_dir": str(tmp / "l1"), "progress": False, "max_concurrency": 16},
    )
    dt = time.perf_counter() - t0
    own1, kids1 = _cpu()
    n = out.num_rows
    ok = out.column("status").to_pylist().count("ok")
    print(
        f"offline: {n} personas in {dt:.1f} s = {n / dt:.1f} personas/s (ok {ok}, target >= 200/s); "
        f"CPU/persona: main process {1000 * (own1 - own0) / n:.2f} ms, "
        f"workers {1000 * (kids1 - kids0) / n:.2f} ms"
    )


def server_bench(args: argparse.Namespace, tmp: Path) -> None:
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "python/tests/fake_openai_server.py"), "--delay", str(args.delay)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = server.stdout.readline().strip()
        os.environ["BENCH_KEY"] = "sk-bench-0000000000"
        alias = {"model": "openai/bench", "api_base": url, "api_key_env": "BENCH_KEY", "timeout_s": 30}
        base = {
            "creative": alias,
            "fallback_order": ["creative"],
            "max_attempts": 1,
            "max_concurrency": args.concurrency,
            "progress": False,
        }
        narrate_cores(
            conftest.make_cores(args.concurrency, seed=99),
            {**base, "state_dir": str(tmp / "w2"), "log_dir": str(tmp / "w2")},
        )  # warm-up: connections, router
        cores = conftest.make_cores(args.calls, seed=12)
        (own0, kids0), srv0 = _cpu(), _proc_cpu(server.pid)
        t0 = time.perf_counter()
        out = narrate_cores(cores, {**base, "state_dir": str(tmp / "s2"), "log_dir": str(tmp / "l2")})
        dt = time.perf_counter() - t0
        (own1, kids1), srv1 = _cpu(), _proc_cpu(server.pid)
        rate = out.num_rows / dt
        ideal = args.concurrency / args.delay
        print(
            f"fake server {args.delay:.1f} s/call, concurrency {args.concurrency}: {out.num_rows} calls in "
            f"{dt:.1f} s = {rate:.1f} calls/s = {100 * rate / ideal:.0f}% of ideal {ideal:.0f}/s "
            f"(target >= 90%); CPU/call: client {1000 * (own1 - own0) / out.num_rows:.1f} ms, "
            f"validation workers {1000 * (kids1 - kids0) / out.num_rows:.1f} ms, "
            f"server {1000 * (srv1 - srv0) / out.num_rows:.1f} ms "
            f"(server busy {100 * (srv1 - srv0) / dt:.0f}%); load {os.getloadavg()[0]:.2f}"
        )
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--offline-n", type=int, default=2000)
    ap.add_argument("--calls", type=int, default=640)
    ap.add_argument("--concurrency", type=int, default=64)
    ap.add_argument("--delay", type=float, default=1.0)
    ap.add_argument("--skip-offline", action="store_true")
    ap.add_argument("--skip-server", action="store_true")
    args = ap.parse_args()
    print(
        f"machine: {platform.platform()} | python {platform.python_version()} | cpus {os.cpu_count()} | "
        f"{platform.processor() or platform.machine()} | load {os.getloadavg()[0]:.2f}"
    )
    tmp = Path(tempfile.mkdtemp(prefix="bench_narration_"))
    if not args.skip_offline:
        offline(args, tmp)
    if not args.skip_server:
        server_bench(args, tmp)


if __name__ == "__main__":
    main()
