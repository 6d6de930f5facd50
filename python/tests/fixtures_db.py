"""A built 1K database for the tests that need the whole pipeline (release gate, report, determinism).

`make test` builds the 1K tier first and passes its database as MOLDOVA_TEST_DB; run alone, pytest
builds one itself (the full `dbt build`, a couple of minutes). Tests get a private copy they may modify.
Import the fixture into a test module: `from fixtures_db import built_1k_db  # noqa: F401`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from dbt_helpers import run_dbt


@pytest.fixture(scope="session")
def built_1k_db(tmp_path_factory) -> Path:
    given = os.environ.get("MOLDOVA_TEST_DB")
    if given:
        path = Path(given)
        assert path.exists(), f"MOLDOVA_TEST_DB={given} does not exist: run `make test` (it builds it first)"
        return path
    workdir = tmp_path_factory.mktemp("built_1k")
    result = run_dbt(["build", "--vars", f"{{seed: 42, generation_log_dir: {workdir / 'logs'}}}"], workdir)
    assert result.success, result.output[-4000:]
    return workdir / "db.duckdb"


def private_copy(source: Path, workdir: Path) -> Path:
    """Copy a DuckDB file (and its WAL, if any) into workdir/db.duckdb."""
    workdir.mkdir(parents=True, exist_ok=True)
    target = workdir / "db.duckdb"
    shutil.copy2(source, target)
    wal = source.with_name(source.name + ".wal")
    if wal.exists():
        shutil.copy2(wal, target.with_name(target.name + ".wal"))
    return target
