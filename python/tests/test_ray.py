"""Narration on Ray: a small tier on a local Ray cluster of 2 workers, one worker killed midway.

Real stack: Ray 2.60 (the optional extra), litellm over HTTP to the local fake OpenAI-compatible server
(0.2 s per call), the SQLite response store shared by the workers. A Ray worker process narrating a batch
is killed with SIGKILL once the store holds answers; Ray retries its batch on a new worker, which takes
what the dead one finished from the store. The run must end with every persona narrated exactly once, ok,
and no answer the store holds requested again: each prompt was answered and stored once, and the only
requests sent twice are the ones in flight at the kill (never answered to the killed worker).
"""

from __future__ import annotations

import signal
import sqlite3
import threading
import time
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pytest
from conftest import make_cores

ray = pytest.importorskip("ray", reason="Ray is an optional extra: pip install '.[ray]'")
psutil = pytest.importorskip("psutil")

from moldova_personas.narration.ray_engine import INSTALL_HINT, batch_bounds, narrate_on_ray  # noqa: E402
from moldova_personas.narration.runtime import NarrationStopped, narrate_cores  # noqa: E402
from moldova_personas.narration.settings import load_settings  # noqa: E402

N = 40
CONCURRENCY = 4
BATCH = 20  # two batches: one per worker
TASK_TITLE = "ray::_narrate_batch"


@pytest.fixture()
def local_ray():
    """A private local Ray instance of 2 CPUs (= 2 narration workers), shut down after the test."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def _settings(server, dirs) -> dict:
    return {
        "creative": {"model": "openai/creative-m", "api_base": server.url, "timeout_s": 10},
        "fallback_order": ["creative"],
        "max_concurrency": CONCURRENCY,
        "max_attempts": 1,
        "engine": "ray",
        "ray_workers": 2,
        "ray_batch_size": BATCH,
        "progress": True,
        "progress_interval_s": 1,
        **dirs,
    }


def _batch_workers() -> list[psutil.Process]:
    """Ray worker processes of this test's cluster (descendants of this process) narrating a batch."""
    found = []
    for proc in psutil.Process().children(recursive=True):
        try:
            if " ".join(proc.cmdline()).startswith(TASK_TITLE):
                found.append(proc)
        except psutil.NoSuchProcess:
            continue
    return found


def _stored(state: Path) -> tuple[Counter, int, Counter]:
    """(answers per prompt hash, persona rows, answers per batch run id) in the shared store."""
    path = state / "narration.sqlite"
    if not path.exists():
        return Counter(), 0, Counter()
    with sqlite3.connect(path, timeout=30) as db:
        try:
            rows = db.execute("select prompt_hash, run_id from responses").fetchall()
            personas = db.execute("select count(*) from personas").fetchone()[0]
        except sqlite3.OperationalError:  # the first worker is creating the tables
            return Counter(), 0, Counter()
    return Counter(h for h, _ in rows), personas, Counter(r for _, r in rows)


def _batch_of(proc: psutil.Process) -> str | None:
    """Run id of the batch a worker narrates: the attempt log it holds open (<run_id>.jsonl)."""
    try:
        logs = [Path(f.path).stem for f in proc.open_files() if f.path.endswith(".jsonl")]
    except psutil.Error:
        return None
    return logs[0] if logs else None


def test_batches_cover_every_core_once():
    for n, workers, size, conc in ((40, 2, 10, 4), (25_000, 2, None, 16), (7, 3, None, 64), (0, 2, None, 4)):
        bounds = batch_bounds(n, workers, size, conc)
        covered = [i for lo, hi in bounds for i in range(lo, hi)]
        assert covered == list(range(n))
    assert len(batch_bounds(25_000, 2, None, 16)) == 8  # about four batches per worker


def test_engine_setting_is_checked():
    assert load_settings({}, env={"MOLDOVA_NARRATION_ENGINE": "Ray"}).engine == "ray"
    assert load_settings({}, env={}).engine == "local"
    with pytest.raises(ValueError, match="MOLDOVA_NARRATION_ENGINE"):
        load_settings({}, env={"MOLDOVA_NARRATION_ENGINE": "spark"})
    assert "pip install '.[ray]'" in INSTALL_HINT


