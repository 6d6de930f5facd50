"""Narration orchestration: plan -> prompt -> LLM (router) -> validate -> repair, for many cores.

Incremental and resumable:
- `done_ids` (e.g. from the incremental dbt table) are skipped;
- every completed LLM response is written as it arrives to a SQLite store in WAL mode under
  `state_dir`, keyed by (prompt_hash, primary model), and every finished persona row too, keyed by
  (persona_id, settings fingerprint). Writes are grouped into one transaction committed at most
  COMMIT_INTERVAL_S later (a flusher task commits even when no further write comes), so a kill -9 loses
  at most the calls in flight plus the responses of the last ~20 ms; a re-run never pays again for a
  committed call. WAL with synchronous=NORMAL survives process crashes (not power loss).
All coroutines run on the single event loop thread of `llm`; concurrency is one asyncio semaphore.
Parsing + validation of every completion (and the offline narrator's text) run in the worker process
pool of `narrator.workers`, so the loop thread keeps to litellm, prompts and the store.
"""

from __future__ import annotations

import asyncio
import csv
import functools
import json
import sqlite3
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from moldova_personas.narration import llm, validators, workers
from moldova_personas.narration.attempt_log import AttemptLog, mask_text, new_run_id
from moldova_personas.narration.prompts import (
    build_spec,
    constraint_categories,
    render_messages,
    to_jsonable,
)
from moldova_personas.narration.settings import NarrationSettings, load_settings
from moldova_personas.schema import NARRATIVE_FIELDS, NARRATIVE_LIST_FIELDS, NARRATIVE_TEXT_FIELDS

STATUSES = ("ok", "failed_validation", "failed_call")
SCORES_TYPE = pa.struct([(name, pa.float64()) for name in validators.VALIDATORS])
OUTPUT_SCHEMA = pa.schema(
    [("persona_id", pa.string())]
    + [(f, pa.string()) for f in NARRATIVE_TEXT_FIELDS]
    + [(f, pa.list_(pa.string())) for f in NARRATIVE_LIST_FIELDS]
    + [
        ("status", pa.string()),
        ("failure_reason", pa.string()),
        ("model_used", pa.string()),
        ("attempts", pa.int32()),
        ("prompt_tokens", pa.int64()),
        ("completion_tokens", pa.int64()),
        ("cost_usd", pa.float64()),
        ("prompt_hash", pa.string()),
        ("trace_id", pa.string()),
        ("opening_move", pa.string()),
        ("constraint_categories", pa.list_(pa.string())),
        ("anchors_used", pa.list_(pa.string())),
        ("validator_scores", SCORES_TYPE),
        ("narrated_at", pa.timestamp("us", tz="UTC")),
    ]
)
FORMAT_HINT = (
    "Răspunde DOAR cu un obiect JSON valid, cu exact cele 12 chei cerute (listele ca liste JSON de "
    "șiruri), fără text înainte sau după."
)
TRUNCATED_HINT = (
    "Răspunsul a fost trunchiat: scrie mai concis, în limitele de lungime, și închide obiectul JSON."
)


# --------------------------------------------------------------------------------------------------
# Crash-safe store
# --------------------------------------------------------------------------------------------------
COMMIT_INTERVAL_S = 0.02  # longest time a received response may wait uncommitted
COMMIT_MAX_ROWS = 256  # ... or this many pending writes


