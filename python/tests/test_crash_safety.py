"""Crash safety: SIGKILL a narration process early, mid-run and right at a checkpoint, re-run each time.

After every kill: the SQLite store passes integrity_check and every stored persona row parses; every
attempt-log line parses except at most a torn last line, which fct_generation_attempts' SQL tolerates;
no response the store holds is ever requested again. The final run returns exactly the expected personas,
none duplicated.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT, make_cores
from test_chaos import attempts_mart

from moldova_personas.narration.runtime import narrate_cores

KEY = "sk-test-crash-0123456789abcdef"
N = 40
CONCURRENCY = 4
CHILD = """
import json, sys
sys.path[:0] = [{py!r}, {tests!r}]
import conftest
from moldova_personas.narration.runtime import narrate_cores
narrate_cores(conftest.make_cores({n}), json.loads(sys.argv[1]))
"""


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("MOLDOVA_FAKE_KEY", KEY)


def _settings(server, dirs):
    return {
        "creative": {
            "model": "openai/creative-m",
            "api_base": server.url,
            "api_key_env": "MOLDOVA_FAKE_KEY",
            "timeout_s": 5,
        },
        "fallback_order": ["creative"],
        "max_concurrency": CONCURRENCY,
        "max_attempts": 1,
        "progress": True,
        "checkpoint_interval": {"1k": 5},
        **dirs,
    }


def _stored(dirs) -> set[str]:
    with sqlite3.connect(Path(dirs["state_dir"]) / "narration.sqlite") as db:
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
        for (row_json,) in db.execute("select row_json from personas"):
            assert json.loads(row_json)["persona_id"]
        return {h for (h,) in db.execute("select prompt_hash from responses")}


def _check_logs(dirs) -> int:
    """Every line parses but possibly a torn last one per file; the mart SQL reads them. Lines read."""
    parsed = 0
    for path in Path(dirs["log_dir"]).glob("*.jsonl"):
        lines = path.read_text(encoding="utf-8").split("\n")
        for i, line in enumerate(lines):
            if not line:
                continue
            try:
                json.loads(line)
                parsed += 1
            except json.JSONDecodeError:
                assert i == len(lines) - 1, f"{path}: line {i + 1} is corrupt but not the last"
    assert len(attempts_mart(dirs["log_dir"])) == parsed
    return parsed


def _run_and_kill(server, dirs, when: str) -> None:
    code = CHILD.format(py=str(ROOT / "python"), tests=str(ROOT / "python" / "tests"), n=N)
    child = subprocess.Popen(
        [sys.executable, "-c", code, json.dumps(_settings(server, dirs))],
        env={**os.environ, "MOLDOVA_FAKE_KEY": KEY},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # own process group: the kill takes the narrator's worker pool too
    )
    progress_seen = threading.Event()

    def watch() -> None:
        for line in child.stderr:  # type: ignore[union-attr]
            if line.startswith("[narrate") and "checkpoint:" in line:
                progress_seen.set()

    threading.Thread(target=watch, daemon=True).start()
    start = len(server.requests())
    deadline = time.time() + 60
    try:
        while time.time() < deadline and child.poll() is None:
            done = sum(r["completed"] for r in server.requests()[start:])
            if (when == "early" and done >= 1) or (when == "mid" and done >= 12):
                break
            if when == "checkpoint" and progress_seen.is_set():
                break
            time.sleep(0.01)
        assert child.poll() is None, f"the run finished before the {when} kill point"
    finally:
        # SIGKILL to the child's own group (its id is the child's pid): a kill of the child alone leaves
        # the worker-pool processes of moldova_personas.narration.workers running as orphans
        os.killpg(child.pid, signal.SIGKILL)
        child.wait(10)


def test_sigkill_early_mid_checkpoint_then_resume(server, dirs):
    server.delay = 0.1
    s = _settings(server, dirs)
    stored_before: set[str] = set()
    for when in ("early", "mid", "checkpoint"):
        seen = len(server.requests())
        _run_and_kill(server, dirs, when)
        reqs = server.requests()[seen:]
        answered = {r["hash"] for r in reqs if r["completed"]}
        stored = _stored(dirs)
        # nothing the store held before this run was requested again
        assert not stored_before & {r["hash"] for r in reqs}, f"{when}: a stored response was paid again"
        # everything received before the kill is on disk: at most the calls in flight are lost
        assert stored - stored_before <= answered
        # (in flight: at most CONCURRENCY calls, plus answers received in the last ~20 ms group commit)
        assert len(answered - stored) <= CONCURRENCY + 2, when
        _check_logs(dirs)
        stored_before = stored
    assert 0 < len(stored_before) < N
    server.delay = 0.0
    seen = len(server.requests())
    t = narrate_cores(make_cores(N), {**s, "progress": False})
    ids = t.column("persona_id").to_pylist()
    assert sorted(ids) == sorted(c["persona_id"] for c in make_cores(N)) and len(set(ids)) == N
    assert set(t.column("status").to_pylist()) <= {"ok", "failed_validation"}
    final = server.requests()[seen:]
    assert not stored_before & {r["hash"] for r in final}, "a completed, stored call was sent again"
    assert len(final) == len({r["hash"] for r in final}) == N - len(stored_before)
    # across all four runs no prompt was completed more than twice (twice only if lost in flight)
    per_prompt = Counter(r["hash"] for r in server.requests() if r["completed"])
    assert max(per_prompt.values()) <= 2 and len(per_prompt) == N
    assert _check_logs(dirs) >= N


def test_torn_last_log_line_is_tolerated(tmp_path):
    log_dir = tmp_path / "logs"
    log_dir.mkdir()
    line = {
        "ts": "2026-01-01T00:00:00.000Z",
        "run_id": "1K_x",
        "persona_id": "p1",
        "stage": "B",
        "attempt": 1,
        "status": "success",
        "latency_ms": 5,
        "prompt_tokens": 1,
        "completion_tokens": 2,
        "repairs": [],
        "validator_scores": {"trait_leak": 0.0},
        "opening_move": "quote",
        "constraint_categories": [],
        "anchors_used": [],
        "error": None,
        "model": "offline/narrator",
        "cost_usd": 0.0,
    }
    text = json.dumps(line) + "\n" + json.dumps({**line, "persona_id": "p2"}) + "\n"
    (log_dir / "a.jsonl").write_text(text + json.dumps({**line, "persona_id": "p3"})[:57])
    rows = attempts_mart(log_dir)
    assert sorted(r["persona_id"] for r in rows) == ["p1", "p2"]
    assert rows[0]["trait_leak_score"] == 0.0
