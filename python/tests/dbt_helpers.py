"""Run dbt against a private DuckDB file (tests never touch the user's database).

dbt runs in a subprocess: dbt-duckdb keeps its connection open in-process, which would lock the test
out of the database it just built.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).parent / "dbt"


@dataclass
class DbtResult:
    success: bool
    output: str


def run_dbt(args: list[str], workdir: Path, timeout: float = 900, **env: str) -> DbtResult:
    """Invoke dbt with the project's files but a private database, target, logs and state."""
    values = {
        **os.environ,
        "MOLDOVA_DUCKDB_PATH": str(workdir / "db.duckdb"),
        "MOLDOVA_LLM_STATE_DIR": str(workdir / "state"),
        "MOLDOVA_EXPORT_ROOT": str(workdir / "releases"),
        "DBT_PROFILES_DIR": str(ROOT),
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
        **env,
    }
    proc = subprocess.run(
        [str(DBT), *args, "--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs")],
        cwd=ROOT,
        env=values,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return DbtResult(proc.returncode == 0, proc.stdout + proc.stderr)
