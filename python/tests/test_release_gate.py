"""The release gate end to end: dbt in-process on a copy of a built database, own DB and export paths.

1. build the safety, release and export models: a release is promoted and becomes current;
2. plant one stereotype sentence, one phone number and one e-mail in three narrated rows of fct_personas;
3. build again: the gate fails naming the three personas and rules, nothing is exported, the previous
   release stays current and still verifies.

Starts from a built 1K database (fixtures_db.built_1k_db: the one `make test` builds, or a fresh build).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import duckdb
from fixtures_db import built_1k_db  # noqa: F401 (pytest fixture)

from moldova_personas.release.contract import current_release_id, verify

ROOT = Path(__file__).resolve().parents[2]

SELECT = [
    "--select",
    "sensitive_claim_patterns release_baseline release_guards staging.safety staging.release"
    " marts.safety marts.release exports",
]
NEEDED = {"fct_personas", "fct_quality_uniqueness", "rpt_quality_anchors", "rpt_census_fit"}
PLANTED = {
    0: (
        "cultural_background",
        "Bunicul repetă mereu că moldovenii sunt leneși și că nu se schimbă nimic.",
        "claim_ro",
    ),
    1: ("professional_persona", "Clienții o pot suna oricând la +373 69 123 456.", "pii_phone"),
    2: ("persona", "Scrie-i la ion.rusu@mail.md dacă vrei să afli mai multe.", "pii_email"),
}


def run_dbt(args: list[str], workdir: Path):
    """dbt in-process (dbtRunner) with a private database, export root, target and logs."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.cli.main import dbtRunner

    env = {
        "MOLDOVA_DUCKDB_PATH": str(workdir / "db.duckdb"),
        "MOLDOVA_LLM_STATE_DIR": str(workdir / "state"),
        "MOLDOVA_EXPORT_ROOT": str(workdir / "releases"),
        "DBT_PROFILES_DIR": str(ROOT),
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    }
    old_env, old_cwd = {k: os.environ.get(k) for k in env}, os.getcwd()
    os.environ.update(env)
    os.chdir(ROOT)
    try:
        return dbtRunner().invoke(
            [
                *args,
                "--vars",
                "{seed: 42}",
                "--target-path",
                str(workdir / "target"),
                "--log-path",
                str(workdir / "logs"),
            ]
        )
    finally:
        os.chdir(old_cwd)
        for key, value in old_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        # dbt-duckdb keeps its DuckDB instance open in-process; release the file for this test's queries
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
        DuckDBConnectionManager.close_all_connections()


def _failed_tests(result) -> set[str]:
    return {
        r.node.name for r in result.result if r.node.resource_type == "test" and r.status in ("fail", "error")
    }


def test_unsafe_rows_fail_the_gate_and_keep_the_previous_release(tmp_path, built_1k_db, capfd):  # noqa: F811
    source = built_1k_db
    started = time.monotonic()
    shutil.copy(source, tmp_path / "db.duckdb")
    if Path(f"{source}.wal").exists():
        shutil.copy(f"{source}.wal", tmp_path / "db.duckdb.wal")
    tier_dir_root = tmp_path / "releases"

    first = run_dbt(["build", *SELECT], tmp_path)
    assert first.success, _failed_tests(first)
    tiers = [p for p in tier_dir_root.iterdir() if p.is_dir()]
    assert len(tiers) == 1
    tier_dir = tiers[0]
    previous = current_release_id(tier_dir)
    assert previous and (tier_dir / "current").resolve() == (tier_dir / previous).resolve()
    assert verify(tier_dir / "current") == []
    before = sorted(p.name for p in tier_dir.iterdir())

    with duckdb.connect(str(tmp_path / "db.duckdb")) as con:
        ids = {}
        for index, (field, text, _) in PLANTED.items():
            con.execute(
                f"update fct_personas set {field} = {field} || ' ' || ? where persona_index = ?",
                [text, index],
            )
            ids[index] = con.execute(
                "select persona_id from fct_personas where persona_index = ?", [index]
            ).fetchone()[0]

    capfd.readouterr()
    second = run_dbt(["build", *SELECT], tmp_path)
    assert not second.success
    assert "safety_findings_no_critical" in _failed_tests(second)
    # the gate's message names the one command that narrates the flagged personas again
    assert "make renarrate SAFETY=1" in capfd.readouterr().out
    statuses = {r.node.name: r.status for r in second.result}
    assert statuses["export_release"] == "skipped" and statuses["export_schema_compat"] == "skipped"

    with duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True) as con:
        found = con.execute(
            "select persona_id, rule, matched_text from fct_safety_findings where severity = 'critical'"
        ).fetchall()
    assert {(pid, rule) for pid, rule, _ in found} == {(ids[i], rule) for i, (_, _, rule) in PLANTED.items()}
    assert {m for _, _, m in found} == {"moldovenii sunt leneși", "+373 69 123 456", "ion.rusu@mail.md"}

    # the previous release is untouched and still current
    assert current_release_id(tier_dir) == previous
    assert (tier_dir / "current").resolve() == (tier_dir / previous).resolve()
    assert sorted(p.name for p in tier_dir.iterdir()) == before
    assert verify(tier_dir / previous) == []
    assert time.monotonic() - started < 90
