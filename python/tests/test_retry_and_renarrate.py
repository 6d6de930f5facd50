"""What a re-run narrates, over real HTTP through litellm (fake server): failed personas again and only
them, nothing that passed paid twice, personas of another model narrated with the primary (or kept on
request), personas marked by `make renarrate` (by id, by status, flagged by the safety gate)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import duckdb
import pytest
from conftest import fake_provider_settings, make_cores

from moldova_personas.narration import renarrate
from moldova_personas.narration.runtime import narrate_cores
from moldova_personas.narration.store import ResponseStore

KEY = "sk-test-renarrate-0123456789abcdef"


def settings(server, dirs, **kw):
    return fake_provider_settings(server, dirs, **{"max_concurrency": 2, **kw})


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("MOLDOVA_FAKE_KEY", KEY)


def existing(table) -> list[dict]:
    return table.select(["persona_id", "status", "model_used"]).to_pylist()


def answers(dirs) -> list[tuple]:
    with sqlite3.connect(Path(dirs["state_dir"]) / "narration.sqlite") as db:
        return db.execute("select prompt_hash, model_used, verdict from responses order by id").fetchall()


def test_failed_persona_is_narrated_again_and_nothing_that_passed_is_paid_twice(server, dirs, capfd):
    cores = make_cores(4)
    bad = cores[0]
    # every answer to Ana's prompts is Russian: it fails the language validator three times
    server.set_faults("creative-m", sticky={"kind": "russian"}, when=bad["first_name"])
    first = narrate_cores(cores, settings(server, dirs))
    rows = {r["persona_id"]: r for r in first.to_pylist()}
    assert rows[bad["persona_id"]]["status"] == "failed_validation"
    assert rows[bad["persona_id"]]["attempts"] == 3
    assert [r["status"] for pid, r in rows.items() if pid != bad["persona_id"]] == ["ok"] * 3
    bad_hashes = {r["hash"] for r in server.requests() if r["kind"] == "russian"}
    assert len(bad_hashes) == 3
    # every paid answer is kept, with its verdict: three failed, three passed
    assert sorted(v for _, _, v in answers(dirs)) == ["failed"] * 3 + ["passed"] * 3
    # the provider is fixed: the next run narrates exactly the failed persona, from its first prompt
    server.reset()
    capfd.readouterr()
    second = narrate_cores(cores, settings(server, dirs), existing=existing(first))
    assert (
        "1 of 4 personas to narrate with openai/creative-m: 1 whose last narration failed"
        in capfd.readouterr().err
    )
    assert second.column("persona_id").to_pylist() == [bad["persona_id"]]
    assert second.column("status").to_pylist() == ["ok"]
    reqs = server.requests()
    assert len(reqs) == 1 and reqs[0]["hash"] in bad_hashes
    # nothing is requested again, neither from the table's rows nor from the store's
    server.reset()
    merged = {
        **{r["persona_id"]: r for r in existing(first)},
        **{r["persona_id"]: r for r in existing(second)},
    }
    assert narrate_cores(cores, settings(server, dirs), existing=list(merged.values())).num_rows == 0
    again = narrate_cores(cores, settings(server, dirs))  # the table lost: the store has every answer
    assert again.num_rows == 4 and set(again.column("status").to_pylist()) == {"ok"}
    assert server.requests() == []
    assert len(answers(dirs)) == 7  # 6 + the one new answer, none replaced


def test_personas_of_another_model_are_narrated_with_the_primary_unless_kept(server, dirs, capfd):
    cores = make_cores(3)
    offline = narrate_cores(cores, {**dirs, "progress": False})
    assert set(offline.column("model_used").to_pylist()) == {"offline/narrator"}
    capfd.readouterr()
    kept = narrate_cores(cores, settings(server, dirs, keep_other_models=True), existing=existing(offline))
    assert kept.num_rows == 0 and server.requests() == []
    assert "0 of 3 personas to narrate with openai/creative-m. Kept as they are: 3 by offline/narrator." in (
        capfd.readouterr().err
    )
    switched = narrate_cores(cores, settings(server, dirs), existing=existing(offline))
    err = capfd.readouterr().err
    assert (
        "3 of 3 personas to narrate with openai/creative-m: 3 written by another model than the primary "
        "(3 by offline/narrator); MOLDOVA_LLM_KEEP_OTHER_MODELS=1 keeps those" in err
    )
    assert set(switched.column("model_used").to_pylist()) == {"openai/creative-m"}
    assert len(server.requests()) == 3


def test_renarrate_marks_narrate_exactly_the_marked_personas(server, dirs, capfd):
    cores = make_cores(4)
    flagged = cores[2]
    server.set_faults("creative-m", sticky={"kind": "unsafe"}, when=flagged["first_name"])
    first = narrate_cores(cores, settings(server, dirs))
    text = {r["persona_id"]: r["professional_persona"] for r in first.to_pylist()}
    assert "+373 69 123 456" in text[flagged["persona_id"]]  # passed every validator: only the gate sees it
    assert set(first.column("status").to_pylist()) == {"ok"}
    flagged_hash = next(r["hash"] for r in server.requests() if r["kind"] == "unsafe")
    store = ResponseStore(Path(dirs["state_dir"]) / "narration.sqlite")
    store.mark([flagged["persona_id"]], "critical safety finding")
    store.close()
    server.reset()
    capfd.readouterr()
    second = narrate_cores(cores, settings(server, dirs), existing=existing(first))
    assert "1 requested by `make renarrate` (1 critical safety finding)" in capfd.readouterr().err
    assert second.column("persona_id").to_pylist() == [flagged["persona_id"]]
    assert "+373" not in second.column("professional_persona").to_pylist()[0]
    reqs = server.requests()
    assert [r["hash"] for r in reqs] == [flagged_hash]  # the same prompt, answered anew
    # the old answer stays for audit, rejected; the request is done
    verdicts = [v for h, _, v in answers(dirs) if h == flagged_hash]
    assert verdicts == ["rejected", "passed"]
    store = ResponseStore(Path(dirs["state_dir"]) / "narration.sqlite")
    assert store.marks() == {}
    store.close()
    server.reset()
    merged = {r["persona_id"]: r for r in existing(first) + existing(second)}
    assert narrate_cores(cores, settings(server, dirs), existing=list(merged.values())).num_rows == 0
    assert server.requests() == []


def _db_with(tmp_path, narrated: list[tuple[str, str]], findings: list[tuple[str, str]]) -> Path:
    db = tmp_path / "db.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create table int_personas_narrated (persona_id varchar, status varchar)")
        con.executemany("insert into int_personas_narrated values (?, ?)", narrated)
        con.execute("create table fct_safety_findings (persona_id varchar, severity varchar)")
        con.executemany("insert into fct_safety_findings values (?, ?)", findings)
    return db


def test_renarrate_command_selects_by_id_status_and_safety(tmp_path, capsys):
    db = _db_with(
        tmp_path,
        [("p1", "ok"), ("p2", "failed_call"), ("p3", "failed_validation"), ("p4", "ok")],
        [("p4", "critical"), ("p4", "critical"), ("p1", "warning")],
    )
    state = tmp_path / "state"
    base = ["--db", str(db), "--state-dir", str(state)]

    def marks() -> dict:
        store = ResponseStore(state / "narration.sqlite")
        try:
            return {pid: reason for pid, (reason, _) in store.marks().items()}
        finally:
            store.close()

    assert renarrate.main([*base, "--safety"]) == 0
    out = capsys.readouterr().out
    assert "marked 1 persona(s) for re-narration (critical safety finding): p4" in out
    assert "The next build (`make run`" in out
    assert marks() == {"p4": "critical safety finding"}
    assert renarrate.main([*base, "--status", "failed"]) == 0
    assert marks() == {"p4": "critical safety finding", "p2": "status failed", "p3": "status failed"}
    assert renarrate.main([*base, "--ids", "p1"]) == 0
    assert set(marks()) == {"p1", "p2", "p3", "p4"}
    assert renarrate.main([*base, "--ids", "p1,nope-1"]) == 2
    assert "1 persona id(s) not in int_personas_narrated" in capsys.readouterr().err
    assert renarrate.main([*base, "--status", "broken"]) == 2
    assert renarrate.main([*base, "--clear"]) == 0
    assert marks() == {}
    assert (
        renarrate.main(["--db", str(tmp_path / "missing.duckdb"), "--state-dir", str(state), "--safety"]) == 2
    )
    assert "no such DuckDB file" in capsys.readouterr().err


def test_a_store_written_before_verdicts_is_migrated_and_its_answers_reused(server, dirs):
    cores = make_cores(2)
    narrate_cores(cores, settings(server, dirs))
    assert len(server.requests()) == 2
    # the same answers in the earlier layout: one row per (prompt_hash, model), no verdict, no id
    old_dir = Path(dirs["state_dir"] + "_old")
    old_dir.mkdir()
    with (
        sqlite3.connect(Path(dirs["state_dir"]) / "narration.sqlite") as new,
        sqlite3.connect(old_dir / "narration.sqlite") as old,
    ):
        old.executescript(
            """
            create table responses (
                prompt_hash text not null, model text not null, text text, model_used text,
                finish_reason text, prompt_tokens integer, completion_tokens integer, cost_usd real,
                latency_ms integer, created_at text, primary key (prompt_hash, model));
            create table personas (
                persona_id text not null, fingerprint text not null, row_json text not null,
                created_at text, primary key (persona_id, fingerprint));
            """
        )
        rows = new.execute(
            "select prompt_hash, model, text, model_used, finish_reason, prompt_tokens, completion_tokens, "
            "cost_usd, latency_ms, created_at from responses"
        ).fetchall()
        old.executemany("insert into responses values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    server.reset()
    again = narrate_cores(cores, settings(server, {**dirs, "state_dir": str(old_dir)}))
    assert set(again.column("status").to_pylist()) == {"ok"} and server.requests() == []
    with sqlite3.connect(old_dir / "narration.sqlite") as db:
        assert db.execute(
            "select count(*), count(id) from responses where verdict = 'passed'"
        ).fetchone() == (2, 2)
