"""One line naming who holds the DuckDB file, instead of dbt's pages of tracebacks.

DuckDB lets one process write a database file; a second one (dbt while a notebook, DBeaver or another dbt
run has the file open) fails deep inside dbt-duckdb's connection code. `make run|tier|test|docs` call this
first: it opens the file the way dbt will (read-write) and, when that fails on the lock, prints the file,
the holder's PID and command line, and the fix, and exits 1.

    python -m moldova_personas.duckdb_lock moldova_personas.duckdb
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import duckdb

HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")


def _command_line(pid: str) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    text = " ".join(part.decode(errors="replace") for part in raw.split(b"\0") if part)
    return " ".join(text.split())[:160]


def lock_message(path: str | Path, error: str) -> str | None:
    """The one-line message for a DuckDB lock error text, or None when `error` is another error."""
    match = HOLDER.search(error)
    if match is None:
        if "Could not set lock" not in error:
            return None
        return f"{path} is locked by another process (DuckDB allows one writer): close it, then re-run."
    pid = match["pid"]
    command = _command_line(pid) or match["program"]
    return (
        f"{path} is locked by PID {pid} ({command}): DuckDB allows one writer. Close that program "
        f"(a notebook, DBeaver, another dbt run) or `kill {pid}`, then re-run."
    )


def check(path: str | Path) -> str | None:
    """None when dbt can open `path` now (or it does not exist yet), else the one-line message."""
    if not Path(path).exists():
        return None
    try:
        duckdb.connect(str(path)).close()
    except duckdb.Error as exc:
        return lock_message(path, str(exc))
    return None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m moldova_personas.duckdb_lock <database file>", file=sys.stderr)
        return 2
    message = check(args[0])
    if message:
        print(message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
