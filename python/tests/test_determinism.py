"""Determinism: same seed + inputs -> same narration rows (trace ids included) and byte-identical exports.

1. narrate the same cores twice with the offline narrator, fresh state each time: every column but
   narrated_at (wall clock; never exported) is identical, trace_id included;
2. rebuild the export models on a private copy of the built 1K database (fresh export root): every file
   of the release folder is byte-identical to the original build's, except metadata.json (its
   generation_date) and MANIFEST.sha256 (which hashes metadata.json); the release id (a hash of the data
   files) is the same.
"""

from __future__ import annotations

import duckdb
from conftest import make_cores
from dbt_helpers import run_dbt
from fixtures_db import built_1k_db, private_copy  # noqa: F401 (pytest fixture)

from moldova_personas.narration.runtime import narrate_cores

TIMESTAMPED = {"metadata.json", "MANIFEST.sha256"}


def test_two_offline_narrations_are_identical(tmp_path):
    cores = make_cores(12)
    runs = []
    for name in ("a", "b"):
        s = {"state_dir": str(tmp_path / name / "state"), "log_dir": str(tmp_path / name / "logs")}
        runs.append(narrate_cores(cores, {**s, "progress": False, "max_concurrency": 4}).to_pylist())
    a, b = ([{k: v for k, v in r.items() if k != "narrated_at"} for r in rows] for rows in runs)
    assert a == b
    assert len({r["trace_id"] for r in a}) == 12 and all(len(r["trace_id"]) == 32 for r in a)


def test_rebuilt_exports_are_byte_identical(tmp_path, built_1k_db):  # noqa: F811
    source_root = built_1k_db.parent / "releases" / "tier_1k"
    source = source_root / (source_root / "CURRENT").read_text().strip()
    assert source.is_dir(), f"no release of the built database under {source_root}"
    work = tmp_path / "rebuild"
    db = private_copy(built_1k_db, work)
    result = run_dbt(
        [
            "run",
            "--select",
            "exports",
            "--vars",
            f"{{seed: 42, generation_log_dir: {built_1k_db.parent / 'logs'}}}",
        ],
        work,
        timeout=600,
    )
    assert result.success, result.output[-3000:]
    rebuilt_root = work / "releases" / "tier_1k"
    rebuilt = rebuilt_root / (rebuilt_root / "CURRENT").read_text().strip()
    assert rebuilt.name == source.name  # same release id: same data-file hashes
    names = sorted(p.name for p in source.iterdir())
    assert names == sorted(p.name for p in rebuilt.iterdir())
    assert "internal_full.jsonl" in names and len(names) >= 8
    for name in names:
        if name not in TIMESTAMPED:
            assert (source / name).read_bytes() == (rebuilt / name).read_bytes(), f"{name} differs"
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from fct_personas").fetchone()[0] == 1000
