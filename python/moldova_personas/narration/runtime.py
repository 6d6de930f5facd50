"""Narration orchestration: plan -> prompt -> LLM (gateway) -> validate -> repair, for many cores.

Incremental and resumable (see store.py): every answer a provider returns is stored as it arrives and
judged after validation; a re-run reuses answers that passed (never pays for them again) and narrates
again what failed. Which personas a run narrates is said before it starts (`NarrationPlan`): new ones,
failed ones, ones written by another model than the configured primary (unless keep_other_models), ones
marked by `make renarrate`.

All coroutines run on the single event loop thread of `llm`; concurrency is the gateway's semaphore.
Parsing + validation of every completion (and the offline narrator's text) run in the worker process
pool of `workers`, so the loop thread keeps to litellm, prompts and the store. During a run a progress
line is printed every `progress_interval_s` seconds; at the end, a provider summary. SIGINT/SIGTERM stop
the run after a grace period for the calls in flight (their answers are stored) and print how to resume.
A configuration error of the primary (llm.FatalProviderError) stops the run at once with one line.
"""

from __future__ import annotations

import asyncio
import atexit
import csv
import functools
import os
import shlex
import signal
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
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
from moldova_personas.narration.store import COMMIT_INTERVAL_S, STORE_FILE, ResponseStore
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
        ("primary_model", pa.string()),
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
RENARRATE_COMMAND = "make renarrate"


class NarrationStopped(RuntimeError):
    """The run stopped before narrating every persona (configuration error, or a signal); what was
    finished is stored and a re-run resumes from it. `str()` says why, what was saved and how to go on."""


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------
def _now() -> datetime:
    return datetime.now(UTC)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _duration(seconds: float) -> str:
    if seconds == float("inf"):
        return "?"
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


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


def resume_command() -> str:
    """The command that resumes the run: MOLDOVA_RESUME_COMMAND (the Makefile sets it, e.g. `make run`),
    else the command line of this process (dbt, a script)."""
    given = os.environ.get("MOLDOVA_RESUME_COMMAND", "").strip()
    if given:
        return given
    argv = list(sys.argv)
    if argv and argv[0].endswith(("/dbt", "dbt")):
        argv[0] = "dbt"
    return shlex.join(argv) if argv and argv[0] else "the same command"


# --------------------------------------------------------------------------------------------------
# What a run narrates, and why
# --------------------------------------------------------------------------------------------------
@dataclass
class NarrationPlan:
    """Which cores a run narrates and why; said before the run starts."""

    total: int
    todo: list[dict[str, Any]]
    reasons: Counter = field(default_factory=Counter)  # why each todo persona is narrated
    kept: Counter = field(default_factory=Counter)  # finished personas kept, by the model that wrote them
    other_models: Counter = field(default_factory=Counter)  # re-narrated, by the model that wrote them
    marks: dict[str, tuple[str, str]] = field(default_factory=dict)

    def line(self, primary_model: str, from_store: int = 0) -> str:
        """e.g. '1000 of 1000 personas to narrate with openai/gpt-4o-mini: 1000 written by another
        model (1000 by offline/narrator) ...; kept as they are: none'."""
        why = []
        if self.reasons["new"]:
            why.append(f"{self.reasons['new']} new")
        if self.reasons["failed"]:
            why.append(f"{self.reasons['failed']} whose last narration failed")
        if self.other_models:
            by = ", ".join(f"{n} by {m}" for m, n in self.other_models.most_common())
            why.append(
                f"{sum(self.other_models.values())} written by another model than the primary ({by}); "
                "MOLDOVA_LLM_KEEP_OTHER_MODELS=1 keeps those"
            )
        if self.reasons["marked"]:
            reasons = Counter(reason for reason, _ in self.marks.values())
            detail = ", ".join(f"{n} {r}" for r, n in reasons.most_common())
            why.append(f"{self.reasons['marked']} requested by `{RENARRATE_COMMAND}` ({detail})")
        kept = ", ".join(f"{n} by {m}" for m, n in self.kept.most_common()) or "none"
        text = f"{len(self.todo)} of {self.total} personas to narrate with {primary_model}"
        text += (": " + "; ".join(why) if why else "") + f". Kept as they are: {kept}."
        if from_store:
            text += (
                f" {from_store} of those to narrate were finished earlier and come from the response store."
            )
        return text


