"""Scale-out: narration sharded by persona ranges in separate databases, merged by a final build."""

from __future__ import annotations

import duckdb
import pytest
from dbt_helpers import run_dbt
from fixtures_db import built_1k_db, private_copy  # noqa: F401 (pytest fixture)

from moldova_personas.narration.shards import parse_shard, shard_bounds


def test_shard_spec_and_ranges():
    assert parse_shard("") is None and parse_shard("1/4") == (1, 4)
    with pytest.raises(ValueError, match="var 'shard'"):
        parse_shard("4/4")
    with pytest.raises(ValueError, match="'0/4'"):
        parse_shard("first")
    ranges = [shard_bounds(1000, i, 3) for i in range(3)]
    assert ranges[0][0] == 0 and ranges[-1][1] == 1000
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:], strict=False))


def _narrated(db) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "select persona_id, status, persona from int_personas_narrated order by 1"
        ).fetchall()


def test_two_shards_merge_into_the_full_tier(tmp_path, built_1k_db):  # noqa: F811
    select = ["--select", "int_personas_narrated", "--full-refresh"]
    shard_dbs = []
    for i in range(2):
        work = tmp_path / f"shard{i}"
        private_copy(built_1k_db, work)
        result = run_dbt(
            ["build", *select, "--vars", f"{{shard: '{i}/2', generation_log_dir: {work}/logs}}"], work
        )
        assert result.success, result.output[-3000:]
        rows = _narrated(work / "db.duckdb")
        assert len(rows) == 500
        shard_dbs.append(work / "db.duckdb")
    main = tmp_path / "main"
    private_copy(built_1k_db, main)
    merge = ",".join(str(p) for p in shard_dbs)
    result = run_dbt(
        ["build", *select, "--vars", f"{{merge_shards: '{merge}', generation_log_dir: {main}/logs}}"], main
    )
    assert result.success, result.output[-3000:]
    merged = _narrated(main / "db.duckdb")
    assert len(merged) == 1000 and len({r[0] for r in merged}) == 1000
    # nothing was narrated again by the merging build: no attempt log was written
    assert not list((main / "logs").glob("*.jsonl")) or all(
        p.stat().st_size == 0 for p in (main / "logs").glob("*.jsonl")
    )
    # and the merged texts are the shards' texts, identical to the single-process build
    assert merged == _narrated(built_1k_db)
