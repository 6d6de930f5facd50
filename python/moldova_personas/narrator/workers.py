"""CPU work of the narration runtime off the event loop thread: a small process pool.

The LLM event loop thread (see `llm.py`) spends most of its CPU inside litellm; the offline narrator's
text generation and the validators (regexes over ~10 KB per persona) run here instead, on the other
core(s). Workers start with `spawn` (safe under dbt's threads) and import neither litellm nor dbt code
of ours beyond the narrator, prompts and validators. With one CPU, or MOLDOVA_NARRATE_WORKERS=0, or if the
pool cannot start, the same functions run inline on the calling thread: results are identical.
"""

from __future__ import annotations

import asyncio
import atexit
import multiprocessing
import os
import sys
import threading
import types
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from multiprocessing.context import SpawnContext, SpawnProcess
from typing import Any, TypeVar

T = TypeVar("T")
_pool: Executor | None = None
_pool_failed = False
_lock = threading.Lock()


class _Process(SpawnProcess):
    """A spawned worker that does not re-import the parent's __main__ script.

    `spawn` normally re-runs the main script in the child (as __mp_main__); a script or notebook without
    an `if __name__ == "__main__"` guard would then narrate again inside every worker. The workers only
    need importable package functions, so the parent's __main__ is hidden while a worker starts.
    """

    @staticmethod
    def _Popen(process_obj: Any) -> Any:
        real = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            return SpawnProcess._Popen(process_obj)
        finally:
            sys.modules["__main__"] = real


class _Context(SpawnContext):
    Process = _Process


def n_workers() -> int:
    """Worker processes: MOLDOVA_NARRATE_WORKERS, else one less than the CPUs (at most 4); never nested."""
    if multiprocessing.parent_process() is not None:
        return 0
    env = os.environ.get("MOLDOVA_NARRATE_WORKERS", "").strip()
    if env:
        return max(0, int(env))
    return max(0, min(4, (os.cpu_count() or 1) - 1))


def _warm() -> None:
    """Import the worker-side modules once, at pool start."""
    from moldova_personas import prompts, validators  # noqa: F401
    from moldova_personas.narrator import offline  # noqa: F401


def get_pool() -> Executor | None:
    """The process pool, started on first use; None when CPU work runs inline."""
    global _pool, _pool_failed
    with _lock:
        if _pool is None and not _pool_failed:
            workers = n_workers()
            if workers <= 0:
                _pool_failed = True
                return None
            try:
                _pool = ProcessPoolExecutor(max_workers=workers, mp_context=_Context(), initializer=_warm)
                atexit.register(shutdown)
            except (OSError, ValueError, RuntimeError):
                _pool_failed = True
        return _pool


def shutdown() -> None:
    """Stop the workers (tests, exit)."""
    global _pool
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
            _pool = None


async def run_cpu(fn: Callable[..., T], *args: Any) -> T:
    """Run `fn(*args)` in the pool (inline when there is none, or when the pool broke)."""
    global _pool_failed
    pool = get_pool()
    if pool is None:
        return fn(*args)
    try:
        return await asyncio.get_running_loop().run_in_executor(pool, fn, *args)
    except Exception as exc:  # noqa: BLE001 - the functions are pure: redo inline (a real bug re-raises)
        if isinstance(exc, OSError | RuntimeError) or type(exc).__name__ in (
            "BrokenProcessPool",
            "PicklingError",
        ):
            _pool_failed = True  # the pool itself is unusable: run inline from now on
            shutdown()
        return fn(*args)
