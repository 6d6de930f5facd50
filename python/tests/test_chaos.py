"""Chaos through real litellm + HTTP (fake server): every injected fault, the breaker, timeouts, fail-fast
on configuration errors, no silent offline downgrade, a flapping server, and failures counted by the
generation mart (fct_generation_attempts' own SQL).

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
from fake_openai_server import closed_port_url, unresolvable_url

from moldova_personas.narration.runtime import NarrationStopped, narrate_cores

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
    # allowed_fails=2: the 3rd consecutive failure of creative opens its breaker; later personas go to
    # balanced directly; each failure is its own attempt-log row with its class
    server.set_faults("creative-m", sticky={"kind": "500"})
    t = narrate_cores(make_cores(6), chaos_settings(server, dirs, allowed_fails=2))
    assert t.num_rows == 6
    assert set(t.column("model_used").to_pylist()) == {"openai/balanced-m"}
    assert by_model(server) == Counter({"creative-m": 3, "balanced-m": 6})
    errors = [x for x in log_lines(dirs) if x["status"] == "error"]
    assert len(errors) == 3 and {x["error_class"] for x in errors} == {"server_error"}
    assert {x["model"] for x in errors} == {"openai/creative-m"}


def test_connection_refused_falls_back_then_stops_the_run(server, dirs):
    dead = closed_port_url()
    s = chaos_settings(
        server, dirs, creative=alias(server, "creative-m", api_base=dead), allowed_fails=5, call_retries=0
    )
    t = narrate_cores(make_cores(2), s)
    assert set(t.column("model_used").to_pylist()) == {"openai/balanced-m"}
    assert set(t.column("status").to_pylist()) == {"ok"}
    assert by_model(server) == Counter({"balanced-m": 2})  # creative never reached the fake server
    assert {x["error_class"] for x in log_lines(dirs) if x["status"] == "error"} == {"connection"}
    # nothing else in the chain and the primary never answered: a configuration error, after backoff
    s = chaos_settings(
        server,
        {"state_dir": dirs["state_dir"] + "2", "log_dir": dirs["log_dir"]},
        creative=alias(server, "creative-m", api_base=dead),
        fallback_order=["creative"],
        call_retries=2,
    )
    started = time.perf_counter()
    with pytest.raises(NarrationStopped) as info:
        narrate_cores(make_cores(3)[2:], s)
    assert time.perf_counter() - started < 10
    msg = str(info.value)
    assert "alias 'creative' (openai/creative-m at " + dead in msg
    assert "MOLDOVA_LLM_API_BASE" in msg and "Resume:" in msg


@pytest.mark.parametrize("kind", ["malformed", "garbage"])
def test_unparseable_http_body_falls_back(server, dirs, kind):
    server.set_faults("creative-m", sticky={"kind": kind})
    t = narrate_cores(make_cores(2), chaos_settings(server, dirs, allowed_fails=5, call_retries=0))
    assert t.column("model_used").to_pylist() == ["openai/balanced-m"] * 2
    assert set(t.column("status").to_pylist()) == {"ok"}
    assert by_model(server) == Counter({"creative-m": 2, "balanced-m": 2})
    assert {x["error_class"] for x in log_lines(dirs) if x["status"] == "error"} == {"bad_response"}


@pytest.mark.parametrize(
    ("kind", "error_class", "needle"),
    [
        ("401", "auth", "rejected the API key. Fix: put a valid key in MOLDOVA_FAKE_KEY"),
        (
            "403",
            "permission",
            "refused access to the model with this key. Fix: put a valid key in MOLDOVA_FAKE_KEY",
        ),
        (
            "404",
            "model_not_found",
            "does not know model 'creative-m'. Fix: MOLDOVA_LLM_CREATIVE=<provider>/<model>",
        ),
    ],
)
def test_configuration_errors_of_the_primary_stop_the_run_in_seconds(
    server, dirs, kind, error_class, needle, capfd
):
    # a store holding an earlier, finished persona: the stop loses nothing of it
    first = narrate_cores(make_cores(1), chaos_settings(server, dirs, fallback_order=["creative"]))
    assert first.column("status").to_pylist() == ["ok"]
    server.reset()
    server.set_faults("creative-m", sticky={"kind": kind})
    s = chaos_settings(server, dirs, max_concurrency=8, call_retries=4, progress=True)
    started = time.perf_counter()
    with pytest.raises(NarrationStopped) as info:
        narrate_cores(make_cores(40), s)
    assert time.perf_counter() - started < 5
    msg = str(info.value)
    assert msg.startswith("Narration stopped: alias 'creative' (openai/creative-m at http://127.0.0.1:")
    assert needle in msg and "\n" not in msg
    # not retried, not handed to a fallback: at most the calls already in flight reached the server
    reqs = server.requests()
    assert 1 <= len(reqs) <= 8 and {r["model"] for r in reqs} == {"creative-m"}
    err = capfd.readouterr().err
    assert "provider summary" in err and f"first {error_class}: " in err
    assert error_class in {x["error_class"] for x in log_lines(dirs)}
    # the earlier persona is still served from the store, without a request
    server.reset()
    again = narrate_cores(make_cores(1), chaos_settings(server, dirs, fallback_order=["creative"]))
    assert again.column("status").to_pylist() == ["ok"] and server.requests() == []


def test_unresolvable_host_stops_the_run_in_seconds(server, dirs):
    s = chaos_settings(
        server, dirs, creative=alias(server, "creative-m", api_base=unresolvable_url()), max_concurrency=4
    )
    started = time.perf_counter()
    with pytest.raises(NarrationStopped) as info:
        narrate_cores(make_cores(10), s)
    assert time.perf_counter() - started < 5
    msg = str(info.value)
    assert "host 'moldova-personas-no-such-host.invalid' does not resolve (DNS)" in msg
    assert "Fix: MOLDOVA_LLM_API_BASE (or MOLDOVA_LLM_CREATIVE_API_BASE)" in msg
    assert server.requests() == []  # balanced was never used as a cover for the broken primary
    assert {x["error_class"] for x in log_lines(dirs)} == {"dns"}


def test_a_broken_fallback_leaves_the_chain(server, dirs):
    server.set_faults("creative-m", sticky={"kind": "500"})
    server.set_faults("balanced-m", sticky={"kind": "401"})
    t = narrate_cores(make_cores(4), chaos_settings(server, dirs, allowed_fails=10, call_retries=0))
    assert set(t.column("model_used").to_pylist()) == {"openai/fast-m"}
    assert by_model(server)["balanced-m"] == 1  # tried once, then out for the rest of the run


def test_non_romanian_text_fails_language_validation(server, dirs):
    server.set_faults("creative-m", sticky={"kind": "russian"})
    s = chaos_settings(server, dirs, fallback_order=["creative"], max_attempts=2)
    row = narrate_cores(make_cores(1), s).to_pylist()[0]
    assert row["status"] == "failed_validation" and row["attempts"] == 2
    assert "language" in row["failure_reason"]
    reqs = server.requests()
    assert [r["kind"] for r in reqs] == ["russian", "russian"]
    assert reqs[1]["repair_hint"] and "română" in reqs[1]["repair_hint"]
    assert [(x["status"], x["error_class"]) for x in log_lines(dirs)] == [
        ("repair", "validation"),
        ("fail", "validation"),
    ]


def test_slow_answers_time_out_retry_per_policy_and_log_each_attempt(server, dirs):
    # only creative in the chain: each call times out (0.5 s) and is retried call_retries=2 times
    server.set_faults("creative-m", sticky={"kind": "slow", "seconds": 3})
    s = chaos_settings(
        server, dirs, timeout=0.5, fallback_order=["creative"], call_retries=2, allowed_fails=5
    )
    started = time.perf_counter()
    row = narrate_cores(make_cores(1), s).to_pylist()[0]
    assert time.perf_counter() - started < 6
    assert row["status"] == "failed_call" and row["failure_reason"].startswith("timeout: Timeout")
    reqs = server.requests()
    assert len(reqs) == 3 and len({r["hash"] for r in reqs}) == 1  # 1 + 2 retries of the same prompt
    lines = log_lines(dirs)
    assert [(x["attempt"], x["status"], x["error_class"]) for x in lines] == [
        (1, "error", "timeout"),
        (2, "error", "timeout"),
        (3, "fail", "timeout"),
    ]
    assert all(x["latency_ms"] >= 450 and "Timeout" in x["error"] for x in lines)


def test_no_offline_personas_without_the_opt_in(server, dirs):
    server.set_faults("*", sticky={"kind": "slow", "seconds": 3})
    s = chaos_settings(server, dirs, timeout=0.5, allowed_fails=5, call_retries=1)
    rows = narrate_cores(make_cores(2), s).to_pylist()
    assert [r["status"] for r in rows] == ["failed_call"] * 2
    assert all(r["persona"] is None and r["model_used"] is None for r in rows)
    assert all(r["primary_model"] == "openai/creative-m" for r in rows)
    # every alias, every round: 2 personas x 3 aliases x (1 + 1 retry), each a logged failure
    assert by_model(server) == Counter({"creative-m": 4, "balanced-m": 4, "fast-m": 4})
    lines = log_lines(dirs)
    assert len(lines) == 12 and Counter(x["status"] for x in lines) == Counter({"error": 10, "fail": 2})
    assert "offline/narrator" not in {x["model"] for x in lines}


def test_offline_fallback_only_with_the_opt_in_and_it_says_so(server, dirs, capfd):
    server.set_faults("*", sticky={"kind": "slow", "seconds": 3})
    s = chaos_settings(
        server, dirs, timeout=0.5, allowed_fails=5, call_retries=0, allow_offline_fallback=True, progress=True
    )
    rows = narrate_cores(make_cores(2), s).to_pylist()
    assert [r["model_used"] for r in rows] == ["offline/narrator"] * 2
    assert [r["primary_model"] for r in rows] == ["openai/creative-m"] * 2
    assert {r["status"] for r in rows} <= {"ok", "failed_validation"} and all(r["persona"] for r in rows)
    assert by_model(server) == Counter({"creative-m": 2, "balanced-m": 2, "fast-m": 2})
    lines = log_lines(dirs)
    assert Counter(x["error_class"] for x in lines if x["status"] == "error") == Counter({"timeout": 6})
    mart = attempts_mart(dirs["log_dir"])
    assert Counter(m["model"] for m in mart if m["status"] != "error") == Counter({"offline/narrator": 2})
    err = capfd.readouterr().err
    assert (
        "offline (offline/narrator): 2 calls, 2 answered" in err and "answered 2 calls as a fallback" in err
    )


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
    assert {x["error_class"] for x in log_lines(dirs)} == {"parse"}


def test_flapping_primary_keeps_serving_its_successful_half(server, dirs, capfd):
    """A server failing every other call for a window (scaled down from the 2 minutes of the issue; run
    `python bench/flapping_server.py` for the full length) at concurrency 8: the run completes, most
    personas are written by the primary, every failure is logged with its class, the summary says so."""
    server.delay = 0.05
    window = 6.0
    server.set_faults("creative-m", sticky={"kind": "flap", "fail": "500", "every": 2, "window_s": window})
    s = chaos_settings(server, dirs, max_concurrency=8, backoff_base_s=0.2, progress=True)
    n = 200
    started = time.perf_counter()
    t = narrate_cores(make_cores(n), s)
    assert time.perf_counter() - started > window * 0.5  # the window was really lived through
    rows = t.to_pylist()
    assert len(rows) == n
    models = Counter(r["model_used"] for r in rows)
    assert models["openai/creative-m"] >= 0.9 * n, models
    reqs = [r for r in server.requests() if r["model"] == "creative-m"]
    failed = [r for r in reqs if r["kind"] == "500"]
    assert len(failed) >= 20  # the primary kept getting traffic through the window
    lines = log_lines(dirs)
    errors = [x for x in lines if x["status"] in ("error", "fail") and x["error_class"] == "server_error"]
    assert len(errors) == len(failed)  # every failed call is its own row, with its class
    err = capfd.readouterr().err
    summary = next(line for line in err.splitlines() if line.startswith("  creative (openai/creative-m)"))
    assert (
        f"{len(reqs)} calls, {len(reqs) - len(failed)} answered, failures: server_error {len(failed)}"
        in summary
    )


def test_full_degradation_path_accounts_for_every_persona(server, dirs):
    server.set_faults("creative-m", sticky={"kind": "500"})
    server.set_faults("balanced-m", sticky={"kind": "slow", "seconds": 3})
    server.set_faults("fast-m", sticky={"kind": "429", "retry_after": 5})
    cores = make_cores(8)
    s = chaos_settings(
        server,
        dirs,
        timeout=0.5,
        max_concurrency=2,
        allowed_fails=1,
        call_retries=0,
        allow_offline_fallback=True,
    )
    t = narrate_cores(cores, s)
    ids = t.column("persona_id").to_pylist()
    assert sorted(ids) == sorted(c["persona_id"] for c in cores) and len(set(ids)) == 8
    assert set(t.column("model_used").to_pylist()) == {"offline/narrator"}
    assert set(t.column("status").to_pylist()) <= {"ok", "failed_validation"}
    assert all(t.column("persona").to_pylist())
    calls = by_model(server)
    # breakers open after 2 consecutive failures each: most personas skip the dead aliases
    assert set(calls) == {"creative-m", "balanced-m", "fast-m"}
    assert all(n <= 4 for n in calls.values()), calls
    mart = attempts_mart(dirs["log_dir"])
    assert sorted(m["persona_id"] for m in mart if m["status"] != "error") == sorted(ids)
    assert sum(m["status"] == "error" for m in mart) == sum(calls.values())  # each failed call a row
    assert {m["model"] for m in mart if m["status"] != "error"} == {"offline/narrator"}


def test_an_outage_costs_time_not_personas(server, dirs):
    # the only alias answers 503 to its next 6 requests: its breaker opens, calls wait for its probes
    # instead of failing, and once it recovers every persona is written by it
    server.set_faults("creative-m", faults=[{"kind": "503"}] * 6)
    s = chaos_settings(
        server, dirs, fallback_order=["creative"], max_concurrency=4, allowed_fails=1, cooldown_time_s=0.5
    )
    t = narrate_cores(make_cores(8), s)
    assert set(t.column("status").to_pylist()) == {"ok"}
    assert set(t.column("model_used").to_pylist()) == {"openai/creative-m"}
    failed = [r for r in server.requests() if r["kind"] == "503"]
    assert len(failed) == 6
    assert len([x for x in log_lines(dirs) if x["error_class"] == "server_error"]) == len(failed)


def test_nothing_answering_for_stall_abort_s_stops_the_run(server, dirs):
    server.set_faults("creative-m", sticky={"kind": "hang"})
    s = chaos_settings(
        server,
        dirs,
        timeout=0.3,
        fallback_order=["creative"],
        max_concurrency=4,
        allowed_fails=0,
        cooldown_time_s=0.5,
        stall_abort_s=2,
    )
    started = time.perf_counter()
    with pytest.raises(NarrationStopped) as info:
        narrate_cores(make_cores(8), s)
    assert time.perf_counter() - started < 8
    msg = str(info.value)
    assert (
        "no alias of the chain answered for 2 s (stall_abort_s), every breaker open; failures so far: timeout"
        in msg
    )
    assert "alias 'creative' (openai/creative-m) seems down" in msg and "Resume:" in msg
