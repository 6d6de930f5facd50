"""The response store: every paid LLM answer, the finished persona rows, and re-narration requests.

One SQLite file (WAL) under the state dir, `narration.sqlite`:
- `responses`: every answer a provider returned, kept for audit (never replaced), keyed by the prompt's
  hash and the primary model, with its `verdict`: null (received, not judged yet: a run was killed
  between the answer and its validation), `passed` (validated), `failed` (unparseable or failed a
  validator) or `rejected` (superseded on request, e.g. flagged by the safety gate). Only answers that
  passed, or were never judged, are reused: a re-run pays again for what failed, never for what passed.
- `personas`: finished persona rows keyed by (persona_id, settings fingerprint); only `ok` rows are
  reused.
- `renarrate`: personas marked by `python -m moldova_personas.narration.renarrate` (make renarrate); the
  next run narrates them again whatever their status and clears the mark when their new row is stored.

Writes are grouped into one transaction committed at most COMMIT_INTERVAL_S later (the runtime's flusher
task commits even when no further write comes), so a kill -9 loses at most the calls in flight plus the
answers of the last ~20 ms. WAL with synchronous=NORMAL survives process crashes (not power loss).

`python -m moldova_personas.narration.store summary [state_dir]` prints what the store holds.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import threading
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

COMMIT_INTERVAL_S = 0.02  # longest time a received response may wait uncommitted
COMMIT_MAX_ROWS = 256  # ... or this many pending writes
STORE_FILE = "narration.sqlite"
VERDICTS = ("passed", "failed", "rejected")
RESPONSE_KEYS = (
    "text",
    "model_used",
    "finish_reason",
    "prompt_tokens",
    "completion_tokens",
    "cost_usd",
    "latency_ms",
)

SCHEMA = """
create table if not exists responses (
    id integer primary key autoincrement,
    prompt_hash text not null,
    model text not null,
    text text,
    model_used text,
    finish_reason text,
    prompt_tokens integer,
    completion_tokens integer,
    cost_usd real,
    latency_ms integer,
    created_at text,
    verdict text,
    verdict_reason text,
    run_id text);
create index if not exists responses_by_prompt on responses (prompt_hash, model);
create table if not exists personas (
    persona_id text not null, fingerprint text not null, row_json text not null,
    created_at text, primary key (persona_id, fingerprint));
create table if not exists renarrate (
    persona_id text primary key, reason text not null, requested_at text not null);
