"""Progress by time (in-flight calls, the oldest, calls waiting past half the timeout, failures by class)
and graceful stops: SIGINT/SIGTERM store the answers arriving within the grace period and print what was
saved and the command to resume. Real HTTP through litellm against the fake server; signals go to a real
child process."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, fake_provider_settings, make_cores

from moldova_personas.narration.runtime import narrate_cores

KEY = "sk-test-progress-0123456789abcdef"


def settings(server, dirs, **kw):
    return fake_provider_settings(server, dirs, **{"max_concurrency": 4, **kw})


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("MOLDOVA_FAKE_KEY", KEY)


def test_progress_lines_by_time_show_a_hanging_call(server, dirs, capfd):
    server.set_faults("creative-m", sticky={"kind": "hang"})
    s = settings(server, dirs, progress_interval_s=0.4, call_retries=0, max_concurrency=2)
    s["creative"]["timeout_s"] = 2.5
    started = time.perf_counter()
    rows = narrate_cores(make_cores(2), s).to_pylist()
    assert time.perf_counter() - started < 6
    assert [r["status"] for r in rows] == ["failed_call"] * 2
    err = capfd.readouterr().err
    lines = [x for x in err.splitlines() if re.match(r"\[narrate \S+\] \d+/2 ", x)]
    assert len(lines) >= 4, lines  # a line every 0.4 s although no persona finished
    assert any("0/2 (0%)" in x and "in flight 2, oldest 1s" in x for x in lines), lines
    # past half the timeout (1.25 s) the line says so
    assert any(
        re.search(r"in flight 2, oldest [12]s, 2 waiting > 1s \(half the timeout\)", x) for x in lines
    ), lines
    assert "  creative (openai/creative-m): 2 calls, 0 answered, failures: timeout 2;" in err


CHILD = """
import json, sys
sys.path[:0] = [{py!r}, {tests!r}]
import conftest
from moldova_personas.narration.runtime import narrate_cores
narrate_cores(conftest.make_cores({n}), json.loads(sys.argv[1]))
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_stores_answers_in_grace_and_names_the_resume_command(server, dirs, sig):
    server.delay = 1.5
    n = 40
    s = settings(server, dirs, max_concurrency=4, signal_grace_s=4)
    code = CHILD.format(py=str(ROOT / "python"), tests=str(ROOT / "python" / "tests"), n=n)
    env = {**os.environ, "MOLDOVA_FAKE_KEY": KEY, "MOLDOVA_RESUME_COMMAND": "make run"}
    child = subprocess.Popen(
        [sys.executable, "-c", code, json.dumps(s)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline and sum(r["completed"] for r in server.requests()) < 4:
            time.sleep(0.05)
        while time.time() < deadline and sum(not r["completed"] for r in server.requests()) < 4:
            time.sleep(0.02)  # the next wave of 4 calls is in flight
        in_flight = {r["hash"] for r in server.requests() if not r["completed"]}
        assert len(in_flight) == 4
        child.send_signal(sig)
        err = child.communicate(timeout=30)[1]
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
    assert child.returncode != 0
    name = signal.Signals(sig).name
    assert f"{name} received: no new persona is started; waiting up to 4s for 4 calls in flight" in err
    stop = next(line for line in err.splitlines() if "Narration stopped:" in line)
    assert "Resume: run `make run` (what was saved is not paid for again)." in stop
    with sqlite3.connect(Path(dirs["state_dir"]) / "narration.sqlite") as db:
        stored = {h for (h,) in db.execute("select prompt_hash from responses")}
    assert in_flight <= stored  # the calls in flight when the signal came were answered and stored
    assert len(server.requests()) < n  # and no new persona was started
    saved = re.search(r"(\d+) personas finished in this run \(\d+ ok\) and (\d+) paid answers", stop)
    assert saved and int(saved.group(2)) == len(stored)