def plan_narration(
    cores: list[dict[str, Any]],
    settings: NarrationSettings,
    existing: Mapping[str, tuple[str | None, str | None]],
    done_ids: set[str],
    marks: Mapping[str, tuple[str, str]],
) -> NarrationPlan:
    """Decide, per core: keep (done: ok and written by the primary, or kept by request) or narrate.

    `existing`: persona_id -> (status, model_used) of rows narrated earlier (the dbt table);
    `done_ids`: ids the caller says are finished whatever their model; `marks`: `make renarrate` requests.
    """
    plan = NarrationPlan(total=len(cores), todo=[])
    primary = settings.primary_model
    for core in cores:
        pid = str(core["persona_id"])
        if pid in marks:
            plan.todo.append(core)
            plan.reasons["marked"] += 1
            plan.marks[pid] = marks[pid]
            continue
        if pid in done_ids:
            status, model = existing.get(pid, ("ok", None))
            plan.kept[model or "earlier run"] += 1
            continue
        if pid not in existing:
            plan.todo.append(core)
            plan.reasons["new"] += 1
            continue
        status, model = existing[pid]
        if status != "ok":
            plan.todo.append(core)
            plan.reasons["failed"] += 1
        elif model and model != primary and not settings.keep_other_models:
            plan.todo.append(core)
            plan.reasons["other_model"] += 1
            plan.other_models[model] += 1
        else:
            plan.kept[model or "earlier run"] += 1
    return plan


# --------------------------------------------------------------------------------------------------
# One run
# --------------------------------------------------------------------------------------------------
TRACE_NAMESPACE = uuid.UUID("5b0f3c1e-8a52-5d7e-9a4b-6d6f6c646f76")


def trace_id_of(persona_id: str, first_prompt_hash: str, primary_model: str) -> str:
    """Trace id of one persona's narration: uuid5 of persona id, first-attempt prompt hash and primary
    model, so two builds with the same seed and inputs write the same trace ids (and the same exports)."""
    return uuid.uuid5(TRACE_NAMESPACE, f"{persona_id}|{first_prompt_hash}|{primary_model}").hex


class Run:
    """State of one narration run on the loop thread: gateway, store, log, counters, stop flag."""

    def __init__(
        self,
        settings: NarrationSettings,
        store: ResponseStore,
        log: AttemptLog,
        total: int,
        marks: Mapping[str, tuple[str, str]],
        fingerprint: str,
    ) -> None:
        self.settings = settings
        self.store = store
        self.log = log
        self.total = total
        self.marks = dict(marks)
        self.fingerprint = fingerprint
        self.run_id = log.run_id
        self.gateway = llm.Gateway(settings)
        self.primary_model = settings.primary_model
        self.free = self.gateway.all_offline  # offline answers are free and deterministic: not stored
        self.secrets = settings.secret_values()
        self.done = 0
        self.statuses: Counter = Counter()
        self.models: Counter = Counter()
        self.failure_classes: Counter = Counter()  # parse / validation failures (provider ones: gateway)
        self.calls = 0
        self.cache_hits = 0
        self.answers_stored = 0
        self.started = time.perf_counter()
        self.stop_reason: str | None = None
        self.fatal: llm.FatalProviderError | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.tasks: list[asyncio.Task] = []
        self.stopped = threading.Event()

    # -- progress ---------------------------------------------------------------------------------
    def progress_line(self) -> str:
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        rate = self.done / elapsed
        eta = (self.total - self.done) / rate if rate else float("inf")
        g = self.gateway
        in_flight = f"in flight {len(g.in_flight)}"
        if g.in_flight:
            in_flight += f", oldest {g.oldest_in_flight_s():.0f}s"
            slow = g.slow_in_flight()
            if slow:
                half = self.settings.alias(g.primary).timeout_s / 2
                in_flight += f", {slow} waiting > {half:.0f}s (half the timeout)"
        if g.waiting_for_breaker:
            in_flight += f", {g.waiting_for_breaker} waiting for a breaker to close"
        failures = g.failures_by_class() + self.failure_classes
        fails = ", ".join(f"{c} {n}" for c, n in failures.most_common()) or "none"
        return (
            f"[narrate {self.run_id}] {self.done}/{self.total} ({100 * self.done / max(self.total, 1):.0f}%) "
            f"{rate:.1f}/s ETA {_duration(eta)} | {in_flight} | failures: {fails} | "
            f"calls {self.calls}, from store {self.cache_hits}"
        )

    def tick(self, status: str, model: str | None) -> None:
        self.done += 1
        self.statuses[status] += 1
        if status == "ok":
            self.models[model or "?"] += 1
        if self.done % max(1, self.settings.interval) == 0 or self.done == self.total:
            self.store.checkpoint()
            if self.settings.progress:
                _say(f"[narrate {self.run_id}] checkpoint: {self.done}/{self.total} personas saved")

    def summary_lines(self) -> list[str]:
        elapsed = time.perf_counter() - self.started
        statuses = ", ".join(f"{n} {s}" for s, n in self.statuses.most_common()) or "none"
        written = ", ".join(f"{n} by {m}" for m, n in self.models.most_common()) or "none"
        lines = [
            f"[narrate {self.run_id}] narrated {self.done}/{self.total} personas in {_duration(elapsed)} "
            f"= {self.done / max(elapsed, 1e-9):.1f}/s ({statuses}); ok ones written by: {written}; "
            f"{self.calls} calls "
            f"({sum(st.calls for st in self.gateway.stats.values())} requests to providers), "
            f"{self.cache_hits} answers from the store",
            f"[narrate {self.run_id}] provider summary (calls are requests to a provider):",
            *self.gateway.summary_lines(),
        ]
        if self.failure_classes:
            fails = ", ".join(f"{c} {n}" for c, n in self.failure_classes.most_common())
            lines.append(f"  answers rejected by the runtime: {fails}")
        return lines

    # -- stopping ---------------------------------------------------------------------------------
    def request_stop(self, reason: str) -> None:
        """From any thread: stop taking personas; calls in flight get signal_grace_s to finish."""
        loop = self.loop
        if loop is None or loop.is_closed() or self.stop_reason is not None:
            return
        loop.call_soon_threadsafe(self._stop_on_loop, reason)

    def _stop_on_loop(self, reason: str) -> None:
        if self.stop_reason is not None:
            return
        self.stop_reason = reason
        _say(
            f"[narrate {self.run_id}] {reason}: no new persona is started; waiting up to "
            f"{self.settings.signal_grace_s:.0f}s for {len(self.gateway.in_flight)} calls in flight"
        )
        assert self.loop is not None
        self.loop.call_later(self.settings.signal_grace_s, self._cancel_all)

    def _cancel_all(self) -> None:
        for task in self.tasks:
            task.cancel()