def test_killed_worker_loses_nothing_paid_for(server, dirs, local_ray):
    server.delay = 0.3
    cores = pa.Table.from_pylist(make_cores(N, seed=13))
    state = Path(dirs["state_dir"])
    out: dict = {}

    def drive() -> None:
        try:
            out["table"] = narrate_on_ray(cores, _settings(server, dirs), [], [])
        except BaseException as exc:  # noqa: BLE001 - reported by the assertions below
            out["error"] = exc

    driver = threading.Thread(target=drive)
    driver.start()
    killed = None
    deadline = time.monotonic() + 120
    while killed is None and driver.is_alive() and time.monotonic() < deadline:
        answers, personas, by_batch = _stored(state)
        batch_of = {_batch_of(p): p for p in _batch_workers()}
        # midway: kill the worker of a batch with answers stored (>= 2 x the calls in flight) and half of
        # its batch still to do, so its retry must take them from the store
        ripe = [b for b in batch_of if b and CONCURRENCY * 2 <= by_batch[b] <= BATCH // 2 + CONCURRENCY]
        if ripe:
            killed = batch_of[ripe[0]]
            paid_before = set(answers)
            before = (sum(answers.values()), personas, by_batch[ripe[0]])
            killed.send_signal(signal.SIGKILL)
        time.sleep(0.05)
    driver.join(180)
    assert killed is not None, "no narration worker to kill: the tier finished before midway"
    assert not killed.is_running() or killed.status() == psutil.STATUS_ZOMBIE
    assert "error" not in out, out.get("error")
    table = out["table"]

    ids = table.column("persona_id").to_pylist()
    assert sorted(ids) == sorted(c["persona_id"] for c in make_cores(N, seed=13))  # all, once each
    assert set(table.column("status").to_pylist()) == {"ok"}

    answers, personas, _ = _stored(state)
    assert personas == N and before[1] < N
    # every prompt was paid for once: a stored answer is never asked for again
    assert max(answers.values()) == 1, [h for h, n in answers.items() if n > 1]
    requests = Counter(r["hash"] for r in server.requests())
    assert set(requests) == set(answers)
    again = [h for h in paid_before if requests[h] > 1]
    assert not again, f"{len(again)} answers stored before the kill were requested again"
    repeated = sum(n - 1 for n in requests.values())
    # the only repeats are calls the killed worker had in flight (it never received their answers)
    assert repeated <= CONCURRENCY, requests.most_common(5)
    # and the rows are the ones the single-process path writes (same prompts, same answers, same trace ids)
    local_settings = {**_settings(server, dirs), "engine": "local", "state_dir": str(state) + "-local"}
    local = narrate_cores(cores, local_settings, [], [])
    # tokens and cost say what this run paid: a persona whose answer the killed worker had stored, but
    # not its row, is finished by the retry from the store at 0 tokens, where the local run paid
    paid = ("prompt_tokens", "completion_tokens", "cost_usd")
    columns = [c for c in table.column_names if c != "narrated_at" and c not in paid]
    assert table.select(columns).to_pylist() == local.select(columns).to_pylist()
    for ray_row, local_row in zip(
        table.select(paid).to_pylist(), local.select(paid).to_pylist(), strict=True
    ):
        assert ray_row == local_row or ray_row == dict.fromkeys(paid, 0), (
            ray_row,
            local_row,
        )
    print(
        f"killed pid {killed.pid} with {before[0]} answers ({before[2]} of its batch) / {before[1]} "
        "personas stored; "
        f"{sum(requests.values())} requests for {len(answers)} prompts, {repeated} re-sent from the kill"
    )


def test_missing_ray_says_how_to_install(monkeypatch, server, dirs):
    import builtins

    real_import = builtins.__import__

    def no_ray(name, *args, **kwargs):
        if name == "ray":
            raise ImportError("No module named 'ray'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ray)
    cores = pa.Table.from_pylist(make_cores(2))
    with pytest.raises(RuntimeError, match=r"pip install '\.\[ray\]'"):
        narrate_on_ray(cores, _settings(server, dirs), [], [])


def test_configuration_error_stops_the_ray_run_at_once(server, dirs, local_ray):
    """A rejected key in a worker stops the whole run with the runtime's message, not a retry loop."""
    server.set_faults("creative-m", sticky={"kind": "401"})
    cores = pa.Table.from_pylist(make_cores(8, seed=3))
    settings = {**_settings(server, dirs), "ray_batch_size": 4}
    started = time.monotonic()
    with pytest.raises(NarrationStopped, match=r"batch \d of 2: .*creative"):
        narrate_on_ray(cores, settings, [], [])
    assert time.monotonic() - started < 60
    # at most the calls each batch had in flight when the first 401 came back; Ray retries no batch
    assert len(server.requests()) <= 2 * CONCURRENCY
