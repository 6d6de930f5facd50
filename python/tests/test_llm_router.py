"""The gateway (fallbacks, breakers, backoff, error classes, prices), providers and attempt log over real
HTTP through litellm (fake server), and the offline CustomLLM."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from conftest import make_cores

from moldova_personas.narration import llm
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


def test_offline_50_cores_through_the_gateway(dirs):
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
    assert s.creative.api_key_env == "DASHSCOPE_API_KEY" and s.creative.needs_key
    # an api_base: the provider's usual variable is sent when set, and may be unset (a local server)
    assert s.fast.api_key_env == "OPENAI_API_KEY" and not s.fast.needs_key
    assert s.balanced.model == "offline/narrator"
    assert s.chain() == ["creative", "fast"]  # offline aliases leave the chain of a real provider
    assert load_settings({"allow_offline_fallback": True}).chain() == [
        "creative",
        "balanced",
        "fast",
        "offline",
    ]
    monkeypatch.delenv("DASHSCOPE_API_KEY", raising=False)
    with pytest.raises(MissingApiKeyError, match="DASHSCOPE_API_KEY"):
        s.check_keys()


def test_circuit_breaker_fallback_chain_and_recovery(server, dirs):
    # allowed_fails=1: the 2nd consecutive failure opens creative's breaker; balanced answers meanwhile
    s = fake_settings(server, dirs, allowed_fails=1)
    server.set_faults("creative-m", sticky={"kind": "500"})
    t = narrate_cores(make_cores(6), s)
    assert set(t.column("model_used").to_pylist()) == {"openai/balanced-m"}
    assert set(t.column("primary_model").to_pylist()) == {"openai/creative-m"}
    creative_calls = [r for r in server.requests() if r["model"] == "creative-m"]
    assert len(creative_calls) == 2
    server.set_faults("balanced-m", sticky={"kind": "500"})
    t = narrate_cores(make_cores(9)[6:], s)
    assert set(t.column("model_used").to_pylist()) == {"openai/fast-m"}
    # the whole chain failing: with the opt-in the offline narrator writes the personas
    server.set_faults("fast-m", sticky={"kind": "429", "retry_after": 0})
    t = narrate_cores(make_cores(11)[9:], {**s, "allow_offline_fallback": True, "call_retries": 0})
    assert set(t.column("model_used").to_pylist()) == {"offline/narrator"}
    assert set(t.column("status").to_pylist()) <= {"ok", "failed_validation"}
    # recovery: faults cleared, cooldown (2 s) over, the primary gets its traffic back
    server.reset()
    time.sleep(2.3)
    t = narrate_cores(make_cores(13)[11:], s)
    assert set(t.column("model_used").to_pylist()) == {"openai/creative-m"}


def test_transient_errors_are_retried_on_the_primary_and_logged(server, dirs):
    # a timeout, a reset connection and a cut body, then answers: the primary keeps the persona, each
    # failed attempt is a row of the attempt log with its class
    server.set_faults(
        "creative-m", faults=[{"kind": "slow", "seconds": 5}, {"kind": "reset"}, {"kind": "malformed"}]
    )
    s = fake_settings(server, dirs, allowed_fails=5)
    s["creative"] = {**s["creative"], "timeout_s": 1}
    t = narrate_cores(make_cores(1), s)
    assert t.column("model_used").to_pylist() == ["openai/creative-m"]
    lines = log_lines(dirs)
    assert [(x["status"], x["error_class"]) for x in lines] == [
        ("error", "timeout"),
        ("error", "connection"),
        ("error", "bad_response"),
        ("success", None),
    ]
    assert [x["attempt"] for x in lines] == [1, 2, 3, 4]
    # spent retries hand the persona to the next alias
    server.set_faults("creative-m", sticky={"kind": "503"})
    t = narrate_cores(make_cores(2)[1:], fake_settings(server, dirs, allowed_fails=5, call_retries=1))
    assert t.column("model_used").to_pylist() == ["openai/balanced-m"]


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


def test_secret_never_written(server, dirs, capfd):
    # the server echoes the key in its 401 message: masked in the stop message, logs, rows and state
    from moldova_personas.narration.runtime import NarrationStopped

    server.set_faults("balanced-m", sticky={"kind": "401"})  # a broken fallback leaves the chain
    server.set_faults("creative-m", faults=[{"kind": "500"}] * 2)
    t = narrate_cores(
        make_cores(3), fake_settings(server, dirs, allowed_fails=5, call_retries=0, progress=True)
    )
    assert set(t.column("model_used").to_pylist()) <= {"openai/creative-m", "openai/fast-m"}
    server.set_faults("creative-m", sticky={"kind": "401"})
    with pytest.raises(NarrationStopped) as info:
        narrate_cores(make_cores(5)[3:], fake_settings(server, dirs, fallback_order=["creative"]))
    assert KEY not in str(info.value) and "401" not in str(info.value)
    assert "MOLDOVA_FAKE_KEY" in str(info.value)
    out = capfd.readouterr()
    assert KEY not in out.out + out.err and "taken out of the chain" in out.err
    files = [
        f
        for f in list(Path(dirs["log_dir"]).rglob("*")) + list(Path(dirs["state_dir"]).rglob("*"))
        if f.is_file()
    ]
    assert len(files) >= 2
    for f in files:
        assert KEY.encode() not in f.read_bytes(), f
    errors = [line["error"] for line in log_lines(dirs) if line["error_class"] == "auth"]
    assert errors and all("[SECRET]" in e or "[API_KEY]" in e for e in errors), errors


def test_comma_separated_api_base_is_a_pool_of_servers(server, dirs):
    """Two servers behind one alias: calls are spread over both (scale-out against a pool)."""
    from fake_openai_server import FakeOpenAIServer

    other = FakeOpenAIServer(delay=0.05).start()
    try:
        server.delay = 0.05
        s = fake_settings(server, dirs, max_concurrency=4, fallback_order=["creative"])
        s["creative"] = {**s["creative"], "api_base": f"{server.url},{other.url}"}
        t = narrate_cores(make_cores(12), s)
        assert set(t.column("status").to_pylist()) == {"ok"}
        mine, theirs = len(server.requests()), len(other.requests())
        assert mine + theirs == 12 and mine >= 3 and theirs >= 3, (mine, theirs)
    finally:
        other.stop()


def test_error_classes_over_http(server):
    """Every fault the fake server injects, as litellm raises it over HTTP, gets its class."""
    from fake_openai_server import closed_port_url, unresolvable_url

    s = load_settings(fake_settings(server, {}, call_retries=0))

    async def failing_class(kind: str | None, base: str | None = None, timeout: float = 3.0) -> str:
        if kind:
            server.set_faults("creative-m", faults=[{"kind": kind}])
        alias = s.creative.model_copy(update={"api_base": base or server.url, "timeout_s": timeout})
        deployment = llm.deployments_of("creative", alias, s)[0]
        try:
            await llm.litellm.acompletion(
                messages=[{"role": "user", "content": "x"}], **deployment.call_kwargs()
            )
        except Exception as exc:  # noqa: BLE001
            return llm.classify(exc)
        return "answered"

    cases = {
        "401": "auth",
        "403": "permission",
        "404": "model_not_found",
        "429": "rate_limit",
        "500": "server_error",
        "503": "server_error",
        "reset": "connection",
        "malformed": "bad_response",
        "garbage": "bad_response",
    }
    got = {kind: llm.run(failing_class(kind)) for kind in cases}
    assert got == cases
    assert llm.run(failing_class("hang", timeout=0.5)) == "timeout"
    assert llm.run(failing_class(None, base=closed_port_url())) == "connection"
    assert llm.run(failing_class(None, base=unresolvable_url())) == "dns"


def test_cost_from_configured_and_litellm_prices(server, dirs):
    """A configured price is applied per token (registered with litellm.register_model); a model in
    litellm's price map keeps litellm's own. Both over real HTTP; the rows and the attempt log agree."""
    import litellm

    priced = fake_settings(server, dirs)
    # a model name of its own: litellm's registered prices last for the process, so a shared name would
    # price the other tests' calls too
    priced["creative"] = {
        **priced["creative"],
        "model": "openai/priced-m",
        "price_per_1k_prompt_usd": 0.5,
        "price_per_1k_completion_usd": 1.5,
    }
    row = narrate_cores(make_cores(1), priced).to_pylist()[0]
    assert row["model_used"] == "openai/priced-m"
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
