"""End to end with a real model: personas narrated by Gemma 3 270M (llama-cpp-python, CPU) through the
real narration entry point, litellm and HTTP, configured the way a user configures a local server.

A model this small writes poor Romanian: the test does not judge the text. It checks that the run tells
the truth about what the model did: every persona either passed every validator and was written by the
real model, or is marked failed with its reason, and every failed attempt is a row of the attempt log.
Nothing is written by the offline narrator, and every attempt was a real call to the server.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import REALMODEL_OUTCOMES, ROOT, make_cores
from local_llm_server import LITELLM_MODEL

from moldova_personas.narration.runtime import narrate_cores
from moldova_personas.schema import NARRATIVE_TEXT_FIELDS

pytestmark = pytest.mark.realmodel

N_PERSONAS = 3
MAX_ATTEMPTS = 2
# A one-stream CPU server: ~1,800 prompt tokens at 17-130 tokens/s (busy or free 2-core machine) plus
# MAX_TOKENS at 5-30 tokens/s; the timeout leaves room for a busy machine.
MAX_TOKENS = 256
TIMEOUT_S = 600
FAILED = ("failed_validation", "failed_call")


def attempt_rows(log_dir: Path) -> list[dict]:
    return [json.loads(x) for p in sorted(log_dir.glob("*.jsonl")) for x in p.read_text().splitlines()]


def chat_posts(server) -> int:
    return server.log_text().count('"POST /v1/chat/completions HTTP/1.1"')


def test_real_model_run_is_truthful(real_llm, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)  # seeds/narration/*.csv
    env = {
        "MOLDOVA_LLM_CREATIVE": LITELLM_MODEL,
        "MOLDOVA_LLM_API_BASE": real_llm.url,
        "MOLDOVA_LLM_TIMEOUT": str(TIMEOUT_S),
        "MOLDOVA_LLM_MAX_CONCURRENCY": "1",
        "MOLDOVA_LLM_MAX_ATTEMPTS": str(MAX_ATTEMPTS),
        "MOLDOVA_LLM_MAX_TOKENS": str(MAX_TOKENS),
        # the JSON schema in llama-cpp-python's form: a small model's only chance of parseable JSON
        "MOLDOVA_LLM_OUTPUT_MODE": "json_object_schema",
        "MOLDOVA_LLM_STATE_DIR": str(tmp_path / "state"),
        "MOLDOVA_LLM_LOG_DIR": str(tmp_path / "logs"),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    overrides = {"progress": False}
    cores = make_cores(N_PERSONAS, seed=23)
    posts_before = chat_posts(real_llm)
    started = time.perf_counter()
    rows = narrate_cores(cores, overrides).to_pylist()
    elapsed = time.perf_counter() - started
    log = attempt_rows(tmp_path / "logs")

    assert sorted(r["persona_id"] for r in rows) == sorted(c["persona_id"] for c in cores)
    # nothing written by the offline narrator, in the rows or in the attempt log
    assert all(r["model_used"] == LITELLM_MODEL for r in rows if r["model_used"]), rows
    assert not [x for x in log if "offline" in str(x["model"])], log
    for row in rows:
        mine = sorted((x for x in log if x["persona_id"] == row["persona_id"]), key=lambda x: x["attempt"])
        # one attempt-log row per call, numbered; a fresh store, so every row is a call to the server
        assert [x["attempt"] for x in mine] == list(range(1, len(mine) + 1)), mine
        # a call the model answered, or a call that failed (a timeout on a slow machine, a server error):
        # the failure logged with its class and no tokens, never hidden
        answered = [x for x in mine if x["completion_tokens"] > 0]
        call_failures = [x for x in mine if x["completion_tokens"] == 0]
        assert all(x["model"] == LITELLM_MODEL for x in answered), mine
        assert all(x["error"] and x["error_class"] not in ("parse", "validation") for x in call_failures), (
            mine
        )
        assert all(x["status"] in ("error", "fail") for x in call_failures), mine
        if row["status"] == "ok":
            assert row["failure_reason"] is None and mine[-1]["status"] == "success"
            assert all(row[f] for f in NARRATIVE_TEXT_FIELDS), row
            assert all(x["error"] for x in mine[:-1]), mine
            assert [x["status"] for x in answered] == ["repair"] * (row["attempts"] - 1) + ["success"], mine
        else:
            assert row["status"] in FAILED and row["failure_reason"], row
            assert mine[-1]["status"] == "fail" and all(x["error"] for x in mine), mine
            if row["status"] == "failed_validation":  # every attempt answered, none passed
                assert row["attempts"] == MAX_ATTEMPTS == len(answered), mine
                assert [x["status"] for x in answered] == ["repair"] * (MAX_ATTEMPTS - 1) + ["fail"], mine
            else:  # the last call failed: the attempts before it were answered and failed validation
                assert call_failures and [x["status"] for x in answered] == ["repair"] * (
                    row["attempts"] - 1
                ), mine
            assert all(x["error_class"] for x in mine), mine
    # every attempt reached the real server over HTTP (a call that timed out may end before the server
    # logs it); with no failed call, one request per attempt exactly
    posts = chat_posts(real_llm) - posts_before
    assert sum(1 for x in log if x["completion_tokens"] > 0) <= posts <= len(log), (posts, log)
    if all(x["completion_tokens"] > 0 for x in log):
        assert posts == sum(r["attempts"] for r in rows) == len(log)

    outcome = Counter(r["status"] for r in rows)
    reasons = Counter(str(x.get("error_class") or str(x["error"]).split(":")[0]) for x in log if x["error"])
    tokens = sum(x["prompt_tokens"] for x in log), sum(x["completion_tokens"] for x in log)
    REALMODEL_OUTCOMES.append(
        f"narration by {LITELLM_MODEL}: {dict(outcome)} in {elapsed:.0f} s, {len(log)} calls, "
        f"{tokens[0]} prompt + {tokens[1]} completion tokens; attempt errors {dict(reasons)}"
    )
