"""Bad input: wrong dbt vars through real dbt, missing/empty provider keys, a provider answering garbage.

The census seed matrix (missing column, non-numeric value, shares not summing, negative count, unknown
region/raion, duplicate key, BOM, CRLF) is covered line by line in test_census_checks.py; here one run
with several corruptions at once checks that every problem is reported (not only the first) and that the
validator never writes to the files it checks.
Each case: a clear error naming the file/row or setting and the fix, and what was built stays intact.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import make_cores
from dbt_helpers import run_dbt
from fixtures_db import built_1k_db, private_copy  # noqa: F401 (pytest fixture)

from moldova_personas.census.checks import validate_census
from moldova_personas.narration.runtime import narrate_cores
from moldova_personas.narration.settings import MissingApiKeyError

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds" / "census"


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.csv"))}


def test_census_matrix_reports_every_problem_and_writes_nothing(tmp_path):
    seeds = tmp_path / "census"
    shutil.copytree(SEEDS, seeds)
    edits = {  # file: (old, new) on the first line containing old
        "population_by_region.csv": ("670088", "670O88"),  # non-numeric
        "religion_national.csv": (",26226,", ",-26226,"),  # negative count
        "ethnicity_national.csv": (",76.7,", ",56.7,"),  # shares sum to 80
        "population_by_raion.csv": (",Nord,", ",Northh,"),  # unknown region
        "localities.csv": (",mun. Chișinău,", ",mun. Kishinev,"),  # unknown raion
    }
    for name, (old, new) in edits.items():
        f = seeds / name
        text = f.read_bytes().decode("utf-8")
        assert old in text
        # BOM + CRLF on every corrupted file: tolerated, they must not hide the real problems
        f.write_bytes(("\ufeff" + text.replace(old, new, 1).replace("\n", "\r\n")).encode("utf-8"))
    before = _digest(seeds)
    problems = [str(p) for p in validate_census(seeds)]
    assert _digest(seeds) == before and _digest(SEEDS) != before
    for name in edits:
        hits = [p for p in problems if p.startswith(f"{seeds / name}:")]
        assert hits, f"no problem reported for {name}: {problems}"
        assert all("Fix: edit" in p for p in hits)
    assert not [p for p in problems if "missing from the header" in p], "the BOM hid a column"


@pytest.fixture(scope="module")
def built_copy(built_1k_db, tmp_path_factory):  # noqa: F811
    work = tmp_path_factory.mktemp("bad_vars")
    db = private_copy(built_1k_db, work)
    with duckdb.connect(str(db), read_only=True) as con:
        counts = _counts(con)
    return work, db, counts


def _counts(con) -> dict[str, object]:
    return {
        "tier_1k": con.execute("select count(*), min(sample_seed), max(sample_seed) from tier_1k").fetchone(),
        "release_cores": con.execute("select count(*), any_value(tier) from release_cores").fetchone(),
        "fct_personas": con.execute(
            "select count(*), count(distinct persona_id) from fct_personas"
        ).fetchone(),
    }


@pytest.mark.parametrize(
    ("select", "vars_", "expected"),
    [
        ("release_cores", "{tier: tier_2k}", ["var 'tier' is tier_2k", "choose one of tier_1k", "--vars"]),
        ("tier_1k", "{seed: abc}", ["var 'seed' must be an integer", "'abc'", "--vars '{seed: 42}'"]),
    ],
)
def test_bad_dbt_var_names_setting_and_fix_and_keeps_tables(built_copy, select, vars_, expected):
    work, db, counts = built_copy
    result = run_dbt(["run", "--select", select, "--vars", vars_], work, timeout=600)
    assert not result.success
    for text in expected:
        assert text in result.output, result.output[-3000:]
    with duckdb.connect(str(db), read_only=True) as con:
        assert _counts(con) == counts
    assert counts["tier_1k"][0] == 1000 and counts["fct_personas"] == (1000, 1000)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_missing_or_empty_key_names_env_var_before_any_call(server, dirs, monkeypatch, value):
    if value is None:
        monkeypatch.delenv("MOLDOVA_BAD_INPUT_KEY", raising=False)
    else:
        monkeypatch.setenv("MOLDOVA_BAD_INPUT_KEY", value)
    s = {
        "creative": {
            "model": "openai/creative-m",
            "api_base": server.url,
            "api_key_env": "MOLDOVA_BAD_INPUT_KEY",
        },
        "progress": False,
        **dirs,
    }
    with pytest.raises(MissingApiKeyError) as info:
        narrate_cores(make_cores(1), s)
    msg = str(info.value)
    assert "MOLDOVA_BAD_INPUT_KEY" in msg and "Fix: export MOLDOVA_BAD_INPUT_KEY=" in msg
    assert server.requests() == []
    assert not Path(dirs["state_dir"]).exists() and not Path(dirs["log_dir"]).exists()


def test_provider_returning_garbage_keeps_a_failed_row(server, dirs, monkeypatch):
    monkeypatch.setenv("MOLDOVA_BAD_INPUT_KEY", "sk-test-bad-input-0123456789")
    server.set_faults("creative-m", sticky={"kind": "garbage"})
    s = {
        "creative": {
            "model": "openai/creative-m",
            "api_base": server.url,
            "api_key_env": "MOLDOVA_BAD_INPUT_KEY",
        },
        "fallback_order": ["creative"],
        "call_retries": 1,
        "backoff_base_s": 0.01,
        "progress": False,
        **dirs,
    }
    rows = narrate_cores(make_cores(2), s).to_pylist()
    assert [r["status"] for r in rows] == ["failed_call"] * 2
    assert all(r["persona"] is None and r["failure_reason"] for r in rows)
    assert len(server.requests()) >= 2


def test_locked_database_gives_one_line_naming_the_holder(tmp_path):
    """`make run` while another process holds the DuckDB file: one line with the PID and the fix."""
    db = tmp_path / "db.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
            "time.sleep(120)",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        env = {**os.environ, "MOLDOVA_DUCKDB_PATH": str(db), "MOLDOVA_EXPORT_ROOT": str(tmp_path / "r")}
        started = time.monotonic()
        proc = subprocess.run(
            ["make", "--no-print-directory", "-o", ".venv/.installed", "-o", "check-census", "run"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        holder.kill()
        holder.wait()
    assert proc.returncode != 0 and time.monotonic() - started < 60
    ours = [line for line in proc.stderr.splitlines() if not line.startswith("make")]
    assert len(ours) == 1, proc.stderr
    assert ours[0].startswith(f"{db} is locked by PID {holder.pid} (")
    assert f"`kill {holder.pid}`" in ours[0] and "Traceback" not in proc.stdout + proc.stderr
