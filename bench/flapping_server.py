"""A primary that fails every other call for a while: does it keep serving its successful half?

Usage: python bench/flapping_server.py [--window 120] [--concurrency 8] [--personas 2400] [--delay 0.5]
                                       [--every 2] [--allow-offline]

Starts the fake OpenAI server (python/tests/fake_openai_server.py) with a `flap` fault on the primary's
model: for `window` seconds every `every`-th request answers 500, then every request answers. Narrates
`personas` cores at `concurrency` through litellm over HTTP, then prints the run's outcome: personas per
model and status, the attempt log's failures by class, and the server's view (requests, 500s).
With --allow-offline the offline narrator is a fallback too (MOLDOVA_LLM_ALLOW_OFFLINE_FALLBACK=1).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "python"), str(ROOT / "python" / "tests")]
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import conftest  # noqa: E402  (sample cores)
from fake_openai_server import FakeOpenAIServer  # noqa: E402

from moldova_personas.narration.runtime import narrate_cores  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--window", type=float, default=120.0)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--personas", type=int, default=2400)
    ap.add_argument("--delay", type=float, default=0.5)
    ap.add_argument("--every", type=int, default=2)
    ap.add_argument("--allow-offline", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="flapping_"))
    server = FakeOpenAIServer(delay=args.delay).start()
    os.environ["FLAP_KEY"] = "sk-flap-0000000000"
    try:
        fault = {"kind": "flap", "fail": "500", "every": args.every, "window_s": args.window}
        server.set_faults("flappy", sticky=fault)
        settings = {
            "creative": {"model": "openai/flappy", "api_base": server.url, "api_key_env": "FLAP_KEY"},
            "max_concurrency": args.concurrency,
            "max_attempts": 1,
            "allow_offline_fallback": args.allow_offline,
            "state_dir": str(tmp / "state"),
            "log_dir": str(tmp / "logs"),
        }
        started = time.perf_counter()
        out = narrate_cores(conftest.make_cores(args.personas, seed=5), settings)
        seconds = time.perf_counter() - started
    finally:
        server_log = server.requests()
        server.stop()
    lines = [json.loads(x) for p in (tmp / "logs").glob("*.jsonl") for x in p.read_text().splitlines()]
    failures = Counter(x["error_class"] for x in lines if x["status"] in ("error", "fail"))
    models = Counter(out.column("model_used").to_pylist())
    statuses = Counter(out.column("status").to_pylist())
    failed_500 = sum(r["kind"] == "500" for r in server_log)
    print(
        f"flap: 1 call in {args.every} fails for {args.window:.0f} s; {args.personas} personas at "
        f"concurrency {args.concurrency}, server latency {args.delay} s, offline fallback "
        f"{'allowed' if args.allow_offline else 'off'}\n"
        f"run: {seconds:.0f} s; personas by model: {dict(models)}; by status: {dict(statuses)}\n"
        f"primary's share: {100 * models.get('openai/flappy', 0) / max(1, len(out)):.1f} %\n"
        f"server: {len(server_log)} requests, {failed_500} answered 500 (all within the window)\n"
        f"attempt log: {len(lines)} lines, failures by class: {dict(failures)} "
        f"(every 500 logged: {failures.get('server_error', 0) == failed_500})"
    )


if __name__ == "__main__":
    main()
