"""Router, providers and attempt log over real HTTP (fake server) and the offline CustomLLM."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from conftest import make_cores

from moldova_personas.narration.attempt_log import SPEC_KEYS
from moldova_personas.narration.runtime import narrate_cores
from moldova_personas.narration.settings import MissingApiKeyError, load_settings

KEY = "sk-test-SECRET-0123456789abcdef"


def fake_settings(server, dirs, **kw):
    def alias(name):
        return {
            "model": f"openai/{name}",
            "api_base": server.url,
            "api_key_env": "MOLDOVA_FAKE_KEY",
            "timeout_s": 3,
        }

    base = {
        "creative": alias("creative-m"),
        "balanced": alias("balanced-m"),
        "fast": alias("fast-m"),
        "cooldown_time_s": 2,
        "backoff_base_s": 0.05,
        "progress": False,
        "max_concurrency": 1,
        "max_attempts": 1,
        **dirs,
    }
    base.update(kw)
    return base


def log_lines(dirs):
    return [json.loads(x) for p in Path(dirs["log_dir"]).glob("*.jsonl") for x in p.read_text().splitlines()]


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("MOLDOVA_FAKE_KEY", KEY)


def test_offline_50_cores_through_router(dirs):
    cores = make_cores(50)
    t = narrate_cores(cores, {**dirs, "progress": False, "max_concurrency": 8})
    assert t.num_rows == 50
    rows = t.to_pylist()
    assert {r["model_used"] for r in rows} == {"offline/narrator"}
    assert all(r["prompt_tokens"] > 100 and r["completion_tokens"] > 100 for r in rows)
    assert sum(r["status"] == "ok" for r in rows) >= 40, [
        r["failure_reason"] for r in rows if r["status"] != "ok"
    ]
    assert all(r["opening_move"] for r in rows)
    # deterministic: same cores + seed -> same text (fresh state dir so nothing is cached)
    again = narrate_cores(
        cores[:5], {"state_dir": dirs["state_dir"] + "2", "log_dir": dirs["log_dir"], "progress": False}
    )
    assert again.column("persona").to_pylist() == t.column("persona").to_pylist()[:5] or sorted(
        again.column("persona").to_pylist()
    ) == sorted(r["persona"] for r in rows if r["persona_id"] in {c["persona_id"] for c in cores[:5]})


def test_fake_server_provider_logs_latency_tokens(server, dirs):
    t = narrate_cores(make_cores(3), fake_settings(server, dirs, max_concurrency=3))
    assert set(t.column("model_used").to_pylist()) == {"openai/creative-m"}
    lines = log_lines(dirs)
    assert len(lines) >= 3
    for line in lines:
        assert list(line)[: len(SPEC_KEYS)] == list(SPEC_KEYS)
        assert line["latency_ms"] > 0 and line["prompt_tokens"] > 0 and line["completion_tokens"] > 0
    assert {r["model"] for r in server.requests()} == {"creative-m"}


def test_missing_key_is_a_clear_error(monkeypatch, dirs, server):
    monkeypatch.delenv("MOLDOVA_FAKE_KEY")
    with pytest.raises(MissingApiKeyError, match="MOLDOVA_FAKE_KEY"):
        narrate_cores(make_cores(1), fake_settings(server, dirs))
    assert server.requests() == []


def test_env_selects_provider(monkeypatch):
    monkeypatch.setenv("MOLDOVA_LLM_CREATIVE", "dashscope/qwen-turbo")
    monkeypatch.setenv("MOLDOVA_LLM_FAST", "openai/qwen2.5")
    monkeypatch.setenv("MOLDOVA_LLM_FAST_API_BASE", "http://127.0.0.1:8000/v1")
    s = load_settings({})
    assert s.creative.api_key_env == "DASHSCOPE_API_KEY" and s.fast.api_key_env is None
    assert s.balanced.model == "offline/narrator"
    monkeypatch.delenv("DASHSCOPE_API_KEY", raising=False)
    with pytest.raises(MissingApiKeyError, match="DASHSCOPE_API_KEY"):
        s.check_keys()


def test_circuit_breaker_fallback_chain_and_recovery(server, dirs):
    server.set_faults("creative-m", sticky={"kind": "500"})
    t = narrate_cores(make_cores(6), fake_settings(server, dirs))
    assert set(t.column("model_used").to_pylist()) == {"openai/balanced-m"}
    creative_calls = [r for r in server.requests() if r["model"] == "creative-m"]
    assert len(creative_calls) == 2  # allowed_fails=1: the 2nd failure opens the breaker
    server.set_faults("balanced-m", sticky={"kind": "500"})
    t = narrate_cores(make_cores(9)[6:], fake_settings(server, dirs))
    assert set(t.column("model_used").to_pylist()) == {"openai/fast-m"}
    server.set_faults("fast-m", sticky={"kind": "429", "retry_after": 0})
    t = narrate_cores(make_cores(11)[9:], fake_settings(server, dirs))
    assert set(t.column("model_used").to_pylist()) == {"offline/narrator"}
    assert set(t.column("status").to_pylist()) <= {"ok", "failed_validation"}
    # recovery: faults cleared, cooldown (2 s) expires, the primary answers again
    server.reset()
    time.sleep(2.3)
    t = narrate_cores(make_cores(13)[11:], fake_settings(server, dirs))
    assert set(t.column("model_used").to_pylist()) == {"openai/creative-m"}


def test_timeout_and_connection_errors_fall_back(server, dirs):
    server.set_faults(
        "creative-m", faults=[{"kind": "slow", "seconds": 5}, {"kind": "reset"}, {"kind": "malformed"}]
    )
    t = narrate_cores(
        make_cores(3),
        fake_settings(
            server,
            dirs,
            creative={
                "model": "openai/creative-m",
                "api_base": server.url,
                "api_key_env": "MOLDOVA_FAKE_KEY",
                "timeout_s": 1,
            },
            allowed_fails=5,
        ),
    )
    assert t.num_rows == 3
    assert set(t.column("model_used").to_pylist()) <= {"openai/balanced-m", "openai/creative-m"}
    assert "openai/balanced-m" in t.column("model_used").to_pylist()


def test_429_retry_after_is_respected(server, dirs):
    server.set_faults("creative-m", faults=[{"kind": "429", "retry_after": 1.2}])
    s = fake_settings(server, dirs, fallback_order=["creative"], backoff_base_s=0.01)
    started = time.perf_counter()
    t = narrate_cores(make_cores(1), s)
    elapsed = time.perf_counter() - started
    assert t.column("model_used").to_pylist() == ["openai/creative-m"]
    reqs = server.requests()
    assert [r["kind"] for r in reqs][:2] == ["429", "ok"]
    assert reqs[1]["ts"] - reqs[0]["ts"] >= 1.15
    assert elapsed >= 1.2


def test_unrecoverable_call_keeps_row(server, dirs):
    server.set_faults("creative-m", sticky={"kind": "401"})
    s = fake_settings(server, dirs, fallback_order=["creative"], call_retries=1)
    t = narrate_cores(make_cores(2), s)
    rows = t.to_pylist()
    assert [r["status"] for r in rows] == ["failed_call", "failed_call"]
    assert all(r["persona"] is None and r["failure_reason"] for r in rows)


def test_secret_never_written(server, dirs):
    # the server echoes the key in its 401 message: it must be masked in logs, rows and state
    server.set_faults("creative-m", sticky={"kind": "401"})
    narrate_cores(make_cores(2), fake_settings(server, dirs, allowed_fails=5))  # falls back, succeeds
    t = narrate_cores(
        make_cores(4)[2:], fake_settings(server, dirs, fallback_order=["creative"], call_retries=0)
    )
    assert set(t.column("status").to_pylist()) == {"failed_call"}
    assert KEY not in json.dumps(t.to_pylist(), default=str)
    files = [
        f
        for f in list(Path(dirs["log_dir"]).rglob("*")) + list(Path(dirs["state_dir"]).rglob("*"))
        if f.is_file()
    ]
    assert len(files) >= 2
    for f in files:
        assert KEY.encode() not in f.read_bytes(), f
    errors = [line["error"] for line in log_lines(dirs) if line["status"] == "fail"]
    assert errors and all("401" in e or "uthentication" in e for e in errors)
    assert all("[SECRET]" in e or "[API_KEY]" in e for e in errors), errors


def test_comma_separated_api_base_is_a_load_balanced_pool(fake_server):
    """Two servers behind one alias: the Router spreads calls over both (scale-out against a pool)."""
    from moldova_personas.narration.llm import build_router
    from moldova_personas.narration.settings import load_settings

    url = fake_server.url
    settings = load_settings(
        {"progress": False},
        env={"MOLDOVA_LLM_CREATIVE": "openai/pool-model", "MOLDOVA_LLM_API_BASE": f"{url},{url}/"},
    )
    router = build_router(settings)
    pool = [d for d in router.model_list if d["model_name"] == "creative"]
    assert len(pool) == 2
    assert {d["litellm_params"]["api_base"] for d in pool} == {url, f"{url}/"}
    assert len({d["model_info"]["id"] for d in pool}) == 2


def test_cost_from_configured_and_litellm_prices(server, dirs):
    """A configured price is applied per token (llm._own_price_cost); a model in litellm's price map keeps
    litellm's own cost calculation. Both over real HTTP; the rows and the attempt log agree."""
    import litellm

    priced = fake_settings(server, dirs)
    priced["creative"] = {
        **priced["creative"],
        "price_per_1k_prompt_usd": 0.5,
        "price_per_1k_completion_usd": 1.5,
    }
    row = narrate_cores(make_cores(1), priced).to_pylist()[0]
    assert row["model_used"] == "openai/creative-m"
    expected = row["prompt_tokens"] * 0.5 / 1000 + row["completion_tokens"] * 1.5 / 1000
    assert row["cost_usd"] == pytest.approx(expected, rel=1e-6) and expected > 0
    assert log_lines(dirs)[-1]["cost_usd"] == pytest.approx(expected, rel=1e-6)

    known = fake_settings(server, {k: f"{v}/known" for k, v in dirs.items()})
    known["creative"] = {**known["creative"], "model": "openai/gpt-4o-mini"}
    row = narrate_cores(make_cores(1, seed=3), known).to_pylist()[0]
    info = litellm.get_model_info("gpt-4o-mini")
    expected = (
        row["prompt_tokens"] * info["input_cost_per_token"]
        + row["completion_tokens"] * info["output_cost_per_token"]
    )
    assert row["cost_usd"] == pytest.approx(expected, rel=1e-6) and expected > 0