_active: set[Run] = set()


def stop_active_runs(reason: str) -> None:
    """Ask every running narration of this process to stop (from any thread, returns at once)."""
    for run in list(_active):
        run.request_stop(reason)


def _stop_active_runs_at_exit() -> None:
    """At interpreter exit (e.g. dbt ending on Ctrl-C while a model narrates on a worker thread):
    stop every active run gracefully and wait for it to say what was saved."""
    for run in list(_active):
        run.request_stop("interrupted (the process is exiting)")
        run.stopped.wait(run.settings.signal_grace_s + 10)


atexit.register(_stop_active_runs_at_exit)


# --------------------------------------------------------------------------------------------------
# One persona
# --------------------------------------------------------------------------------------------------
async def narrate_one(core: Mapping[str, Any], plan: Any, run: Run) -> dict[str, Any]:
    """Generate, validate and repair one persona; never raises for model or validation failures
    (only llm.FatalProviderError, which stops the run)."""
    settings, store, log = run.settings, run.store, run.log
    plan_d = to_jsonable(plan)
    plan_d = plan_d if isinstance(plan_d, Mapping) else {}
    core_d = dict(core)
    persona_id = str(core["persona_id"])
    trace_id: str | None = None  # set at attempt 1: deterministic, from persona id + first prompt hash
    primary_model = run.primary_model
    fresh_since = run.marks[persona_id][1] if persona_id in run.marks else None
    written_by = None if settings.keep_other_models else primary_model
    opening = str(plan_d.get("opening_move") or "")
    categories = constraint_categories(plan_d)
    repairs: list[str] = []
    hint: str | None = None
    failed: list[str] = []
    best: dict[str, Any] | None = None
    scores: dict[str, float] = {}
    fields: dict[str, Any] = {}
    anchors_used: list[str] = []
    totals = {"prompt_tokens": 0, "completion_tokens": 0, "cost_usd": 0.0}
    status, reason, model_used, phash = "failed_call", None, None, None
    seq = 0  # lines of this persona in the attempt log

    def write(**fields_: Any) -> None:
        nonlocal seq
        seq += 1
        log.write(
            persona_id=persona_id,
            stage=settings.stage,
            attempt=seq,
            opening_move=opening,
            constraint_categories=categories,
            repairs=list(repairs),
            **fields_,
        )

    def write_failures(failures: list[llm.AttemptFailure], last_is_final: bool) -> None:
        for i, f in enumerate(failures):
            final = last_is_final and i == len(failures) - 1
            write(
                status="fail" if final else "error",
                latency_ms=f.latency_ms,
                prompt_tokens=0,
                completion_tokens=0,
                validator_scores={},
                anchors_used=[],
                model=f.model,
                cost_usd=0.0,
                error=f"{f.error_class}: {f.message}",
                error_class=f.error_class,
            )

    attempt = 0
    for attempt in range(1, settings.max_attempts + 1):
        messages, phash = render_messages(core, plan_d, hint, attempt, failed)
        if trace_id is None:
            trace_id = trace_id_of(persona_id, phash, primary_model)
        cached = None
        if not run.free:
            if fresh_since is not None:  # re-narration request: answers from before it are superseded
                store.reject(phash, primary_model, fresh_since, f"re-narration: {run.marks[persona_id][0]}")
            cached = store.get_response(phash, primary_model, written_by=written_by, since=fresh_since)
        response_id: int | None = None
        verdict: str | None = None
        if cached is not None:
            response_id, verdict = cached.pop("id"), cached.pop("verdict")
            result = llm.LLMResult(error=None, alias_used=None, retries=0, **cached)
            run.cache_hits += 1
        else:
            try:
                result = await run.gateway.complete(
                    messages,
                    {"trace_id": trace_id, "persona_id": persona_id},
                    spec=build_spec(core_d, plan_d, hint, attempt),
                )
            except llm.FatalProviderError as exc:
                write_failures(exc.failures, last_is_final=True)
                raise
            run.calls += 1
            write_failures(result.failures, last_is_final=result.error is not None)
            if result.error is None and not run.free:
                response_id = store.put_response(phash, primary_model, result, run.run_id)
                run.answers_stored += 1
        paid = cached is None
        if paid:
            totals["prompt_tokens"] += result.prompt_tokens
            totals["completion_tokens"] += result.completion_tokens
            totals["cost_usd"] += result.cost_usd
        model_used = result.model_used or model_used
        if result.error is not None:
            status = "failed_call"
            reason = mask_text(f"{result.error_class}: {result.error}", run.secrets)
            break
        base_log = {
            "latency_ms": result.latency_ms if paid else 0,
            "prompt_tokens": result.prompt_tokens if paid else 0,
            "completion_tokens": result.completion_tokens if paid else 0,
            "model": (result.model_used if paid else f"cache:{result.model_used}"),
            "cost_usd": result.cost_usd if paid else 0.0,
        }
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
        if response_id is not None and not (verdict == "passed" and not failed):
            store.set_verdict(
                response_id,
                "failed" if failed else "passed",
                (error or f"validation: {', '.join(failed)}")[:300] if failed else None,
            )
        if not failed:
            status, reason = "ok", None
            write(
                **base_log, status="success", validator_scores=scores, anchors_used=anchors_used, error=None
            )
            break
        repairs.extend(f for f in failed if f not in repairs)
        last = attempt == settings.max_attempts
        status = "failed_validation"
        reason = f"validators failed after {attempt} attempts: {', '.join(failed)}"
        detail = error or validators.describe(checks, failed)
        if detail:
            reason += f" ({detail[:300]})"
        error_class = "parse" if parsed is None else "validation"
        run.failure_classes[error_class] += 1
        write(
            **base_log,
            status="fail" if last else "repair",
            validator_scores={n: round(c.score, 4) for n, c in checks.items()},
            anchors_used=anchors_used,
            error=error or f"validation failed: {validators.describe(checks, failed)}",
            error_class=error_class,
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
        primary_model=primary_model,
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
    todo: list[dict[str, Any]], plan_of: Callable[[dict[str, Any]], Any], run: Run
) -> list[dict[str, Any]]:
    settings, store = run.settings, run.store
    run.loop = asyncio.get_running_loop()
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    for core in todo:
        queue.put_nowait(core)
    out: list[dict[str, Any]] = []

    async def worker() -> None:
        while run.stop_reason is None:
            try:
                core = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            pid = str(core["persona_id"])
            try:
                # planned here, not all up front: calls start at once (planning is ~0.3 ms per persona)
                plan = plan_of(core)
                row = await narrate_one(core, plan, run)
            except llm.FatalProviderError as exc:
                # a configuration error of the primary: the run stops now, every other persona too
                if run.fatal is None:
                    run.fatal = exc
                for task in run.tasks:
                    if task is not asyncio.current_task():
                        task.cancel()
                return
            except Exception as exc:  # noqa: BLE001 - a bug in one persona must not sink the batch
                row = {
                    "persona_id": pid,
                    "status": "failed_call",
                    "failure_reason": mask_text(
                        f"internal error: {type(exc).__name__}: {exc}"[:600], run.secrets
                    ),
                    "primary_model": run.primary_model,
                    "attempts": 0,
                    "constraint_categories": [],
                    "anchors_used": [],
                    "narrated_at": _now().isoformat(),
                }
            else:
                store.put_persona(row, run.fingerprint)
                if pid in run.marks:
                    store.clear_mark(pid)
            out.append(row)
            run.tick(row["status"], row.get("model_used"))

    async def flusher() -> None:
        while True:
            await asyncio.sleep(COMMIT_INTERVAL_S / 2)
            store.flush_if_due()

    async def reporter() -> None:
        while True:
            await asyncio.sleep(settings.progress_interval_s)
            _say(run.progress_line())

    helpers = [asyncio.ensure_future(flusher())]
    if settings.progress:
        helpers.append(asyncio.ensure_future(reporter()))
    n_workers = min(len(todo), settings.max_concurrency * 2) or 1
    run.tasks = [asyncio.ensure_future(worker()) for _ in range(n_workers)]
    try:
        results = await asyncio.gather(*run.tasks, return_exceptions=True)
        bug = next((r for r in results if isinstance(r, Exception)), None)
        if bug is not None:  # not a model or validation failure: a defect of the runtime
            raise bug
    finally:
        for task in helpers + run.tasks:
            task.cancel()
        await asyncio.gather(*helpers, *run.tasks, return_exceptions=True)
        store.flush()
    return out


