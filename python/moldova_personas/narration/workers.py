"""CPU work of the narration runtime off the event loop thread: a small process pool.

The LLM event loop thread (see `llm.py`) spends most of its CPU inside litellm; the offline narrator's
text generation and the validators (regexes over ~10 KB per persona) run here instead, on the other
core(s). Workers start with `spawn` (safe under dbt's threads) and import no dbt code; litellm only
when the offline narrator's answers are counted there (`llm.offline_answer`).

The pool is driven by the event loop itself: one pipe per worker, results read with `loop.add_reader`,
at most `IN_FLIGHT` jobs queued per worker (so it never idles while the loop is busy). A
`ProcessPoolExecutor` needs a manager thread and a queue feeder thread; both wake up and take the GIL
on every job, and the loop thread then waited ~5 ms per call to get it back (measured: 1.6 s of
`posix.write` per 320 calls). With one CPU, or MOLDOVA_NARRATE_WORKERS=0, or if the
pool cannot start, the same functions run inline on the calling thread: results are identical.
"""

from __future__ import annotations

import asyncio
import atexit
import collections
import contextlib
import multiprocessing
import os
import pickle
import sys
import threading
import types
from collections.abc import Callable
from multiprocessing.context import SpawnContext, SpawnProcess
from typing import Any, TypeVar

T = TypeVar("T")
_pool: LoopPool | None = None
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
    from moldova_personas.narration import prompts, validators  # noqa: F401
    from moldova_personas.narration.offline import narrator as offline  # noqa: F401


def _serve(conn: Any) -> None:
    """Worker main loop: (fn, args) in, ("ok", result) or ("err", exception) out; exits on EOF."""
    import pickle

    _warm()
    while True:
        try:
            fn, args = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return
        try:
            out = pickle.dumps(("ok", fn(*args)), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - handed back to the caller
            try:
                out = pickle.dumps(("err", exc), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # noqa: BLE001 - unpicklable exception
                out = pickle.dumps(("err", RuntimeError(repr(exc))), protocol=pickle.HIGHEST_PROTOCOL)
        conn.send_bytes(out)


IN_FLIGHT = 2  # jobs queued per worker: one running, one waiting in its pipe


class BrokenWorkerPool(RuntimeError):
    """A worker process died or its pipe broke."""


class _Worker:
    def __init__(self, ctx: SpawnContext) -> None:
        parent, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_serve, args=(child,), daemon=True, name="moldova-narrate-worker")
        self.process.start()
        child.close()
        self.conn = parent
        self.futures: collections.deque[asyncio.Future[Any]] = collections.deque()  # in send order


class LoopPool:
    """Worker processes fed and read by one asyncio loop (no helper threads, so no GIL convoy)."""

    def __init__(self, n: int) -> None:
        ctx = _Context()
        self._workers = [_Worker(ctx) for _ in range(n)]
        self._processes = {w.process.pid: w.process for w in self._workers}  # read by the benchmark
        self._waiting: collections.deque[tuple[bytes, asyncio.Future[Any]]] = collections.deque()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.broken = False

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
            for w in self._workers:
                loop.add_reader(w.conn.fileno(), self._on_readable, w)
        if loop is not self._loop:  # a second event loop: the pipes belong to the first one
            return fn(*args)
        if self.broken:
            raise BrokenWorkerPool("worker pool is broken")
        payload = pickle.dumps((fn, args), protocol=pickle.HIGHEST_PROTOCOL)
        future: asyncio.Future[Any] = loop.create_future()
        worker = min(self._workers, key=lambda w: len(w.futures))
        if len(worker.futures) < IN_FLIGHT:
            self._send(worker, payload, future)
        else:
            self._waiting.append((payload, future))
        status, value = await future
        if status == "err":
            raise value
        return value

    def _send(self, w: _Worker, payload: bytes, future: asyncio.Future[Any]) -> None:
        w.futures.append(future)
        try:
            w.conn.send_bytes(payload)
        except OSError as exc:
            self._break(BrokenWorkerPool(f"worker pipe: {exc}"))

    def _on_readable(self, w: _Worker) -> None:
        try:
            status, value = pickle.loads(w.conn.recv_bytes())
        except (EOFError, OSError) as exc:
            self._break(BrokenWorkerPool(f"worker {w.process.pid} exited: {type(exc).__name__}"))
            return
        future = w.futures.popleft() if w.futures else None
        if future is not None and not future.done():
            future.set_result((status, value))
        while self._waiting:
            payload, nxt = self._waiting.popleft()
            if not nxt.done():  # skip callers that were cancelled while queued
                self._send(w, payload, nxt)
                return

    def _break(self, exc: BaseException) -> None:
        self.broken = True
        pending = [f for w in self._workers for f in w.futures] + [f for _, f in self._waiting]
        self._waiting.clear()
        for future in pending:
            if future is not None and not future.done():
                future.set_exception(exc)
        self._detach()

    def _detach(self) -> None:
        """Unregister the pipes from the loop (on the loop thread; waits briefly when called elsewhere)."""
        loop, self._loop = self._loop, None
        if loop is None or loop.is_closed():
            return

        def remove() -> None:
            for w in self._workers:
                w.futures.clear()
                with contextlib.suppress(OSError, ValueError):
                    loop.remove_reader(w.conn.fileno())

        try:
            on_loop = asyncio.get_running_loop() is loop
        except RuntimeError:
            on_loop = False
        if on_loop or not loop.is_running():
            remove()
            return
        done = threading.Event()
        loop.call_soon_threadsafe(lambda: (remove(), done.set()))
        done.wait(2)

    def shutdown(self, wait: bool = False, cancel_futures: bool = True) -> None:
        self.broken = True
        self._detach()
        for w in self._workers:
            with contextlib.suppress(OSError):
                w.conn.close()  # the worker sees EOF and returns
        for w in self._workers:
            if wait:
                w.process.join(5)
            if w.process.is_alive():
                w.process.terminate()


def get_pool() -> LoopPool | None:
    """The process pool, started on first use; None when CPU work runs inline."""
    global _pool, _pool_failed
    with _lock:
        if _pool is None and not _pool_failed:
            workers = n_workers()
            if workers <= 0:
                _pool_failed = True
                return None
            try:
                _pool = LoopPool(workers)
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
        return await pool.run(fn, *args)
    except Exception as exc:  # noqa: BLE001 - the functions are pure: redo inline (a real bug re-raises)
        if isinstance(exc, BrokenWorkerPool | OSError) or type(exc).__name__ == "PicklingError":
            _pool_failed = True  # the pool itself is unusable: run inline from now on
            shutdown()
        return fn(*args)
