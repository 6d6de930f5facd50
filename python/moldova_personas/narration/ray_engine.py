"""Narration of a tier as Ray tasks (MOLDOVA_NARRATION_ENGINE=ray; `pip install '.[ray]'`).

The driver (the dbt model, or a script) splits the cores into contiguous batches and runs each batch as
one Ray task: `runtime.narrate_cores` on that batch, in a Ray worker process, with the same settings,
prompts, gateway (litellm Router over the pool of servers), validators and response store as the
single-process path. At most `ray_workers` tasks run at once; the tables they return are concatenated
and go back to dbt, which merges them into int_personas_narrated like any other run.

Why tasks (not actors, not Ray Data): a batch is a pure function of its cores and the store, so a task
whose worker dies is simply retried by Ray (`max_retries`), and the retry takes from the store every
persona the dead worker finished and every answer it was paid for (none is requested again; only the
calls in flight at the kill are lost). Actors would hold state the store already holds and need their own
restart logic; Ray Data's `map_batches` adds a streaming executor and block-size tuning for what is an
I/O-bound loop of LLM calls with ~20 KB of output per persona.

Where: `ray.init()` starts a local Ray instance with `ray_workers` CPUs; RAY_ADDRESS (read by Ray) points
the driver at a running cluster. Every worker opens the one response store (SQLite WAL under
`state_dir`), so workers and driver must see the same `state_dir`: one machine, or a cluster whose
nodes mount it at the same path with working file locks (see README, Scale-out).
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from moldova_personas.narration.attempt_log import new_run_id
from moldova_personas.narration.settings import NarrationSettings, load_settings

INSTALL_HINT = (
    "MOLDOVA_NARRATION_ENGINE=ray needs Ray, an optional extra: pip install '.[ray]' "
    "(ray[data]==2.60.0), or unset MOLDOVA_NARRATION_ENGINE to narrate in this process"
)
# Ray workers validate inline: one worker is one CPU, the cluster scales by adding workers (a pool of
# helper processes per worker would oversubscribe the CPUs Ray hands out).
WORKER_ENV = {"MOLDOVA_NARRATE_WORKERS": "0"}


def worker_env() -> dict[str, str]:
    """Environment of the narration tasks: inline validation, and this package importable (a local
    instance started from a checkout; on a cluster the nodes have the project installed)."""
    import moldova_personas

    here = str(Path(moldova_personas.__file__).resolve().parents[1])
    path = os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH", "")) if p)
    return {**WORKER_ENV, "PYTHONPATH": path}


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise RuntimeError(INSTALL_HINT) from None
    return ray


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def batch_bounds(n: int, workers: int, batch_size: int | None, concurrency: int) -> list[tuple[int, int]]:
    """Contiguous [lo, hi) ranges covering n cores: `batch_size` each, or by default about four batches
    per worker (a slow batch delays the end little) but no fewer than 4 x concurrency personas (so a
    batch keeps its gateway busy past the first wave of calls)."""
    if n <= 0:
        return []
    size = batch_size or max(4 * concurrency, math.ceil(n / (4 * workers)))
    return [(lo, min(lo + size, n)) for lo in range(0, n, size)]


def _init(ray: Any, workers: int | None) -> bool:
    """Connect to RAY_ADDRESS, or start a local instance with `workers` CPUs; True when this call
    connected (the caller then disconnects, which stops a local instance and its worker processes)."""
    if ray.is_initialized():
        return False
    address = os.environ.get("RAY_ADDRESS", "").strip() or None
    options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": True}
    if address is None and workers:
        options["num_cpus"] = workers
    ray.init(address=address, **options)
    return True


def _narrate_batch(
    cores: pa.Table,
    settings: NarrationSettings,
    anchors: list[dict[str, Any]],
    constraints: list[dict[str, Any]],
    done_ids: list[str],
    existing: list[dict[str, Any]],
) -> pa.Table:
    """One Ray task: the single-process runtime on one batch (store, gateway and validators included)."""
    from moldova_personas.narration.runtime import narrate_cores

    return narrate_cores(cores, settings, anchors, constraints, done_ids, existing)


def narrate_on_ray(
    cores: pa.Table,
    settings: Mapping[str, Any] | NarrationSettings | None,
    anchors: list[dict[str, Any]],
    constraints: list[dict[str, Any]],
    done_ids: Iterable[str] = (),
    existing: list[dict[str, Any]] | None = None,
) -> pa.Table:
    """Narrate `cores` as Ray tasks; the same rows `runtime.narrate_cores` would return.

    A task whose worker dies is retried (`ray_max_retries`), and its retry pays for nothing stored. A
    run stopped by a configuration error or a signal raises runtime.NarrationStopped, like the runtime.
    """
    from moldova_personas.narration.runtime import to_table

    ray = _ray()
    conf = load_settings(settings)
    conf.check_keys()  # before any worker starts: the same clear error as the single-process path
    if cores.num_rows == 0:
        return to_table([])
    cores = cores.sort_by("persona_id")
    tiers = (
        {str(t).removeprefix("tier_") for t in cores.column("tier").to_pylist()}
        if ("tier" in cores.column_names)
        else set()
    )
    run_id = conf.run_id or new_run_id(conf.tier if len(tiers) != 1 else next(iter(tiers)))
    # workers may start in another directory: every path absolute, the tier fixed here
    base = conf.model_copy(
        update={
            "state_dir": Path(conf.state_dir).resolve(),
            "log_dir": Path(conf.log_dir).resolve(),
            **({"tier": next(iter(tiers))} if len(tiers) == 1 else {}),
        }
    )
    # the driver decides what to narrate (the same plan every batch makes again for its own cores), so a
    # build with nothing left to narrate starts no Ray instance at all
    cores = _to_narrate(cores, base, run_id, done_ids, existing or [])
    if cores.num_rows == 0:
        return to_table([])
    connected = _init(ray, conf.ray_workers)
    try:
        return _run_batches(ray, cores, base, run_id, anchors, constraints, done_ids, existing or [])
    finally:
        if connected:  # the rest of the dbt build gets its CPUs back; no Ray process outlives dbt
            ray.shutdown()


def _to_narrate(
    cores: pa.Table,
    conf: NarrationSettings,
    run_id: str,
    done_ids: Iterable[str],
    existing: list[dict[str, Any]],
) -> pa.Table:
    """The cores `runtime.plan_narration` picks: new, failed, other models', marked by renarrate."""
    import pyarrow.compute as pc

    from moldova_personas.narration.runtime import plan_narration
    from moldova_personas.narration.store import STORE_FILE, ResponseStore

    ids = [str(i) for i in cores.column("persona_id").to_pylist()]
    store = ResponseStore(Path(conf.state_dir) / STORE_FILE)
    try:
        marks = store.marks(ids)
    finally:
        store.close()
    known = {str(r["persona_id"]): (r.get("status"), r.get("model_used")) for r in existing}
    plan = plan_narration([{"persona_id": i} for i in ids], conf, known, {str(i) for i in done_ids}, marks)
    if conf.progress:
        _say(f"[narrate {run_id}] {plan.line(conf.primary_model)}")
    todo = pa.array([str(c["persona_id"]) for c in plan.todo], pa.string())
    return cores.filter(pc.is_in(cores.column("persona_id"), value_set=todo))


