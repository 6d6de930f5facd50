"""The narration runtime inside real dbt builds (a private copy of the built 1K database, the fake server
over HTTP through litellm):

- after `make run` (offline), the README's recipe narrates the tier with the configured model and says
  how many personas it will narrate first; a persona flagged by the safety gate blocks the release,
  `make renarrate SAFETY=1` marks exactly the flagged ones, and the next build requests only them and
  passes the safety gate (the fake server writes the offline narrator's template text, which the
  sentence-reuse gate rightly refuses as LLM text, so this release stays blocked for that reason);
- a provider rejecting the key stops the build within seconds with one line, and nothing stored is
  lost;
- SIGTERM to the Makefile's dbt stops the narration, stores the answers of the calls in flight and
  names the command to resume; the exit code is 143.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import duckdb
from dbt_helpers import ROOT, run_dbt
from fixtures_db import built_1k_db, private_copy  # noqa: F401 (pytest fixture)

from moldova_personas.narration import renarrate

KEY = "sk-test-dbt-narration-0123456789abcdef"
PHONE = "+373 69 123 456"


def _env(server, **extra: str) -> dict[str, str]:
    return {
        "MOLDOVA_LLM_CREATIVE": "openai/gpt-4o-mini",
        "MOLDOVA_LLM_API_BASE": server.url,
        "OPENAI_API_KEY": KEY,
        "MOLDOVA_RESUME_COMMAND": "make run",
        **extra,
    }


def _query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_readme_recipe_after_make_run_then_safety_renarration(tmp_path, built_1k_db, server):  # noqa: F811
    work = tmp_path / "recipe"
    db = private_copy(built_1k_db, work)
    before = dict(_query(db, "select model_used, count(*) from int_personas_narrated group by 1"))
    assert before == {"offline/narrator": 1000}
    current = work / "releases" / "tier_1k" / "CURRENT"
    flagged = [
        (pid, phash)
        for pid, phash in _query(
            db, "select persona_id, prompt_hash from int_personas_narrated order by persona_id limit 2"
        )
    ]
    for _, phash in flagged:  # the provider writes a phone number into these two personas' text
        server.set_faults("gpt-4o-mini", sticky={"kind": "unsafe"}, when_hash=phash)
    args = [
        "build",
        "--select",
        "int_personas_narrated+",
        "--vars",
        f"{{seed: 42, generation_log_dir: {work / 'attempts'}}}",
    ]
    result = run_dbt(args, work, timeout=1500, **_env(server))
    out = result.output
    assert (
        "1000 of 1000 personas to narrate with openai/gpt-4o-mini: 1000 written by another model than the "
        "primary (1000 by offline/narrator)" in out
    )
    assert out.index("1000 of 1000 personas to narrate") < out.index("narrated 1000/1000 personas")
    assert len(server.requests()) == 1000
    assert dict(_query(db, "select model_used, count(*) from int_personas_narrated group by 1")) == {
        "openai/gpt-4o-mini": 1000
    }
    assert set(_query(db, "select distinct primary_model from int_personas_narrated")) == {
        ("openai/gpt-4o-mini",)
    }
    # the safety gate blocks the release and names the personas
    assert not result.success
    assert re.search(r"FAIL \d+ safety_findings_no_critical", out)
    for pid, _ in flagged:
        assert f"critical: persona {pid}" in out
    assert not current.exists() or current.read_text().strip() == ""
    # the one documented command marks exactly the flagged personas
    assert renarrate.main(["--safety", "--db", str(db), "--state-dir", str(work / "state")]) == 0
    with sqlite3.connect(work / "state" / "narration.sqlite") as store:
        marked = {pid for (pid,) in store.execute("select persona_id from renarrate")}
    assert marked == {pid for pid, _ in flagged}
    # the provider is fixed: the next build requests exactly those two personas; the safety gate passes
    server.reset()
    result = run_dbt(args, work, timeout=1500, **_env(server))
    out = result.output
    assert "2 of 1000 personas to narrate with openai/gpt-4o-mini: 2 requested by `make renarrate`" in out
    assert sorted(r["hash"] for r in server.requests()) == sorted(h for _, h in flagged)
    assert re.search(r"PASS safety_findings_no_critical", out), out[-4000:]
    assert "critical: persona" not in out
    texts = _query(db, "select professional_persona from fct_personas")
    assert len(texts) == 1000 and not any(PHONE in t for (t,) in texts)


def test_rejected_key_stops_the_build_in_seconds(tmp_path, built_1k_db, server):  # noqa: F811
    work = tmp_path / "reject"
    db = private_copy(built_1k_db, work)
    server.set_faults("*", sticky={"kind": "401"})
    args = [
        "run",
        "--select",
        "int_personas_narrated",
        "--vars",
        f"{{seed: 42, generation_log_dir: {work / 'attempts'}}}",
    ]
    result = run_dbt(args, work, timeout=600, **_env(server))
    assert not result.success
    lines = [
        line
        for line in result.output.splitlines()
        if line.startswith("[narrate") and "Narration stopped" in line
    ]
    assert len(lines) == 1
    assert (
        "Narration stopped: alias 'creative' (openai/gpt-4o-mini at "
        + server.url
        + "): the provider rejected "
        "the API key. Fix: put a valid key in OPENAI_API_KEY." in lines[0]
    )
    assert "Resume: fix the cause, then run `make run`" in lines[0] and KEY not in result.output
    assert len(server.requests()) <= 16  # the calls in flight when the first 401 came back
    # nothing stored is lost: the table still holds the 1000 finished personas
    assert _query(db, "select status, model_used, count(*) from int_personas_narrated group by all") == [
        ("ok", "offline/narrator", 1000)
    ]


def test_sigterm_to_the_makefiles_dbt_stops_and_names_the_resume_command(tmp_path, built_1k_db, server):  # noqa: F811
    work = tmp_path / "sigterm"
    private_copy(built_1k_db, work)
    server.delay = 1.0
    env = {
        **os.environ,
        "MOLDOVA_DUCKDB_PATH": str(work / "db.duckdb"),
        "MOLDOVA_LLM_STATE_DIR": str(work / "state"),
        "MOLDOVA_EXPORT_ROOT": str(work / "releases"),
        "DBT_PROFILES_DIR": str(ROOT),
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
        **_env(server),
    }
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "moldova_personas.narration.signals",
            "run",
            "--select",
            "int_personas_narrated",
            "--target-path",
            str(work / "target"),
            "--log-path",
            str(work / "logs"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.time() + 300
        while time.time() < deadline and sum(r["completed"] for r in server.requests()) < 32:
            time.sleep(0.1)
        assert sum(r["completed"] for r in server.requests()) >= 32
        child.send_signal(signal.SIGTERM)
        out = child.communicate(timeout=120)[0]
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 143
    assert "SIGTERM received: no new persona is started" in out
    stop = next(
        line for line in out.splitlines() if "Narration stopped:" in line and line.startswith("[narrate")
    )
    assert "Resume: run `make run`" in stop
    completed = {r["hash"] for r in server.requests() if r["completed"]}
    with sqlite3.connect(work / "state" / "narration.sqlite") as store:
        stored = {h for (h,) in store.execute("select prompt_hash from responses")}
    assert completed <= stored  # every answer received, in flight ones included, is stored
    assert len(server.requests()) < 1000