class ResponseStore:
    """SQLite (WAL) store of completed LLM responses and finished persona rows (group commits)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._pending = 0
        self._first_pending = 0.0
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute("pragma journal_mode=wal")
        self._db.execute("pragma synchronous=normal")
        self._db.executescript(
            """
            create table if not exists responses (
                prompt_hash text not null, model text not null, text text, model_used text,
                finish_reason text, prompt_tokens integer, completion_tokens integer, cost_usd real,
                latency_ms integer, created_at text, primary key (prompt_hash, model));
            create table if not exists personas (
                persona_id text not null, fingerprint text not null, row_json text not null,
                created_at text, primary key (persona_id, fingerprint));
            """
        )

    def get_response(self, prompt_hash: str, model: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute(
                "select text, model_used, finish_reason, prompt_tokens, completion_tokens, cost_usd, "
                "latency_ms "
                "from responses where prompt_hash = ? and model = ?",
                (prompt_hash, model),
            ).fetchone()
        if row is None:
            return None
        keys = (
            "text",
            "model_used",
            "finish_reason",
            "prompt_tokens",
            "completion_tokens",
            "cost_usd",
            "latency_ms",
        )
        return dict(zip(keys, row, strict=True))

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

    def put_response(self, prompt_hash: str, model: str, result: llm.LLMResult) -> None:
        with self._lock:
            self._begin()
            self._db.execute(
                "insert or replace into responses values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    _now().isoformat(),
                ),
            )
            self._written()

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
                    _now().isoformat(),
                ),
            )
            self._written()

    def checkpoint(self) -> None:
        with self._lock:
            self._commit()
            self._db.execute("pragma wal_checkpoint(passive)")

    def close(self) -> None:
        with self._lock:
            self._commit()
            self._db.close()


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------
def _now() -> datetime:
    return datetime.now(UTC)


def rows_of(data: pa.Table | Iterable[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    """Rows of an Arrow table (what dbt_models passes) or of an iterable of mappings (tests, benchmarks)."""
    if data is None:
        return []
    return data.to_pylist() if isinstance(data, pa.Table) else [dict(r) for r in data]


def _seed_rows(name: str) -> list[dict[str, Any]]:
    path = Path("seeds/narration") / f"{name}.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


class _Progress:
    def __init__(self, total: int, interval: int, run_id: str, enabled: bool, store: ResponseStore) -> None:
        self.total, self.interval, self.run_id, self.enabled, self.store = (
            total,
            interval,
            run_id,
            enabled,
            store,
        )
        self.done = self.failed = self.calls = self.cache_hits = 0
        self.started = time.perf_counter()

    def tick(self, status: str) -> None:
        self.done += 1
        self.failed += status != "ok"
        if self.done % self.interval == 0 or self.done == self.total:
            self.store.checkpoint()
            if self.enabled:
                elapsed = max(time.perf_counter() - self.started, 1e-9)
                rate = self.done / elapsed
                eta = (self.total - self.done) / rate if rate else float("inf")
                print(
                    f"[narrate {self.run_id}] {self.done}/{self.total} ({100 * self.done / self.total:.0f}%) "
                    f"{rate:.1f}/s ETA {eta:.0f}s failures={self.failed} calls={self.calls} "
                    f"cached={self.cache_hits}",
                    file=sys.stderr,
                    flush=True,
                )


# --------------------------------------------------------------------------------------------------
# One persona
# --------------------------------------------------------------------------------------------------
TRACE_NAMESPACE = uuid.UUID("5b0f3c1e-8a52-5d7e-9a4b-6d6f6c646f76")


def trace_id_of(persona_id: str, first_prompt_hash: str, primary_model: str) -> str:
    """Trace id of one persona's narration: uuid5 of persona id, first-attempt prompt hash and primary
    model, so two builds with the same seed and inputs write the same trace ids (and the same exports)."""
    return uuid.uuid5(TRACE_NAMESPACE, f"{persona_id}|{first_prompt_hash}|{primary_model}").hex


async def narrate_one(
    core: Mapping[str, Any],
    plan: Any,
    settings: NarrationSettings,
    router: Any,
    store: ResponseStore,
    log: AttemptLog,
    sem: asyncio.Semaphore,
    progress: _Progress | None = None,
) -> dict[str, Any]:
    """Generate, validate and repair one persona; never raises for model or validation failures."""
    plan_d = to_jsonable(plan)
    plan_d = plan_d if isinstance(plan_d, Mapping) else {}
    core_d = dict(core)
    persona_id = str(core["persona_id"])
    trace_id: str | None = None  # set at attempt 1: deterministic, from persona id + first prompt hash
    primary_model = settings.alias(settings.primary).model
    free = llm.all_offline(settings)
    opening = str(plan_d.get("opening_move") or "")
    categories = constraint_categories(plan_d)
    secrets = settings.secret_values()
    repairs: list[str] = []
    hint: str | None = None
    failed: list[str] = []
    best: dict[str, Any] | None = None
    scores: dict[str, float] = {}
    totals = {"prompt_tokens": 0, "completion_tokens": 0, "cost_usd": 0.0}
    status, reason, model_used, phash = "failed_call", None, None, None
    attempt = 0
    for attempt in range(1, settings.max_attempts + 1):
        messages, phash = render_messages(core, plan_d, hint, attempt, failed)
        if trace_id is None:
            trace_id = trace_id_of(persona_id, phash, primary_model)
        cached = store.get_response(phash, primary_model)
        if cached is not None:
            result = llm.LLMResult(error=None, alias_used=None, retries=0, **cached)
            if progress:
                progress.cache_hits += 1
        else:
            async with sem:
                result = await llm.acomplete(
                    router,
                    settings,
                    messages,
                    {"trace_id": trace_id, "persona_id": persona_id},
                    spec=build_spec(core_d, plan_d, hint, attempt),
                )
            if progress:
                progress.calls += 1
            if result.error is None and not free:
                # offline answers are free and deterministic: recomputing beats storing ~10 KB each
                store.put_response(phash, primary_model, result)
        paid = cached is None
        if paid:
            totals["prompt_tokens"] += result.prompt_tokens
            totals["completion_tokens"] += result.completion_tokens
            totals["cost_usd"] += result.cost_usd
        model_used = result.model_used or model_used
        base_log = {
            "persona_id": persona_id,
            "stage": settings.stage,
            "attempt": attempt,
            "latency_ms": result.latency_ms if paid else 0,
            "prompt_tokens": result.prompt_tokens if paid else 0,
            "completion_tokens": result.completion_tokens if paid else 0,
            "opening_move": opening,
            "constraint_categories": categories,
            "model": (result.model_used if paid else f"cache:{result.model_used}"),
            "cost_usd": result.cost_usd if paid else 0.0,
        }
        if result.error is not None:
            status, reason = "failed_call", mask_text(result.error, secrets)
            log.write(
                **base_log,
                status="fail",
                repairs=list(repairs),
                validator_scores={},
                anchors_used=[],
                error=result.error,
            )
            break
        parsed, checks, failed, hint, anchors_used, parse_error = await workers.run_cpu(
            validators.evaluate, result.text or "", core_d, plan_d, settings.thresholds
        )
        error: str | None = None
        if parsed is None:
            hint = TRUNCATED_HINT if result.finish_reason == "length" else FORMAT_HINT
            error = f"unparseable completion ({result.finish_reason}): {parse_error}"
        else:
            fields = parsed
            scores = {name: round(c.score, 4) for name, c in checks.items()}
            if best is None or len(failed) <= best["n_failed"]:
                best = {
                    "fields": fields,
                    "n_failed": len(failed),
                    "anchors_used": anchors_used,
                    "scores": scores,
                }
        if not failed:
            status, reason = "ok", None
            log.write(
                **base_log,
                status="success",
                repairs=list(repairs),
                validator_scores=scores,
                anchors_used=anchors_used,
                error=None,
            )
            break
        repairs.extend(f for f in failed if f not in repairs)
        last = attempt == settings.max_attempts
        status = "failed_validation"
        reason = f"validators failed after {attempt} attempts: {', '.join(failed)}"
        detail = error or validators.describe(checks, failed)
        if detail:
            reason += f" ({detail[:300]})"
        log.write(
            **base_log,
            status="fail" if last else "repair",
            repairs=list(repairs),
            validator_scores={n: round(c.score, 4) for n, c in checks.items()},
            anchors_used=anchors_used,
            error=error or f"validation failed: {validators.describe(checks, failed)}",
        )
    # ok: the last candidate passed; otherwise keep the candidate that failed the fewest validators.
    chosen = {"fields": fields, "anchors_used": anchors_used, "scores": scores} if status == "ok" else best
    row: dict[str, Any] = {"persona_id": persona_id}
    for name in NARRATIVE_FIELDS:
        row[name] = chosen["fields"].get(name) if chosen else None
    row.update(
        status=status,
        failure_reason=reason,
        model_used=model_used,
        attempts=attempt,
        prompt_tokens=totals["prompt_tokens"],
        completion_tokens=totals["completion_tokens"],
        cost_usd=round(totals["cost_usd"], 8),
        prompt_hash=phash,
        trace_id=trace_id,
        opening_move=opening or None,
        constraint_categories=categories,
        anchors_used=chosen["anchors_used"] if chosen else [],
        validator_scores={n: (chosen["scores"].get(n) if chosen else None) for n in validators.VALIDATORS},
        narrated_at=_now().isoformat(),
    )
    return row


# --------------------------------------------------------------------------------------------------
# Many personas
# --------------------------------------------------------------------------------------------------
def to_table(rows: list[dict[str, Any]]) -> pa.Table:
    """Rows -> Arrow table with OUTPUT_SCHEMA (sorted by persona_id for stable output)."""
    rows = sorted(rows, key=lambda r: r["persona_id"])
    prepared = []
    for r in rows:
        r = dict(r)
        ts = r.get("narrated_at")
        r["narrated_at"] = datetime.fromisoformat(ts) if isinstance(ts, str) else ts
        prepared.append(r)
    return pa.Table.from_pylist(prepared, schema=OUTPUT_SCHEMA)


async def _narrate_all(
    todo: list[dict[str, Any]],
    plan_of: Callable[[dict[str, Any]], Any],
    settings: NarrationSettings,
    store: ResponseStore,
    log: AttemptLog,
    progress: _Progress,
    fingerprint: str,
) -> list[dict[str, Any]]:
    router = llm.get_router(settings)
    sem = asyncio.Semaphore(settings.max_concurrency)
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    for core in todo:
        queue.put_nowait(core)
    out: list[dict[str, Any]] = []

    async def worker() -> None:
        while True:
            try:
                core = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            pid = str(core["persona_id"])
            try:
                # planned here, not all up front: calls start at once (planning is ~0.3 ms per persona)
                plan = plan_of(core)
                row = await narrate_one(core, plan, settings, router, store, log, sem, progress)
            except Exception as exc:  # noqa: BLE001 - a bug in one persona must not sink the batch
                row = {
                    "persona_id": pid,
                    "status": "failed_call",
                    "failure_reason": mask_text(
                        f"internal error: {type(exc).__name__}: {exc}"[:600], settings.secret_values()
                    ),
                    "attempts": 0,
                    "constraint_categories": [],
                    "anchors_used": [],
                    "narrated_at": _now().isoformat(),
                }
            else:
                store.put_persona(row, fingerprint)
            out.append(row)
            progress.tick(row["status"])

    async def flusher() -> None:
        while True:
            await asyncio.sleep(COMMIT_INTERVAL_S / 2)
            store.flush_if_due()

    flush_task = asyncio.ensure_future(flusher())
    n_workers = min(len(todo), settings.max_concurrency * 2) or 1
    try:
        await asyncio.gather(*(worker() for _ in range(n_workers)))
    finally:
        flush_task.cancel()
        store.flush()
    return out


def narrate_cores(
    cores: Any,
    settings: Mapping[str, Any] | NarrationSettings | None = None,
    anchors_rows: Any = None,
    constraints_rows: Any = None,
    done_ids: Iterable[str] | None = None,
) -> pa.Table:
    """Narrate every core not in `done_ids`; one row per persona (OUTPUT_SCHEMA), failures kept.

    `settings` is a NarrationSettings or a dict (e.g. dbt `config.meta`), merged over the MOLDOVA_LLM_*
    environment. Anchors/constraints default to seeds/narration/*.csv relative to the working directory.
    """
    from moldova_personas.narration import planning

    conf = load_settings(settings)
    conf.check_keys()  # clear error naming the env var, before any call
    done = {str(d) for d in (done_ids or ())}
    todo = [c for c in rows_of(cores) if str(c["persona_id"]) not in done]
    seen: set[str] = set()
    todo = [c for c in todo if not (c["persona_id"] in seen or seen.add(c["persona_id"]))]
    if not todo:
        return to_table([])
    tiers = {str(c.get("tier", "")).removeprefix("tier_") for c in todo} - {""}
    if len(tiers) == 1 and "tier" not in (settings or {}):  # the cores say which tier this is
        conf = conf.model_copy(update={"tier": tiers.pop()})
    anchors = planning.load_anchors(
        rows_of(anchors_rows) if anchors_rows is not None else _seed_rows("anchors")
    )
    constraints = planning.load_constraints(
        rows_of(constraints_rows) if constraints_rows is not None else _seed_rows("constraints")
    )
    plan_of = functools.partial(
        planning.plan_persona, anchors=anchors, constraints=constraints, seed=conf.seed
    )
    run_id = conf.run_id or new_run_id(conf.tier)
    store = ResponseStore(Path(conf.state_dir) / "narration.sqlite")
    fingerprint = conf.fingerprint()
    finished = store.get_personas([str(c["persona_id"]) for c in todo], fingerprint)
    remaining = [c for c in todo if str(c["persona_id"]) not in finished]
    progress = _Progress(len(remaining), max(1, conf.interval), run_id, conf.progress, store)
    try:
        with AttemptLog(conf.log_dir, run_id, secrets=conf.secret_values()) as log:
            rows = (
                llm.run(_narrate_all(remaining, plan_of, conf, store, log, progress, fingerprint))
                if remaining
                else []
            )
    finally:
        store.checkpoint()
        store.close()
    return to_table(list(finished.values()) + rows)


__all__ = [
    "OUTPUT_SCHEMA",
    "ResponseStore",
    "narrate_cores",
    "narrate_one",
    "rows_of",
    "to_table",
    "trace_id_of",
]
