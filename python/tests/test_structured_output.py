"""Structured output over real HTTP (fake server): what the provider is sent, field-level reasons in the
attempt log, settings from the environment, token counts from litellm's tokenizer."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import litellm
import pytest
from conftest import ROOT, fake_provider_settings, make_cores
from fake_openai_server import narrator_answer

from moldova_personas.narration import llm
from moldova_personas.narration.answer import SCHEMA_NAME, provider_schema
from moldova_personas.narration.planning import load_anchors, load_constraints, plan_persona
from moldova_personas.narration.prompts import render_messages
from moldova_personas.narration.runtime import narrate_cores
from moldova_personas.narration.settings import ModelAlias, load_settings

KEY = "sk-structured-0123456789abcdef"


def settings(server, dirs, **alias_kw):
    return fake_provider_settings(server, dirs, max_concurrency=1, progress=False, alias=alias_kw)


def planned(core):
    """The plan the runtime makes for `core` (seed 42, the project's anchor and constraint seeds)."""

    def rows(name):
        with open(ROOT / "seeds" / "narration" / name, encoding="utf-8") as fh:
            return list(csv.DictReader(fh))

    return plan_persona(
        core, load_anchors(rows("anchors.csv")), load_constraints(rows("constraints.csv")), seed=42
    )


def log_lines(dirs):
    lines = [json.loads(x) for p in Path(dirs["log_dir"]).glob("*.jsonl") for x in p.read_text().splitlines()]
    return sorted(lines, key=lambda x: x["attempt"])


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("MOLDOVA_FAKE_KEY", KEY)


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        (
            "schema",
            {
                "type": "json_schema",
                "json_schema": {"name": SCHEMA_NAME, "schema": provider_schema(), "strict": True},
            },
        ),
        ("json_object_schema", {"type": "json_object", "schema": provider_schema()}),
        ("json_object", {"type": "json_object"}),
        ("none", None),
    ],
)
def test_the_provider_gets_the_output_mode_it_is_configured_for(server, dirs, mode, expected):
    row = narrate_cores(make_cores(1), settings(server, dirs, output_mode=mode, max_tokens=3000)).to_pylist()[
        0
    ]
    assert row["status"] == "ok", row["failure_reason"]
    (req,) = server.requests()
    assert req["response_format"] == expected
    assert req["max_tokens"] == 3000
    assert "metadata" not in req["body_keys"]  # the offline narrator's spec never leaves the process


def test_auto_mode_follows_litellm_and_treats_a_local_server_as_unknown():
    known = "openai/gpt-4o-mini"
    assert litellm.supports_response_schema(model=known, custom_llm_provider=None)
    assert llm.output_mode_of(ModelAlias(model=known, api_key_env="OPENAI_API_KEY")) == "schema"
    unknown = "dashscope/qwen-turbo"
    assert not litellm.supports_response_schema(model=unknown, custom_llm_provider=None)
    assert llm.output_mode_of(ModelAlias(model=unknown, api_key_env="DASHSCOPE_API_KEY")) == "json_object"
    # the same model name served by a local OpenAI-compatible server: litellm cannot know that server
    local = ModelAlias(model=known, api_base="http://127.0.0.1:8000/v1")
    assert llm.output_mode_of(local) == "json_object"
    assert llm.output_mode_of(local.model_copy(update={"output_mode": "schema"})) == "schema"
    assert llm.output_mode_of(local.model_copy(update={"json_mode": False})) == "none"
    assert llm.output_mode_of(ModelAlias(output_mode="schema")) == "none"  # the offline narrator


def test_a_real_provider_sees_a_romanian_prompt_without_internal_data(server, dirs):
    core = make_cores(1)[0]
    narrate_cores([core], settings(server, dirs))
    (req,) = server.requests()
    messages, digest = render_messages(core, planned(core))
    assert req["hash"] == digest  # the server got exactly the rendered prompt
    text = "\n".join(m["content"] for m in messages)
    for internal in ("```", core["persona_id"], '"core"', "opening_move", "situational_hook", "openness"):
        assert internal not in text


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("missing", "unparseable completion (stop): missing: arts_persona, hobbies_and_interests_list"),
        ("extra", "unparseable completion (stop): extra: notes"),
        ("russian", "language: Romanian score < 0.9 in 10 field(s): "),
        ("huge", "validation failed: length: cultural_background "),
    ],
)
def test_field_level_reasons_reach_the_attempt_log(server, dirs, fault, reason):
    server.set_faults("creative-m", faults=[{"kind": fault}])
    row = narrate_cores(make_cores(1), settings(server, dirs)).to_pylist()[0]
    assert row["status"] == "ok" and row["attempts"] == 2
    first = log_lines(dirs)[0]
    assert first["status"] == "repair" and reason in first["error"], first["error"]
    if fault == "russian":
        assert first["error"].startswith("validation failed: ") and "0.00 (Cyrillic)" in first["error"]
    if fault == "huge":
        assert "> max 2800 (runaway)" in first["error"]


def test_settings_from_the_environment():
    env = {
        "MOLDOVA_LLM_CREATIVE": "openai/gemma-3-270m",
        "MOLDOVA_LLM_BALANCED": "dashscope/qwen-turbo",
        "MOLDOVA_LLM_API_BASE": "http://127.0.0.1:8000/v1",
        "MOLDOVA_LLM_BALANCED_API_BASE": "https://dashscope.example/v1",
        "MOLDOVA_LLM_OUTPUT_MODE": "json_object_schema",
        "MOLDOVA_LLM_BALANCED_OUTPUT_MODE": "none",
        "MOLDOVA_LLM_MAX_TOKENS": "2048",
        "MOLDOVA_LLM_TIMEOUT": "300",
        "MOLDOVA_LLM_MAX_CONCURRENCY": "1",
    }
    s = load_settings(env=env)
    assert (s.creative.output_mode, s.creative.max_tokens, s.creative.timeout_s) == (
        "json_object_schema",
        2048,
        300,
    )
    assert s.balanced.output_mode == "none" and s.max_concurrency == 1
    with pytest.raises(ValueError, match=r"MOLDOVA_LLM_OUTPUT_MODE='jsonschema' is not one of auto, schema"):
        load_settings(env={**env, "MOLDOVA_LLM_OUTPUT_MODE": "jsonschema"})
    with pytest.raises(ValueError, match=r"MOLDOVA_LLM_MAX_TOKENS='4k' must be a positive integer"):
        load_settings(env={**env, "MOLDOVA_LLM_MAX_TOKENS": "4k"})


def test_a_server_without_usage_gets_litellm_token_counts(server, dirs):
    server.set_faults("creative-m", faults=[{"kind": "no_usage"}])
    core = make_cores(1)[0]
    row = narrate_cores([core], settings(server, dirs)).to_pylist()[0]
    assert row["status"] == "ok" and row["attempts"] == 1
    messages, _ = render_messages(core, planned(core))
    content = json.dumps(narrator_answer(messages), ensure_ascii=False)  # what the server answered
    assert row["prompt_tokens"] == litellm.token_counter(model="openai/creative-m", messages=messages)
    assert row["completion_tokens"] == litellm.token_counter(
        model="openai/creative-m", text=content, count_response_tokens=True
    )