"""


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


class ResponseStore:
    """SQLite (WAL) store of paid answers, finished persona rows and re-narration marks."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._pending = 0
        self._first_pending = 0.0
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute("pragma journal_mode=wal")
        self._db.execute("pragma synchronous=normal")
        self._migrate()
        self._db.executescript(SCHEMA)

    def _migrate(self) -> None:
        """Stores written before verdicts existed: one answer per (prompt_hash, model), replaced on
        every call. Their rows move into the new table unjudged (judged again when reused)."""
        columns = {row[1] for row in self._db.execute("pragma table_info(responses)")}
        if not columns or "verdict" in columns:
            return
        self._db.executescript(
            """
            begin;
            alter table responses rename to responses_before_verdicts;
            """
            + SCHEMA
            + """
            insert into responses (prompt_hash, model, text, model_used, finish_reason, prompt_tokens,
                completion_tokens, cost_usd, latency_ms, created_at)
            select prompt_hash, model, text, model_used, finish_reason, prompt_tokens, completion_tokens,
                cost_usd, latency_ms, created_at
            from responses_before_verdicts;
            drop table responses_before_verdicts;
            commit;
            """
        )

    # -- group commits ----------------------------------------------------------------------------
    def _begin(self) -> None:
        """Open the group transaction if none is open (caller holds the lock)."""
        if not self._pending:
            self._db.execute("begin")
            self._first_pending = time.monotonic()

    def _written(self) -> None:
        """Count one write; commit when the group is old or large enough (caller holds the lock)."""
        self._pending += 1
        if self._pending >= COMMIT_MAX_ROWS or time.monotonic() - self._first_pending >= COMMIT_INTERVAL_S:
            self._commit()

    def _commit(self) -> None:
        if self._pending:
            self._db.execute("commit")
            self._pending = 0

    def flush(self) -> None:
        """Commit pending writes now."""
        with self._lock:
            self._commit()

    def flush_if_due(self) -> None:
        """Commit pending writes older than COMMIT_INTERVAL_S (called by the flusher task)."""
        with self._lock:
            if self._pending and time.monotonic() - self._first_pending >= COMMIT_INTERVAL_S:
                self._commit()

    def checkpoint(self) -> None:
        with self._lock:
            self._commit()
            self._db.execute("pragma wal_checkpoint(passive)")

    def close(self) -> None:
        with self._lock:
            self._commit()
            self._db.close()

    # -- answers ----------------------------------------------------------------------------------
    def get_response(
        self,
        prompt_hash: str,
        model: str,
        written_by: str | None = None,
        since: str | None = None,
    ) -> dict[str, Any] | None:
        """The newest reusable answer to this prompt: passed validation or not judged yet.

        `written_by`: only an answer of this model (not one a fallback wrote); `since`: only answers
        stored at or after this ISO time (a re-narration request reuses only what it paid for itself).
        """
        sql = (
            f"select id, verdict, {', '.join(RESPONSE_KEYS)} from responses "
            "where prompt_hash = ? and model = ? and (verdict is null or verdict = 'passed')"
        )
        args: list[Any] = [prompt_hash, model]
        if written_by is not None:
            sql += " and model_used = ?"
            args.append(written_by)
        if since is not None:
            sql += " and created_at >= ?"
            args.append(since)
        with self._lock:
            row = self._db.execute(sql + " order by id desc limit 1", args).fetchone()
        if row is None:
            return None
        return dict(zip(("id", "verdict", *RESPONSE_KEYS), row, strict=True))

    def put_response(self, prompt_hash: str, model: str, result: Any, run_id: str | None = None) -> int:
        """Store an answer as it arrives (not judged yet); returns its id."""
        with self._lock:
            self._begin()
            cursor = self._db.execute(
                "insert into responses (prompt_hash, model, text, model_used, finish_reason, prompt_tokens, "
                "completion_tokens, cost_usd, latency_ms, created_at, run_id) "
                "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    prompt_hash,
                    model,
                    result.text,
                    result.model_used,
                    result.finish_reason,
                    result.prompt_tokens,
                    result.completion_tokens,
                    result.cost_usd,
                    result.latency_ms,
                    now_iso(),
                    run_id,
                ),
            )
            self._written()
            return int(cursor.lastrowid or 0)

    def set_verdict(self, response_id: int, verdict: str, reason: str | None = None) -> None:
        if verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {verdict!r}")
        with self._lock:
            self._begin()
            self._db.execute(
                "update responses set verdict = ?, verdict_reason = ? where id = ?",
                (verdict, reason, response_id),
            )
            self._written()

    def reject(self, prompt_hash: str, model: str, before: str, reason: str) -> None:
        """Answers to this prompt stored before `before` are superseded (a re-narration request)."""
        with self._lock:
            self._begin()
            self._db.execute(
                "update responses set verdict = 'rejected', verdict_reason = ? where prompt_hash = ? "
                "and model = ? and created_at < ? and (verdict is null or verdict = 'passed')",
                (reason[:300], prompt_hash, model, before),
            )
            self._written()

    # -- persona rows ------------------------------------------------------------------------------
    def get_personas(self, ids: Iterable[str], fingerprint: str) -> dict[str, dict[str, Any]]:
        ids = list(ids)
        out: dict[str, dict[str, Any]] = {}
        with self._lock:
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                marks = ",".join("?" * len(chunk))
                for pid, row_json in self._db.execute(
                    "select persona_id, row_json from personas "
                    f"where fingerprint = ? and persona_id in ({marks})",
                    (fingerprint, *chunk),
                ):
                    out[pid] = json.loads(row_json)
        return out

    def put_persona(self, row: dict[str, Any], fingerprint: str) -> None:
        with self._lock:
            self._begin()
            self._db.execute(
                "insert or replace into personas values (?, ?, ?, ?)",
                (
                    row["persona_id"],
                    fingerprint,
                    json.dumps(row, ensure_ascii=False, default=str),
                    now_iso(),
                ),
            )
            self._written()

    # -- re-narration requests ---------------------------------------------------------------------
    def mark(self, ids: Iterable[str], reason: str) -> int:
        """Mark personas to be narrated again by the next run; returns how many were marked."""
        stamp = now_iso()
        rows = [(str(pid), reason, stamp) for pid in dict.fromkeys(ids)]
        with self._lock:
            self._commit()
            self._db.execute("begin")
            self._db.executemany("insert or replace into renarrate values (?, ?, ?)", rows)
            self._db.execute("commit")
        return len(rows)

    def marks(self, ids: Iterable[str] | None = None) -> dict[str, tuple[str, str]]:
        """persona_id -> (reason, requested_at) of pending requests (of `ids`, or all)."""
        with self._lock:
            rows = self._db.execute("select persona_id, reason, requested_at from renarrate").fetchall()
        wanted = None if ids is None else {str(i) for i in ids}
        return {pid: (reason, at) for pid, reason, at in rows if wanted is None or pid in wanted}

    def clear_mark(self, persona_id: str) -> None:
        with self._lock:
            self._begin()
            self._db.execute("delete from renarrate where persona_id = ?", (persona_id,))
            self._written()

    # -- audit ------------------------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        """Counts for `make clean`/`make clean-state` and the CLI."""
        with self._lock:
            self._commit()
            by_verdict = dict(
                self._db.execute(
                    "select coalesce(verdict, 'not judged'), count(*) from responses group by 1"
                ).fetchall()
            )
            cost = self._db.execute("select coalesce(sum(cost_usd), 0) from responses").fetchone()[0]
            personas = self._db.execute("select count(*) from personas").fetchone()[0]
            marks = self._db.execute("select count(*) from renarrate").fetchone()[0]
        return {
            "responses": sum(by_verdict.values()),
            "by_verdict": by_verdict,
            "cost_usd": float(cost),
            "persona_rows": personas,
            "renarrate_marks": marks,
        }


def summary_text(state_dir: Path | str) -> str:
    """One paragraph on what the stores under `state_dir` hold (paid answers, cost, marks)."""
    root = Path(state_dir)
    files = sorted(root.rglob(STORE_FILE)) if root.exists() else []
    if not files:
        return f"{root}: no response store"
    lines = []
    for path in files:
        store = ResponseStore(path)
        try:
            s = store.summary()
        finally:
            store.close()
        verdicts = ", ".join(f"{k} {v}" for k, v in sorted(s["by_verdict"].items())) or "none"
        lines.append(
            f"{path}: {s['responses']} paid answers ({verdicts}), ${s['cost_usd']:.4f} paid in all, "
            f"{s['persona_rows']} persona rows, {s['renarrate_marks']} re-narration requests"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] != "summary":
        print("usage: python -m moldova_personas.narration.store summary [state_dir]", file=sys.stderr)
        return 2
    import os

    state_dir = args[1] if len(args) > 1 else os.environ.get("MOLDOVA_LLM_STATE_DIR", "state/narration")
    print(summary_text(state_dir))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
