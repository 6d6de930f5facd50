"""Orchestration: repair loop, failures kept, kill -9 resume, attempt-log masking."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, fake_provider_settings, make_cores

from moldova_personas.narration.attempt_log import AttemptLog, mask_text
from moldova_personas.narration.runtime import narrate_cores

KEY = "sk-narrate-KEY-abcdef0123456789"


def settings(server, dirs, **kw):
    return fake_provider_settings(server, dirs, progress=False, **kw)


def log_lines(dirs):
    return [json.loads(x) for p in Path(dirs["log_dir"]).glob("*.jsonl") for x in p.read_text().splitlines()]


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("MOLDOVA_FAKE_KEY", KEY)


def test_repair_loop_uses_hint_and_records_repairs(server, dirs):
    server.set_faults("creative-m", faults=[{"kind": "english"}, {"kind": "length"}])
    t = narrate_cores(make_cores(1), settings(server, dirs, max_concurrency=1))
    row = t.to_pylist()[0]
    assert row["status"] == "ok" and row["attempts"] == 3
    reqs = server.requests()
    assert [r["kind"] for r in reqs] == ["english", "length", "ok"]
    assert reqs[0]["repair_hint"] is None
    assert "română" in reqs[1]["repair_hint"]  # the language validator's hint
    assert "trunchiat" in reqs[2]["repair_hint"]
    lines = sorted(log_lines(dirs), key=lambda x: x["attempt"])
    assert [x["status"] for x in lines] == ["repair", "repair", "success"]
    assert "language" in lines[0]["repairs"] and lines[-1]["repairs"][-1] == "format"
    assert lines[0]["validator_scores"]["language"] < 0.7


def test_zero_usable_candidates_keeps_row(server, dirs):
    server.set_faults("creative-m", sticky={"kind": "empty"})
    t = narrate_cores(make_cores(2), settings(server, dirs, max_attempts=3))
    rows = t.to_pylist()
    assert [r["status"] for r in rows] == ["failed_validation"] * 2
    assert all(r["attempts"] == 3 and r["persona"] is None and "format" in r["failure_reason"] for r in rows)
    assert [x["status"] for x in log_lines(dirs)].count("fail") == 2


def test_huge_content_is_rejected_then_repaired(server, dirs):
    server.set_faults("creative-m", faults=[{"kind": "huge"}])
    row = narrate_cores(make_cores(1), settings(server, dirs)).to_pylist()[0]
    assert row["status"] == "ok" and row["attempts"] == 2
    assert len(row["cultural_background"]) < 5000


def test_done_ids_are_skipped(dirs):
    cores = make_cores(4)
    t = narrate_cores(cores, {**dirs, "progress": False}, done_ids={cores[0]["persona_id"]})
    assert t.num_rows == 3 and cores[0]["persona_id"] not in t.column("persona_id").to_pylist()


CHILD = """
import json, sys
sys.path[:0] = [{py!r}, {tests!r}]
import conftest
from moldova_personas.narration.runtime import narrate_cores
settings = json.loads(sys.argv[1])
narrate_cores(conftest.make_cores({n}), settings)
"""


def test_kill_9_and_resume_pays_nothing_twice(server, dirs):
    n = 40
    server.delay = 0.15
    s = settings(server, dirs, max_concurrency=4, checkpoint_interval={"1k": 5})
    code = CHILD.format(py=str(ROOT / "python"), tests=str(ROOT / "python" / "tests"), n=n)
    env = {**os.environ, "MOLDOVA_FAKE_KEY": KEY}
    child = subprocess.Popen(
        [sys.executable, "-c", code, json.dumps(s)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 30
    while time.time() < deadline and sum(r["completed"] for r in server.requests()) < 12:
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(10)
    before = server.requests()
    answered = {r["hash"] for r in before if r["completed"]}
    with sqlite3.connect(Path(dirs["state_dir"]) / "narration.sqlite") as db:
        stored = {h for (h,) in db.execute("select prompt_hash from responses")}
    assert 12 <= len(answered) < n
    # everything the client received before the kill is on disk (at most the calls in flight are lost)
    assert stored <= answered and len(answered - stored) <= 4
    server.delay = 0.0
    t = narrate_cores(make_cores(n), s)
    ids = t.column("persona_id").to_pylist()
    assert len(ids) == n == len(set(ids))
    after = server.requests()[len(before) :]
    assert not stored & {r["hash"] for r in after}, "a completed call was paid again"
    assert len({r["hash"] for r in after}) == len(after)  # and nothing twice within the re-run
    # a third run is served entirely from the store
    count = len(server.requests())
    assert narrate_cores(make_cores(n), s).num_rows == n
    assert len(server.requests()) == count


def test_attempt_log_masks_pii_and_secrets(tmp_path):
    with AttemptLog(tmp_path, "r1", secrets=["hunter2-very-secret"]) as log:
        log.write(
            persona_id="p",
            stage="B",
            attempt=1,
            status="fail",
            latency_ms=1,
            prompt_tokens=0,
            completion_tokens=0,
            opening_move=None,
            error="mail ion.rusu@example.md tel +373 69 123 456 or 022 123 456, key sk-abcdefghijkl1234 "
            "Bearer abc.def.ghi123 postgres://u:p@db:5432/x api_key=zzzz9999 hunter2-very-secret",
        )
    line = json.loads((tmp_path / "r1.jsonl").read_text())
    err = line["error"]
    for leaked in (
        "ion.rusu",
        "69 123 456",
        "022 123 456",
        "sk-abcdefghijkl1234",
        "abc.def.ghi123",
        "postgres://",
        "zzzz9999",
        "hunter2",
    ):
        assert leaked not in err, err
    assert list(line) == [
        "ts",
        "run_id",
        "persona_id",
        "stage",
        "attempt",
        "status",
        "latency_ms",
        "prompt_tokens",
        "completion_tokens",
        "repairs",
        "validator_scores",
        "opening_move",
        "constraint_categories",
        "anchors_used",
        "error",
        "model",
        "cost_usd",
        "error_class",
    ]
    assert mask_text("are 45 de ani și 2 copii, anul 2024") == "are 45 de ani și 2 copii, anul 2024"
