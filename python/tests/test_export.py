"""Export formats: the compat columns are exactly the reference list; the dataset card is valid."""

from __future__ import annotations

import re

import pyarrow as pa
import pytest
import yaml
from conftest import ROOT
from fixtures_db import built_1k_db  # noqa: F401 (pytest fixture)

from moldova_personas.release.export import (
    COMPAT_COLUMNS,
    EXTENDED_COLUMNS,
    MODEL_LICENCES,
    REFERENCE_COLUMNS,
    dataset_card,
    gate_problems,
    licence_of,
    model_counts,
)


def test_compat_columns_equal_the_reference_schema_table():
    doc = (ROOT / "docs" / "reference_schema.md").read_text(encoding="utf-8")
    table = re.findall(r"^\| (\d+) \| (\w+) \| (\w+)", doc, flags=re.M)
    assert tuple(name for _, name, _ in table) == REFERENCE_COLUMNS
    assert (*REFERENCE_COLUMNS, "ocean_profile") == COMPAT_COLUMNS
    assert EXTENDED_COLUMNS[: len(COMPAT_COLUMNS)] == COMPAT_COLUMNS
    assert set(EXTENDED_COLUMNS[len(COMPAT_COLUMNS) :]) == {
        "locality",
        "residence_type",
        "region",
        "ethnicity",
        "religion",
        "mother_tongue",
        "age_group",
        "first_name",
        "last_name",
    }


def test_dataset_card_has_a_yaml_header_and_licences():
    stats = {
        "tier": "tier_1k",
        "seed": 42,
        "record_count": 1000,
        "distributions": {
            "sex": [
                {"category": "female", "n_personas": 539, "observed_share": 0.539, "expected_share": 0.539}
            ]
        },
    }
    card = dataset_card(stats, {"models_used": "offline/narrator"}, {"dataset_license": "cc-by-4.0"})
    header = yaml.safe_load(card.split("---")[1])
    assert header["license"] == "cc-by-4.0" and header["language"] == ["ro"]
    info = {c["config_name"]: [f["name"] for f in c["features"]] for c in header["dataset_info"]}
    assert info == {"schema_compat": list(COMPAT_COLUMNS), "moldova_extended_public": list(EXTENDED_COLUMNS)}
    assert "offline/narrator" in card and "Known limitations" in card and "53.90%" in card


def test_every_card_config_uses_one_format():
    """datasets builds one loader per folder: a parquet config next to JSON ones breaks load_dataset."""
    stats = {"tier": "tier_1k", "seed": 42, "record_count": 10, "distributions": {}}
    header = yaml.safe_load(dataset_card(stats, {"models_used": ""}, {}).split("---")[1])
    files = [c["data_files"] for c in header["configs"]]
    assert {f.rsplit(".", 1)[1] for f in files} == {"jsonl"}
    assert [c["config_name"] for c in header["configs"] if c.get("default")] == ["moldova_extended_public"]


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("offline/narrator", "offline narrator"),
        # an OpenAI-compatible local server: the prefix says nothing about the model's vendor
        ("openai/gemma-3-270m", "Gemma Terms of Use"),
        ("hosted_vllm/Qwen/Qwen2.5-7B-Instruct", "Qwen"),
        ("openai/gpt-4o-mini", "OpenAI terms of use"),
        ("dashscope/qwen-turbo", "Qwen"),
        ("ollama_chat/llama3.1:8b", "Llama"),
        ("anthropic/claude-3-5-haiku", "Anthropic"),
    ],
)
def test_licence_follows_the_model_family_not_the_provider_prefix(model, expected):
    assert expected in licence_of(model)


@pytest.mark.parametrize("model", ["openai/my-finetune", "hosted_vllm/local-model", "", None])
def test_unknown_model_says_unknown_not_another_vendor(model):
    assert licence_of(model) == MODEL_LICENCES["unknown"] == "unknown — check the provider's terms"


