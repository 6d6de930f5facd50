"""Published means validated, model shares, and a release that loads where users load it.

Real stack on a private copy of a built 1K database (fixtures_db.built_1k_db): dbt in a subprocess,
DuckDB, the promoted release folder, Hugging Face `datasets`, pandas.

1. build the release models: a release is promoted; a plain `dbt test` (every test of the project) then
   passes, the export relations read the promoted folder (not the `_staging` folder promotion moved);
2. `datasets.load_dataset(folder)` and `load_dataset(folder, config)` work for every config of the card;
   the CSV is UTF-8 with a byte-order mark for Excel, and pandas reads it either way;
3. two personas whose narration failed validation and 60 personas written by another model than the
   configured primary: the gate fails naming counts, reasons, ids and the retry command, nothing is
   exported and the previous release stays current; `dbt run` (no tests) refuses too and the export
   relations keep reading the current release; with the thresholds raised in vars, the release is
   promoted without the failed personas, and the card and metadata.json say which model wrote how many.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
import yaml
from dbt_helpers import run_dbt
from fixtures_db import built_1k_db, private_copy  # noqa: F401 (pytest fixture)

from moldova_personas.release.contract import current_release_id, verify

SELECT = [
    "--select",
    "fct_personas rpt_generation_models sensitive_claim_patterns release_baseline release_guards "
    "staging.safety staging.release marts.safety marts.release exports",
]
VARS = "{seed: 42}"
FAILED = {  # persona_index -> (reason, Russian text that failed the language validator)
    3: "language: 0.12 < 0.7 in cultural_background",
    7: "language: 0.12 < 0.7 in cultural_background",
}
RUSSIAN = "Он вырос в большой семье и говорит дома только по-русски."
OTHER_MODEL = "openai/gpt-4o-mini"
OTHER_RANGE = (100, 160)  # 60 personas: 6.0 % of the 998 published, above the default 5 %


def _views(db: Path) -> dict[str, str]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "select view_name, sql from duckdb_views() where view_name like 'export_%'"
        ).fetchall()
    return dict(rows)


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def released(built_1k_db, tmp_path_factory):  # noqa: F811
    work = tmp_path_factory.mktemp("published")
    db = private_copy(built_1k_db, work)
    first = run_dbt(["build", *SELECT, "--vars", VARS], work)
    assert first.success, first.output[-4000:]
    tier_dir = work / "releases" / "tier_1k"
    release_id = current_release_id(tier_dir)
    assert release_id and verify(tier_dir / release_id) == []
    return work, db, tier_dir, release_id, first.output


def test_plain_dbt_test_passes_after_a_build(released):
    work, db, tier_dir, release_id, output = released
    assert "[release] tier_1k: published text by offline/narrator 1000 (100.0%, primary)" in output
    assert "written by another model: 0.0% (gate allows 5.0%)" in output
    views = _views(db)
    assert set(views) >= {"export_schema_compat", "export_extended_csv", "export_internal_full"}
    for sql in views.values():
        assert f"/{release_id}/" in sql and "_staging" not in sql, sql
    assert not (tier_dir / "_staging").exists()
    result = run_dbt(["test", "--vars", VARS], work)
    assert result.success, result.output[-4000:]
    assert "not_null_export_schema_compat_uuid" in result.output and "ERROR=0" in result.output
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from export_schema_compat").fetchone() == (1000,)


def test_datasets_loads_every_config_of_the_card(released, tmp_path, monkeypatch):
    work, db, tier_dir, release_id, _ = released
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    import datasets

    folder = str(tier_dir / "current")
    card = yaml.safe_load((tier_dir / "current" / "README.md").read_text(encoding="utf-8").split("---")[1])
    configs = [c["config_name"] for c in card["configs"]]
    assert configs == ["moldova_extended_public", "schema_compat"]
    columns = {c["config_name"]: [f["name"] for f in c["features"]] for c in card["dataset_info"]}
    cache = str(tmp_path / "cache")
    default = datasets.load_dataset(folder, cache_dir=cache)["train"]
    assert default.num_rows == 1000 and default.column_names == columns["moldova_extended_public"]
    for config in configs:
        split = datasets.load_dataset(folder, config, cache_dir=cache)["train"]
        assert split.num_rows == 1000 and split.column_names == columns[config], config
        assert split.features["age"].dtype == "int64"
        assert split.features["ocean_profile"]["openness"]["t_score"].dtype == "int64"
        assert split[0]["country"] == "Republica Moldova"


def test_csv_is_utf8_with_a_byte_order_mark(released):
    import pandas as pd

    work, db, tier_dir, release_id, _ = released
    csv = tier_dir / "current" / "moldova_extended_public.csv"
    assert csv.read_bytes()[:3] == b"\xef\xbb\xbf"
    documented = pd.read_csv(csv, encoding="utf-8-sig")
    plain = pd.read_csv(csv)
    assert list(documented.columns) == list(plain.columns) and documented.columns[0] == "uuid"
    assert len(documented) == 1000 and documented["country"].eq("Republica Moldova").all()
    assert documented["state"].str.contains("ș|ă|î|ț|â", regex=True).any()  # diacritics survive
    metadata = json.loads((tier_dir / "current" / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["csv_encoding"].startswith("utf-8-sig")


def test_failed_personas_and_foreign_text_block_the_release(released):
    work, db, tier_dir, previous, _ = released
    with duckdb.connect(str(db)) as con:
        ids = {}
        for index, reason in FAILED.items():
            ids[index] = con.execute(
                "select persona_id from release_cores where persona_index = ?", [index]
            ).fetchone()[0]
            con.execute(
                "update int_personas_narrated set status = 'failed_validation', failure_reason = ?, "
                "cultural_background = ? where persona_id = ?",
                [reason, RUSSIAN, ids[index]],
            )
        con.execute(
            "update int_personas_narrated set model_used = ? where persona_id in (select persona_id from "
            "release_cores where persona_index >= ? and persona_index < ?)",
            [OTHER_MODEL, *OTHER_RANGE],
        )
    before = sorted(p.name for p in tier_dir.iterdir())

    # 1. dbt build: both gate tests fail with their own explanation; nothing is exported
    blocked = run_dbt(["build", *SELECT, "--vars", VARS], work)
    assert not blocked.success
    out = blocked.output
    assert "[tests] FAIL release_narration_failures_at_most (1 row):" in out
    assert (
        "2 of 1000 personas have no validated narration (gate allows 0): 2 x failed_validation "
        f'"{FAILED[3]}", e.g. {ids[3]}, {ids[7]}. They are not published; retry them: `make renarrate '
        "STATUS=failed`, then rebuild (`make run`, or `make tier TIER=<tier>`)" in out
    )
    assert "[tests] FAIL release_non_primary_share_at_most (1 row):" in out
    assert (
        "tier_1k: 60 of 998 published personas (6.0%) were written by a model other than the configured "
        f"primary offline/narrator ({OTHER_MODEL} 60); the gate allows at most 5.0%. Check the provider "
        "(fct_generation_attempts), then rebuild (`make run`): a run narrates personas written by another "
        "model again with the primary" in out
    )
    assert "[release] tier_1k: NOT promoted" in out
    assert current_release_id(tier_dir) == previous and sorted(p.name for p in tier_dir.iterdir()) == before
    with duckdb.connect(str(db), read_only=True) as con:
        public = {r[0] for r in con.execute("select uuid from fct_release_public_personas").fetchall()}
        assert len(public) == 998 and not public & set(ids.values())
        assert con.execute("select count(*) from export_schema_compat").fetchone() == (1000,)

    # 2. dbt run skips tests: export_release refuses by itself; the exports keep reading the current release
    refused = run_dbt(["run", *SELECT, "--vars", VARS], work)
    assert refused.success, refused.output[-3000:]
    with duckdb.connect(str(db), read_only=True) as con:
        outcome, promoted = con.execute("select outcome, promoted from export_release").fetchone()
        assert con.execute("select count(*) from export_schema_compat").fetchone() == (1000,)
    assert not promoted and "2 of 1000 personas have no validated narration" in outcome
    assert "6.0% of the published personas were written by a model other than" in outcome
    assert all(f"/{previous}/" in sql for sql in _views(db).values())
    assert current_release_id(tier_dir) == previous and not (tier_dir / "_staging").exists()

    # 3. thresholds raised in vars: released without the failed personas, with the model shares stated
    relaxed = "{seed: 42, release_max_failed_personas: 2, release_max_non_primary_share: 0.1}"
    passed = run_dbt(["build", *SELECT, "--vars", relaxed], work)
    assert passed.success, passed.output[-4000:]
    release_id = current_release_id(tier_dir)
    assert release_id != previous and verify(tier_dir / release_id) == []
    folder = tier_dir / release_id
    for name in ("schema_compat.jsonl", "moldova_extended_public.jsonl", "internal_full.jsonl"):
        rows = _lines(folder / name)
        key = "persona_id" if name == "internal_full.jsonl" else "uuid"
        assert len(rows) == 998 and not {r[key] for r in rows} & set(ids.values()), name
        assert not any(RUSSIAN in json.dumps(r, ensure_ascii=False) for r in rows), name
    metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["record_count"] == 998 and metadata["tier_personas"] == 1000
    assert [(m["model"], m["n_personas"], m["is_primary"]) for m in metadata["models"]] == [
        ("offline/narrator", 938, True),
        (OTHER_MODEL, 60, False),
    ]
    assert metadata["primary_model"] == "offline/narrator" and metadata["non_primary_share"] == pytest.approx(
        60 / 998, abs=1e-6
    )
    card = (folder / "README.md").read_text(encoding="utf-8")
    assert "`offline/narrator` (938 personas, 94.0%), `openai/gpt-4o-mini` (60 personas, 6.0%)" in card
    assert f"| `{OTHER_MODEL}` | 60 | 6.0% | fallback | OpenAI: OpenAI terms of use" in card
    assert "written by another model: 6.0% (gate allows 10.0%)" in passed.output
