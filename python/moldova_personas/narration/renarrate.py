"""Mark personas to be narrated again by the next build: `make renarrate IDS=... | STATUS=... | SAFETY=1`.

    python -m moldova_personas.narration.renarrate --ids ID[,ID...] | --ids-file FILE
                                                   | --status failed|failed_validation|failed_call|ok
                                                   | --safety
                                                   [--list] [--clear] [--db PATH] [--state-dir DIR]

The marks go to the response store (`<state dir>/narration.sqlite`, table `renarrate`); the next
`dbt build` (`make run`, `make tier ...`) narrates exactly the marked personas (plus any persona without
an ok row), whatever their status or model, and clears each mark when its new row is stored. The answers
the marked personas were written from stay in the store for audit, marked `rejected`, and are never
reused. `--safety` marks every persona with a critical finding of the safety gate (fct_safety_findings).
Persona ids are checked against int_personas_narrated of the DuckDB file (read-only: no build may run).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from moldova_personas.narration.store import STORE_FILE, ResponseStore

STATUSES = {
    "failed": ("failed_validation", "failed_call"),
    "failed_validation": ("failed_validation",),
    "failed_call": ("failed_call",),
    "ok": ("ok",),
}


class RenarrateError(RuntimeError):
    """Bad request: says what is wrong and the fix."""


def _connect(db: Path):
    import duckdb

    if not db.exists():
        raise RenarrateError(
            f"{db}: no such DuckDB file. Build first (`make run`), or pass --db / MOLDOVA_DUCKDB_PATH."
        )
    try:
        return duckdb.connect(str(db), read_only=True)
    except duckdb.IOException as exc:
        raise RenarrateError(
            f"{db} is locked by another process (a dbt build or a notebook holds it): "
            f"{str(exc).splitlines()[0]}. Wait for the build to finish, then run this again."
        ) from None


def _column(con, sql: str, params: list | None = None) -> list[str]:
    return [str(r[0]) for r in con.execute(sql, params or []).fetchall()]


def select_ids(db: Path, ids: list[str], status: str | None, safety: bool) -> tuple[list[str], str]:
    """The persona ids the request names, checked against int_personas_narrated; and its reason."""
    con = _connect(db)
    try:
        tables = set(_column(con, "select table_name from information_schema.tables"))
        if "int_personas_narrated" not in tables:
            raise RenarrateError(f"{db} has no int_personas_narrated: build a tier first (`make run`).")
        chosen: list[str] = []
        reasons = []
        if ids:
            known = set(
                _column(
                    con,
                    "select persona_id from int_personas_narrated where persona_id in (select unnest(?))",
                    [ids],
                )
            )
            unknown = [i for i in ids if i not in known]
            if unknown:
                shown = ", ".join(unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
                raise RenarrateError(
                    f"{len(unknown)} persona id(s) not in int_personas_narrated of {db}: {shown}. "
                    "Fix: copy ids from `select persona_id from int_personas_narrated`."
                )
            chosen += ids
            reasons.append("by id")
        if status:
            if status not in STATUSES:
                raise RenarrateError(f"--status must be one of {', '.join(STATUSES)}, got {status!r}")
            chosen += _column(
                con,
                "select persona_id from int_personas_narrated where status in (select unnest(?)) "
                "order by persona_id",
                [list(STATUSES[status])],
            )
            reasons.append(f"status {status}")
        if safety:
            if "fct_safety_findings" not in tables:
                raise RenarrateError(
                    f"{db} has no fct_safety_findings: the safety gate has not run (build the tier first)."
                )
            chosen += _column(
                con,
                "select distinct persona_id from fct_safety_findings where severity = 'critical' "
                "order by persona_id",
            )
            reasons.append("critical safety finding")
    finally:
        con.close()
    return list(dict.fromkeys(chosen)), ", ".join(reasons)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m moldova_personas.narration.renarrate",
        description="Mark personas to be narrated again by the next dbt build.",
    )
    parser.add_argument("--ids", default="", help="comma-separated persona ids")
    parser.add_argument("--ids-file", type=Path, help="file with one persona id per line")
    parser.add_argument("--status", help="every persona with this status: " + ", ".join(STATUSES))
    parser.add_argument("--safety", action="store_true", help="every persona flagged by the safety gate")
    parser.add_argument("--list", action="store_true", help="list pending requests")
    parser.add_argument("--clear", action="store_true", help="drop every pending request")
    parser.add_argument(
        "--db", type=Path, default=Path(os.environ.get("MOLDOVA_DUCKDB_PATH", "moldova_personas.duckdb"))
    )
    parser.add_argument(
        "--state-dir", type=Path, default=Path(os.environ.get("MOLDOVA_LLM_STATE_DIR", "state/narration"))
    )
    args = parser.parse_args(argv)
    ids = [i.strip() for i in args.ids.replace("\n", ",").split(",") if i.strip()]
    if args.ids_file:
        ids += [
            line.strip() for line in args.ids_file.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
    store = ResponseStore(args.state_dir / STORE_FILE)
    try:
        if args.clear:
            pending = store.marks()
            for pid in pending:
                store.clear_mark(pid)
            store.flush()
            print(f"cleared {len(pending)} re-narration request(s)")
            return 0
        if args.list:
            for pid, (reason, at) in sorted(store.marks().items()):
                print(f"{pid}\t{reason}\t{at}")
            return 0
        if not (ids or args.status or args.safety):
            parser.error("name the personas: --ids, --ids-file, --status or --safety (see --help)")
        try:
            chosen, reason = select_ids(args.db, ids, args.status, args.safety)
        except RenarrateError as exc:
            print(f"renarrate: {exc}", file=sys.stderr)
            return 2
        if not chosen:
            print(f"renarrate: no persona matches ({reason}); nothing marked.")
            return 0
        store.mark(chosen, reason)
        pending = len(store.marks())
    finally:
        store.close()
    shown = ", ".join(chosen[:10]) + (f" ... ({len(chosen) - 10} more)" if len(chosen) > 10 else "")
    print(
        f"marked {len(chosen)} persona(s) for re-narration ({reason}): {shown}\n"
        f"The next build (`make run`, or `make tier TIER=...` for that tier) narrates exactly these again "
        f"(and any persona without an ok row); the answers they were written from stay in "
        f"{args.state_dir / STORE_FILE} for audit and are not reused. Pending requests: {pending}."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