def test_card_and_counts_name_who_wrote_how_many():
    models = model_counts(
        pa.Table.from_pylist(
            [
                {
                    "model_used": "openai/gemma-3-270m",
                    "is_primary_model": True,
                    "n_personas": 7,
                    "n_failed": 1,
                },
                {"model_used": "offline/narrator", "is_primary_model": False, "n_personas": 3, "n_failed": 0},
                {"model_used": "openai/x", "is_primary_model": False, "n_personas": 0, "n_failed": 2},
            ]
        )
    )
    assert [(m["model"], m["n_personas"], m["share"]) for m in models] == [
        ("openai/gemma-3-270m", 7, 0.7),
        ("offline/narrator", 3, 0.3),
    ]
    stats = {"tier": "tier_1k", "seed": 42, "record_count": 10, "distributions": {}}
    cand = {"models_used": "openai/gemma-3-270m, offline/narrator", "primary_model": "openai/gemma-3-270m"}
    card = dataset_card(stats, cand, {}, models)
    assert "`openai/gemma-3-270m` (7 personas, 70.0%), `offline/narrator` (3 personas, 30.0%)" in card
    assert "| `openai/gemma-3-270m` | 7 | 70.0% | primary | Gemma Terms of Use" in card
    assert "| `offline/narrator` | 3 | 30.0% | fallback | moldova-personas offline narrator" in card
    assert "OpenAI terms" not in card


def test_gate_problems_name_counts_and_the_retry_command():
    cand = {
        "tier": "tier_25k",
        "n_failed_personas": 3,
        "n_tier_personas": 1000,
        "non_primary_share": 0.2,
        "primary_model": "a/b",
    }
    settings = {
        "max_failed_personas": "0",
        "max_non_primary_share": "0.05",
        "renarrate_command": "make renarrate STATUS=failed",
    }
    problems = gate_problems(cand, settings)
    assert problems[0].startswith("3 of 1000 personas have no validated narration (allowed 0")
    assert (
        "20.0% of the published personas were written by a model other than the configured primary a/b"
        in (problems[1])
    )
    assert "retry them: `make renarrate STATUS=failed`, then `make tier TIER=tier_25k`" in problems[0]
    assert "then `make tier TIER=tier_25k` narrates them again with the primary" in problems[1]
    relaxed = {"max_failed_personas": "3", "max_non_primary_share": "0.2"}
    assert gate_problems(cand, relaxed) == []


CARD_TABLE = re.compile(r"^\*\*(\w+)\*\*\n\n\| category \| personas .*?\n\|---.*?\n((?:\|.*\n)+)", re.M)


def _card_tables(card: str) -> dict[str, dict[str, int]]:
    """The card's distribution tables: {dimension: {category: personas}}."""
    tables: dict[str, dict[str, int]] = {}
    for dimension, body in CARD_TABLE.findall(card):
        rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in body.strip().splitlines()]
        tables[dimension] = {cells[0]: int(cells[1]) for cells in rows if int(cells[1]) > 0}
    return tables


def test_card_distributions_are_value_counts_of_the_published_file(built_1k_db):  # noqa: F811
    import pandas as pd

    from moldova_personas.release.export import CARD_DISTRIBUTIONS

    release = built_1k_db.parent / "releases" / "tier_1k" / "current"
    published = pd.read_parquet(release / "moldova_extended_public.parquet")
    tables = _card_tables((release / "README.md").read_text(encoding="utf-8"))
    assert set(tables) == set(CARD_DISTRIBUTIONS)
    for dimension in CARD_DISTRIBUTIONS:
        counts = published[dimension].value_counts().to_dict()
        assert counts == tables[dimension], dimension
    # one value per category: no gendered twins such as 'căsătorit' / 'căsătorită'
    assert published["marital_status"].nunique() <= 4
    assert published["ethnicity"].nunique() <= 8


def test_offline_release_says_it_is_template_text_with_its_reuse(built_1k_db):  # noqa: F811
    import json

    from moldova_personas.release.export import TEMPLATE_NOTICE

    release = built_1k_db.parent / "releases" / "tier_1k" / "current"
    origin = json.loads((release / "metadata.json").read_text(encoding="utf-8"))["text_origin"]
    assert origin["is_template_text"] is True and origin["notice"] == TEMPLATE_NOTICE
    assert origin["shared_sentence_share"] > 0.30  # the measured reuse travels with the label
    card = (release / "README.md").read_text(encoding="utf-8")
    assert "Template text for pipeline testing, not for model training." in card
    statistics = json.loads((release / "statistics.json").read_text(encoding="utf-8"))
    assert statistics["text_origin"] == origin
