"""Every provider example of the README's "Using a real LLM" block works as written: the provider's
usual key variable is sent (api_base or not), the model name reaches the server.

The examples are read from README.md itself (each `export` line), so a new or edited example is tested
as it stands. A hosted provider cannot be reached here: its example also gets MOLDOVA_LLM_API_BASE
pointing at the local fake server (which records the Authorization header); an example that sets its own
api_base gets it replaced by the fake server's. Keys written `...` in the README become test values.
"""

from __future__ import annotations

import re
import shlex

import pytest
from conftest import ROOT, make_cores

from moldova_personas.narration.runtime import narrate_cores
from moldova_personas.narration.settings import MissingApiKeyError, load_settings


def readme_examples() -> list[tuple[str, dict[str, str]]]:
    """(comment above, variables) of every `export` line of the README's real-LLM code block."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Using a real LLM", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    examples, label = [], ""
    for line in block.splitlines():
        if line.startswith("#"):
            label = line.lstrip("# ").strip()
        elif line.startswith("export "):
            pairs = [word.split("=", 1) for word in shlex.split(line)[1:]]
            examples.append((label, dict(pairs)))
    return examples


EXAMPLES = readme_examples()


def test_the_readme_has_the_provider_examples():
    labels = [label for label, _ in EXAMPLES]
    assert len(EXAMPLES) >= 4 and any("OpenAI" in x for x in labels) and any("vLLM" in x for x in labels)


def _clean_env(monkeypatch):
    import os

    for name in list(os.environ):
        if name.startswith("MOLDOVA_LLM_") or name.endswith("_API_KEY"):
            monkeypatch.delenv(name)


@pytest.mark.parametrize(("label", "variables"), EXAMPLES, ids=[label for label, _ in EXAMPLES])
def test_readme_example_sends_the_providers_key(label, variables, server, dirs, monkeypatch):
    _clean_env(monkeypatch)
    keys = {}
    for name, value in variables.items():
        if name == "MOLDOVA_LLM_API_BASE":
            value = server.url
        elif value == "...":
            value = keys[name] = f"sk-readme-{name.lower()}-0123456789"
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("MOLDOVA_LLM_API_BASE", server.url)  # hosted examples: the fake server stands in
    model = variables["MOLDOVA_LLM_CREATIVE"]
    rows = narrate_cores(make_cores(1), {**dirs, "progress": False, "max_attempts": 1}).to_pylist()
    assert rows[0]["model_used"] == model and rows[0]["status"] == "ok", rows[0]["failure_reason"]
    [request] = server.requests()
    assert request["model"] == model.split("/", 1)[1]
    if keys:  # the example names its key variable: that key is what the server receives
        [key] = keys.values()
        assert request["auth"] == f"Bearer {key}"
    else:  # a local server: no key needed; the provider's usual variable is sent when it is set
        assert request["auth"] == "Bearer no-key"
        server.reset()
        monkeypatch.setenv("OPENAI_API_KEY", "sk-readme-openai-for-a-hosted-base-0123")
        narrate_cores(make_cores(2)[1:], {**dirs, "progress": False, "max_attempts": 1})
        assert [r["auth"] for r in server.requests()] == ["Bearer sk-readme-openai-for-a-hosted-base-0123"]


@pytest.mark.parametrize(("label", "variables"), EXAMPLES, ids=[label for label, _ in EXAMPLES])
def test_readme_example_without_its_key_says_which_variable(label, variables, monkeypatch):
    _clean_env(monkeypatch)
    for name, value in variables.items():
        if value != "...":
            monkeypatch.setenv(name, value)
    settings = load_settings({})
    missing = [name for name, value in variables.items() if value == "..."]
    if missing and "MOLDOVA_LLM_API_BASE" not in variables:  # a hosted provider: its key is required
        with pytest.raises(MissingApiKeyError, match=f"export {missing[0]}=<your key>"):
            settings.check_keys()
    else:
        settings.check_keys()  # a local server runs without a key
