"""Kill a 25K narration midway (SIGKILL), re-run it: exactly 25,000 unique personas, no stored call repeated.

The narration goes over real HTTP to the local fake OpenAI-compatible server (no delay), 64 calls in flight,
checkpoints every 5,000 personas (the 25K tier's interval). The cores are tier_25k of the built database
when it has one (`make tier TIER=tier_25k`), else 25,000 synthetic cores.

    .venv/bin/python -u bench/bench_crash_resume.py [--n 25000] [--kill-at 0.5] [--db moldova_personas.duckdb]

Prints the personas done before the kill, the responses stored then, the requests the re-run sent, how many
of them repeated a stored response (must be 0) and the final count of unique personas (must be n).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import json, sys, time
sys.path[:0] = [{py!r}, {tests!r}]
import pyarrow.parquet as pq
from moldova_personas.narration.runtime import narrate_cores
cores = pq.read_table(sys.argv[2]).to_pylist()
t0 = time.perf_counter()
out = narrate_cores(cores, json.loads(sys.argv[1]))
ids = out.column("persona_id").to_pylist()
print(json.dumps({{"rows": len(ids), "unique": len(set(ids)), "seconds": time.perf_counter() - t0,
                   "ok": out.column("status").to_pylist().count("ok")}}), flush=True)
"""


def _cores(db: str, n: int, path: Path) -> str:
    import pyarrow.parquet as pq

    try:
        import duckdb

        with duckdb.connect(db, read_only=True) as con:
            table = con.sql(f"select * from tier_25k order by persona_id limit {n}").arrow()
            table = table.read_all() if hasattr(table, "read_all") else table
        if table.num_rows == n:
            pq.write_table(table, path)
            return f"tier_25k of {db}"
    except Exception as exc:  # noqa: BLE001 - no built tier: synthetic cores instead
        print(f"(no tier_25k in {db}: {type(exc).__name__}; using synthetic cores)")
    sys.path[:0] = [str(ROOT / "python"), str(ROOT / "python" / "tests")]
    import conftest

    pq.write_table(conftest.make_cores(n, seed=25), path)
    return "synthetic cores (conftest.make_cores)"


def _stored(state: Path) -> tuple[set[str], int]:
    with sqlite3.connect(state / "narration.sqlite") as db:
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
        hashes = {h for (h,) in db.execute("select prompt_hash from responses")}
        personas = db.execute("select count(*) from personas").fetchone()[0]
    return hashes, personas


def _server_log(url: str) -> list[dict]:
    with urllib.request.urlopen(url.rsplit("/v1", 1)[0] + "/admin/log", timeout=60) as resp:
        return json.loads(resp.read())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=25_000)
    ap.add_argument("--kill-at", type=float, default=0.5, help="share of personas done before SIGKILL")
    ap.add_argument(
        "--db", default=os.environ.get("MOLDOVA_DUCKDB_PATH", str(ROOT / "moldova_personas.duckdb"))
    )
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench_crash_"))
    source = _cores(args.db, args.n, tmp / "cores.parquet")
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "python/tests/fake_openai_server.py"), "--delay", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = server.stdout.readline().strip()
        env = {**os.environ, "BENCH_KEY": "sk-bench-crash-0000"}
        settings = {
            "creative": {
                "model": "openai/bench",
                "api_base": url,
                "api_key_env": "BENCH_KEY",
                "timeout_s": 30,
            },
            "fallback_order": ["creative"],
            "max_attempts": 1,
            "max_concurrency": 64,
            "tier": "25k",
            "state_dir": str(tmp / "state"),
            "log_dir": str(tmp / "logs"),
        }
        child = [
            sys.executable,
            "-c",
            CHILD.format(py=str(ROOT / "python"), tests=str(ROOT / "python" / "tests")),
            json.dumps(settings),
            str(tmp / "cores.parquet"),
        ]
        print(f"{args.n:,} cores from {source}; state in {tmp}")
        first = subprocess.Popen(child, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        target = int(args.n * args.kill_at)
        while first.poll() is None:
            time.sleep(0.5)
            if (tmp / "state" / "narration.sqlite").exists() and _stored(tmp / "state")[1] >= target:
                break
        first.send_signal(signal.SIGKILL)
        first.wait()
        stored, personas = _stored(tmp / "state")
        before = len(_server_log(url))
        print(
            f"SIGKILL after {personas:,} personas committed; {len(stored):,} responses stored; "
            f"{before:,} requests so far"
        )
        t0 = time.perf_counter()
        second = subprocess.run(child, env=env, capture_output=True, text=True, check=True)
        result = json.loads(second.stdout.strip().splitlines()[-1])
        log = _server_log(url)[before:]
        repeated = sum(entry["hash"] in stored for entry in log)
        print(
            f"re-run: {len(log):,} requests in {time.perf_counter() - t0:.1f} s, {repeated} of them for a "
            f"stored response (must be 0); final rows {result['rows']:,}, "
            f"unique personas {result['unique']:,} (must be {args.n:,}), ok {result['ok']:,}"
        )
        if repeated or result["unique"] != args.n or result["rows"] != args.n:
            sys.exit("FAILED: lost, duplicated or re-requested personas")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
