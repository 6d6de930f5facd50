"""Chaos through real litellm + HTTP (fake server): every injected fault, the breaker, timeouts, the
full degradation path, and failures counted by the generation mart (fct_generation_attempts' own SQL).

Complements test_llm_router.py / test_narrate.py (breaker chain + recovery, 429 Retry-After, repair loop,
huge content, kill -9 resume) with the cases they did not pin down.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import duckdb
import pytest
import yaml
from conftest import ROOT, make_cores
from fake_openai_server import closed_port_url

from moldova_personas.narration.runtime import narrate_cores

KEY = "sk-test-chaos-0123456789abcdef"
ATTEMPTS_SQL = ROOT / "models" / "marts" / "generation" / "fct_generation_attempts.sql"
LOG_SOURCE_YML = ROOT / "models" / "marts" / "generation" / "_generation__sources.yml"


def alias(server, name, timeout=3.0, api_base=None):
    return {
        "model": f"openai/{name}",
        "api_base": api_base or server.url,
        "api_key_env": "MOLDOVA_FAKE_KEY",
        "timeout_s": timeout,
    }


def chaos_settings(server, dirs, timeout=3.0, **kw):
    base = {
        "creative": alias(server, "creative-m", timeout),
        "balanced": alias(server, "balanced-m", timeout),
        "fast": alias(server, "fast-m", timeout),
        "cooldown_time_s": 30,
        "backoff_base_s": 0.05,
        "progress": False,
        "max_concurrency": 1,
        "max_attempts": 1,
        **dirs,
    }
    base.update(kw)
    return base


def attempts_mart(log_dir: str | Path) -> list[dict]:
    """Rows of fct_generation_attempts computed by the model's own SQL over `log_dir` (no dbt run): the
    source narration_logs.generation_attempts is its declared read_json over the folder."""
    (source,) = yaml.safe_load(LOG_SOURCE_YML.read_text(encoding="utf-8"))["sources"]
    location = source["tables"][0]["meta"]["external_location"]
    location = location.replace('{{ var("generation_log_dir", "logs/generation_attempts") }}', str(log_dir))
    sql = ATTEMPTS_SQL.read_text(encoding="utf-8")
    sql = "\n".join(line for line in sql.splitlines() if not line.startswith("-- depends_on"))
    sql = sql.replace("{{ source('narration_logs', 'generation_attempts') }}", location)
    assert "{{" not in sql, "fct_generation_attempts.sql uses jinja this helper does not render"
    con = duckdb.connect()
    try:
        cur = con.execute(sql)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    finally:
        con.close()


def log_lines(dirs):
    return [json.loads(x) for p in Path(dirs["log_dir"]).glob("*.jsonl") for x in p.read_text().splitlines()]


def by_model(server) -> Counter:
    return Counter(r["model"] for r in server.requests())


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("MOLDOVA_FAKE_KEY", KEY)


def test_breaker_opens_after_configured_failures(server, dirs):
    # allowed_fails=2: the 3rd failure of creative opens its breaker; later personas go to balanced directly
    server.set_faults("creative-m", sticky={"kind": "500"})
    t = narrate_cores(make_cores(6), chaos_settings(server, dirs, allowed_fails=2))
    assert t.num_rows == 6
    assert set(t.column("model_used").to_pylist()) == {"openai/balanced-m"}
    assert by_model(server) == Counter({"creative-m": 3, "balanced-m": 6})


def test_connection_refused_falls_back_then_fails_cleanly(server, dirs):
    dead = closed_port_url()
    s = chaos_settings(server, dirs, creative=alias(server, "creative-m", api_base=dead), allowed_fails=5)
    t = narrate_cores(make_cores(2), s)
    assert set(t.column("model_used").to_pylist()) == {"openai/balanced-m"}
    assert set(t.column("status").to_pylist()) == {"ok"}
    assert by_model(server) == Counter({"balanced-m": 2})  # creative never reached the fake server
    # chain of one refused alias: retried per policy (call_retries), then a kept failed_call row
    s = chaos_settings(
        server,
        {"state_dir": dirs["state_dir"] + "2", "log_dir": dirs["log_dir"]},
        creative=alias(server, "creative-m", api_base=dead),
        fallback_order=["creative"],
        call_retries=1,
    )
    row = narrate_cores(make_cores(3)[2:], s).to_pylist()[0]
    assert row["status"] == "failed_call" and row["persona"] is None
    # litellm reports it as APIConnectionError or, via aiohttp, InternalServerError "Cannot connect"
    assert "connect" in row["failure_reason"].lower(), row["failure_reason"]


@pytest.mark.parametrize("kind", ["malformed", "garbage"])
def test_unparseable_http_body_falls_back(server, dirs, kind):
    server.set_faults("creative-m", sticky={"kind": kind})
    t = narrate_cores(make_cores(2), chaos_settings(server, dirs, allowed_fails=5))
    assert t.column("model_used").to_pylist() == ["openai/balanced-m"] * 2
    assert set(t.column("status").to_pylist()) == {"ok"}
    assert by_model(server) == Counter({"creative-m": 2, "balanced-m": 2})


def test_401_is_not_retried_and_row_is_kept(server, dirs):
    server.set_faults("creative-m", sticky={"kind": "401"})
    s = chaos_settings(server, dirs, fallback_order=["creative"], call_retries=2)
    rows = narrate_cores(make_cores(2), s).to_pylist()
    assert [r["status"] for r in rows] == ["failed_call"] * 2
    assert all("401" in r["failure_reason"] or "uthentication" in r["failure_reason"] for r in rows)
    assert by_model(server) == Counter({"creative-m": 2})  # one request per persona: 401 is final


def test_non_romanian_text_fails_language_validation(server, dirs):
    server.set_faults("creative-m", sticky={"kind": "russian"})
    s = chaos_settings(server, dirs, fallback_order=["creative"], max_attempts=2)
    row = narrate_cores(make_cores(1), s).to_pylist()[0]
    assert row["status"] == "failed_validation" and row["attempts"] == 2
    assert "language" in row["failure_reason"]
    reqs = server.requests()
    assert [r["kind"] for r in reqs] == ["russian", "russian"]
    assert reqs[1]["repair_hint"] and "română" in reqs[1]["repair_hint"]


def test_slow_answers_time_out_retry_per_policy(server, dirs):
    # only creative in the chain: each call times out (0.5 s) and is retried call_retries=2 times
    # (allowed_fails=5: with the default 1 the breaker opens after 2 timeouts and the last retry ends in
    # RouterRateLimitError "in cooldown" without reaching the server, see the next assertion block)
    server.set_faults("creative-m", sticky={"kind": "slow", "seconds": 3})
    s = chaos_settings(
        server, dirs, timeout=0.5, fallback_order=["creative"], call_retries=2, allowed_fails=5
    )
    started = time.perf_counter()
    row = narrate_cores(make_cores(1), s).to_pylist()[0]
    assert time.perf_counter() - started < 6
    assert row["status"] == "failed_call" and "Timeout" in row["failure_reason"]
    reqs = server.requests()
    assert len(reqs) == 3 and len({r["hash"] for r in reqs}) == 1  # 1 + 2 retries of the same prompt
    [line] = log_lines(dirs)
    assert line["status"] == "fail" and "Timeout" in line["error"] and line["latency_ms"] >= 1500


def test_repeated_timeouts_fall_back_to_offline_and_say_so(server, dirs):
    server.set_faults("*", sticky={"kind": "slow", "seconds": 3})
    s = chaos_settings(server, dirs, timeout=0.5, allowed_fails=5, call_retries=2)
    rows = narrate_cores(make_cores(2), s).to_pylist()
    assert [r["model_used"] for r in rows] == ["offline/narrator"] * 2
    assert {r["status"] for r in rows} <= {"ok", "failed_validation"} and all(r["persona"] for r in rows)
    # the router tries each real alias once per call (num_retries=0); the chain succeeded: no own retry
    assert by_model(server) == Counter({"creative-m": 2, "balanced-m": 2, "fast-m": 2})
    assert {x["model"] for x in log_lines(dirs)} == {"offline/narrator"}
    mart = attempts_mart(dirs["log_dir"])
    assert {m["model"] for m in mart} == {"offline/narrator"} and len(mart) == 2


def test_zero_usable_candidates_counted_in_generation_mart(server, dirs):
    server.set_faults("creative-m", sticky={"kind": "empty"})
    cores = make_cores(2)
    s = chaos_settings(server, dirs, fallback_order=["creative"], max_attempts=2)
    rows = narrate_cores(cores, s).to_pylist()  # no exception
    assert [r["status"] for r in rows] == ["failed_validation"] * 2
    assert all("format" in r["failure_reason"] and "unparseable" in r["failure_reason"] for r in rows)
    mart = attempts_mart(dirs["log_dir"])
    assert len(mart) == 4  # 2 personas x 2 attempts, every one a row of the mart
    assert {m["persona_id"] for m in mart} == {c["persona_id"] for c in cores}
    final = {m["persona_id"]: m for m in mart if m["attempt"] == 2}
    assert {m["status"] for m in final.values()} == {"fail"}
    assert all(m["model"] == "openai/creative-m" and "unparseable completion" in m["error"] for m in mart)
    assert all(m["run_id"] and m["attempted_at"] is not None for m in mart)


def test_full_degradation_path_accounts_for_every_persona(server, dirs):
    server.set_faults("creative-m", sticky={"kind": "500"})
    server.set_faults("balanced-m", sticky={"kind": "slow", "seconds": 3})
    # Retry-After 5: litellm cools a 429ing deployment down for the server's Retry-After (0 = no cooldown)
    server.set_faults("fast-m", sticky={"kind": "429", "retry_after": 5})
    cores = make_cores(8)
    s = chaos_settings(server, dirs, timeout=0.5, max_concurrency=2, allowed_fails=1, call_retries=1)
    t = narrate_cores(cores, s)
    ids = t.column("persona_id").to_pylist()
    assert sorted(ids) == sorted(c["persona_id"] for c in cores) and len(set(ids)) == 8
    assert set(t.column("model_used").to_pylist()) == {"offline/narrator"}
    assert set(t.column("status").to_pylist()) <= {"ok", "failed_validation"}
    assert all(t.column("persona").to_pylist())
    calls = by_model(server)
    # breakers open after 2 failures each (2 in flight at most): most personas skip the dead aliases
    assert set(calls) == {"creative-m", "balanced-m", "fast-m"}
    assert all(n <= 4 for n in calls.values()), calls
    mart = attempts_mart(dirs["log_dir"])
    assert sorted(m["persona_id"] for m in mart) == sorted(ids)  # one logged attempt per persona
    assert {m["model"] for m in mart} == {"offline/narrator"}