def narrate_cores(
    cores: Any,
    settings: Mapping[str, Any] | NarrationSettings | None = None,
    anchors_rows: Any = None,
    constraints_rows: Any = None,
    done_ids: Iterable[str] | None = None,
    existing: Any = None,
) -> pa.Table:
    """Narrate the cores that need it; one row per narrated persona (OUTPUT_SCHEMA), failures kept.

    `settings` is a NarrationSettings or a dict (e.g. dbt `config.meta`), merged over the MOLDOVA_LLM_*
    environment. `existing`: rows (persona_id, status, model_used) narrated before (the incremental dbt
    table): failed ones and ones written by another model than the primary are narrated again (see
    NarrationPlan). `done_ids`: ids to skip whatever their model. Personas marked by `make renarrate`
    are narrated whatever the two say. Anchors/constraints default to seeds/narration/*.csv relative
    to the working directory.
    """
    from moldova_personas.narration import planning

    conf = load_settings(settings)
    conf.check_keys()  # clear error naming the env var, before any call
    seen: set[str] = set()
    all_cores = [c for c in rows_of(cores) if not (c["persona_id"] in seen or seen.add(c["persona_id"]))]
    if not all_cores:
        return to_table([])
    tiers = {str(c.get("tier", "")).removeprefix("tier_") for c in all_cores} - {""}
    if len(tiers) == 1 and "tier" not in (settings or {}):  # the cores say which tier this is
        conf = conf.model_copy(update={"tier": tiers.pop()})
    existing_rows = {str(r["persona_id"]): (r.get("status"), r.get("model_used")) for r in rows_of(existing)}
    store = ResponseStore(Path(conf.state_dir) / STORE_FILE)
    try:
        marks = store.marks(str(c["persona_id"]) for c in all_cores)
        plan = plan_narration(all_cores, conf, existing_rows, {str(d) for d in (done_ids or ())}, marks)
        run_id = conf.run_id or new_run_id(conf.tier)
        fingerprint = conf.fingerprint()
        todo_ids = [str(c["persona_id"]) for c in plan.todo]
        stored = {
            pid: row
            for pid, row in store.get_personas(todo_ids, fingerprint).items()
            if pid not in marks and _reusable(row, conf)
        }
        remaining = [c for c in plan.todo if str(c["persona_id"]) not in stored]
        if conf.progress:
            _say(f"[narrate {run_id}] {plan.line(conf.primary_model, len(stored))}")
            left_out = conf.offline_left_out()
            if left_out and remaining:
                _say(
                    f"[narrate {run_id}] the offline narrator is no fallback of this run "
                    f"({', '.join(left_out)} left out): a persona the providers fail stays failed_call and "
                    "is narrated again next run; MOLDOVA_LLM_ALLOW_OFFLINE_FALLBACK=1 lets the offline "
                    "narrator write it instead"
                )
        rows: list[dict[str, Any]] = []
        if remaining:
            anchors = planning.load_anchors(
                rows_of(anchors_rows) if anchors_rows is not None else _seed_rows("anchors")
            )
            constraints = planning.load_constraints(
                rows_of(constraints_rows) if constraints_rows is not None else _seed_rows("constraints")
            )
            plan_of = functools.partial(
                planning.plan_persona, anchors=anchors, constraints=constraints, seed=conf.seed
            )
            rows = _run(remaining, plan_of, conf, store, run_id, marks, fingerprint)
    finally:
        store.checkpoint()
        store.close()
    return to_table(list(stored.values()) + rows)