def _run_batches(
    ray: Any,
    cores: pa.Table,
    base: NarrationSettings,
    run_id: str,
    anchors: list[dict[str, Any]],
    constraints: list[dict[str, Any]],
    done_ids: Iterable[str],
    existing: list[dict[str, Any]],
) -> pa.Table:
    """Submit the batches, at most `ray_workers` at once; collect their tables in persona order."""
    from moldova_personas.narration.runtime import OUTPUT_SCHEMA, NarrationStopped, to_table

    conf = base
    workers = conf.ray_workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
    bounds = batch_bounds(cores.num_rows, workers, conf.ray_batch_size, conf.max_concurrency)
    ids = cores.column("persona_id").to_pylist()
    done = {str(i) for i in done_ids}
    by_id = {str(r["persona_id"]): r for r in existing}
    where = os.environ.get("RAY_ADDRESS") or "a local Ray instance"
    if conf.progress:
        _say(
            f"[narrate {run_id}] Ray: {cores.num_rows} cores in {len(bounds)} batches, {workers} workers "
            f"at once on {where}, {conf.max_concurrency} calls in flight per worker; store {base.state_dir}"
        )
    task = ray.remote(_narrate_batch).options(
        num_cpus=1,
        max_retries=conf.ray_max_retries,
        retry_exceptions=False,  # a configuration error or a stop is not retried: it is reported
        runtime_env={"env_vars": worker_env()},
    )
    refs_anchors, refs_constraints = ray.put(anchors), ray.put(constraints)
    pending: dict[Any, int] = {}
    results: dict[int, pa.Table] = {}
    next_batch, started, last_line = 0, time.perf_counter(), time.perf_counter()
    try:
        while next_batch < len(bounds) or pending:
            while next_batch < len(bounds) and len(pending) < workers:
                lo, hi = bounds[next_batch]
                batch_ids = ids[lo:hi]
                batch_conf = base.model_copy(update={"run_id": f"{run_id}-b{next_batch:04d}"})
                ref = task.remote(
                    cores.slice(lo, hi - lo),
                    batch_conf,
                    refs_anchors,
                    refs_constraints,
                    [i for i in batch_ids if i in done],
                    [by_id[i] for i in batch_ids if i in by_id],
                )
                pending[ref] = next_batch
                next_batch += 1
            ready, _ = ray.wait(list(pending), num_returns=1, timeout=conf.progress_interval_s)
            for ref in ready:
                index = pending.pop(ref)
                try:
                    results[index] = ray.get(ref)
                except ray.exceptions.RayTaskError as exc:
                    cause = exc.cause if hasattr(exc, "cause") else None
                    if isinstance(cause, NarrationStopped):
                        raise NarrationStopped(f"batch {index} of {len(bounds)}: {cause}") from None
                    raise
            if conf.progress and (ready or time.perf_counter() - last_line >= conf.progress_interval_s):
                last_line = time.perf_counter()
                rows = sum(t.num_rows for t in results.values())
                elapsed = time.perf_counter() - started
                _say(
                    f"[narrate {run_id}] Ray: {len(results)}/{len(bounds)} batches done, {rows} personas "
                    f"in {elapsed:.0f}s ({rows / max(elapsed, 1e-9):.1f}/s), {len(pending)} running"
                )
    finally:
        for ref in pending:  # a stop or an error: the other batches stop too (their answers are stored)
            ray.cancel(ref)
    tables = [results[i].cast(OUTPUT_SCHEMA) for i in sorted(results)]
    return pa.concat_tables(tables) if tables else to_table([])


__all__ = ["INSTALL_HINT", "batch_bounds", "narrate_on_ray"]