def _reusable(row: Mapping[str, Any], settings: NarrationSettings) -> bool:
    """A stored persona row is reused when it is ok and written by the primary (or kept on request)."""
    if row.get("status") != "ok":
        return False
    return settings.keep_other_models or row.get("model_used") == settings.primary_model


def _run(
    remaining: list[dict[str, Any]],
    plan_of: Callable[[dict[str, Any]], Any],
    conf: NarrationSettings,
    store: ResponseStore,
    run_id: str,
    marks: Mapping[str, tuple[str, str]],
    fingerprint: str,
) -> list[dict[str, Any]]:
    """Narrate `remaining` on the loop thread; summary at the end; signals and fatal errors stop it."""
    with AttemptLog(conf.log_dir, run_id, secrets=conf.secret_values()) as log:
        run = llm.run(_make_run(conf, store, log, len(remaining), marks, fingerprint))
        _active.add(run)
        restore = _install_signal_handlers(run)
        try:
            rows = llm.run(_narrate_all(remaining, plan_of, run))
        finally:
            restore()
            _active.discard(run)
            if conf.progress or run.fatal or run.stop_reason:
                for line in run.summary_lines():
                    _say(line)
            run.stopped.set()
    if run.fatal is not None or run.stop_reason is not None:
        message = _stopped_message(run, rows)
        _say(f"[narrate {run.run_id}] {message}")
        raise NarrationStopped(message)
    return rows


async def _make_run(*args: Any) -> Run:
    """Build the Run on the loop thread (the gateway's semaphore belongs to that loop)."""
    return Run(*args)


def _stopped_message(run: Run, rows: list[dict[str, Any]]) -> str:
    why = f"{run.fatal}" if run.fatal is not None else f"{run.stop_reason}."
    ok = sum(r.get("status") == "ok" for r in rows)
    fix = "fix the cause, then run" if run.fatal is not None else "run"
    return (
        f"Narration stopped: {why} Saved in {run.store.path}: {len(rows)} personas finished in this run "
        f"({ok} ok) and {run.answers_stored} paid answers; nothing stored is lost. Resume: {fix} "
        f"`{resume_command()}` (what was saved is not paid for again)."
    )


def _install_signal_handlers(run: Run) -> Callable[[], None]:
    """SIGINT/SIGTERM stop the run gracefully when narrate_cores runs on the main thread (a script).
    Inside dbt (a worker thread) `python -m moldova_personas.narration.signals` (the Makefile's dbt)
    sets handlers that do the same; with plain dbt, the exit hook stops the run on the way out."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {}

    def handler(signum: int, _frame: Any) -> None:
        run.request_stop(f"{signal.Signals(signum).name} received")

    for sig in (signal.SIGINT, signal.SIGTERM):
        previous[sig] = signal.signal(sig, handler)

    def restore() -> None:
        for sig, old in previous.items():
            signal.signal(sig, old)

    return restore


__all__ = [
    "OUTPUT_SCHEMA",
    "NarrationPlan",
    "NarrationStopped",
    "ResponseStore",
    "narrate_cores",
    "narrate_one",
    "plan_narration",
    "stop_active_runs",
    "rows_of",
    "to_table",
    "trace_id_of",
]
