"""An API key given through the environment never reaches logs, state, the DuckDB file, exports, the dbt
manifest or error messages, even when the provider echoes it back in a 401."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import make_cores
from dbt_helpers import run_dbt
from fixtures_db import built_1k_db, private_copy  # noqa: F401 (pytest fixture)

from moldova_personas.narration.runtime import narrate_cores

SECRET = "sk-test-THISMUSTNOTLEAK-123"
NEEDLES = (SECRET.encode(), b"THISMUSTNOTLEAK")


def _leaks(root: Path) -> list[str]:
    files = [p for p in root.rglob("*") if p.is_file()]
    assert files, f"nothing to check under {root}"
    return [str(p) for p in files if any(n in p.read_bytes() for n in NEEDLES)]


def _settings(server, dirs, **kw):
    def alias(name):
        return {"model": f"openai/{name}", "api_base": server.url, "api_key_env": "MOLDOVA_SECRET_KEY"}

    return {
        "creative": alias("creative-m"),
        "balanced": alias("balanced-m"),
        "fallback_order": ["creative", "balanced"],
        "progress": False,
        "max_concurrency": 2,
        "backoff_base_s": 0.01,
        **dirs,
        **kw,
    }


def test_key_never_written_by_narration(server, dirs, monkeypatch, tmp_path):
    from moldova_personas.narration.runtime import NarrationStopped

    monkeypatch.setenv("MOLDOVA_SECRET_KEY", SECRET)
    ok = narrate_cores(make_cores(3), _settings(server, dirs))
    assert set(ok.column("model_used").to_pylist()) == {"openai/creative-m"}
    # the primary's 401 echoes the key it received: the run stops, the message names the variable
    server.set_faults("creative-m", sticky={"kind": "401"})
    with pytest.raises(NarrationStopped) as info:
        narrate_cores(make_cores(5)[3:], _settings(server, dirs))
    assert "MOLDOVA_SECRET_KEY" in str(info.value) and "THISMUSTNOTLEAK" not in str(info.value)
    # a fallback's 401 (the primary failing): rows kept as failed_call with a useful, masked reason
    server.set_faults("creative-m", sticky={"kind": "500"})
    server.set_faults("balanced-m", sticky={"kind": "401"})
    failed = narrate_cores(make_cores(5)[3:], _settings(server, dirs, call_retries=0))
    assert set(failed.column("status").to_pylist()) == {"failed_call"}
    assert any(r["kind"] == "401" for r in server.requests())
    reasons = failed.column("failure_reason").to_pylist()
    assert all(r.split(":")[0] in ("auth", "server_error") for r in reasons)  # the last failure's class
    assert any(r.startswith("auth: AuthenticationError") for r in reasons)
    logged = [x for p in Path(dirs["log_dir"]).glob("*.jsonl") for x in p.read_text().splitlines()]
    assert any('"error_class": "auth"' in x for x in logged)  # the echo is in the log, masked
    db = tmp_path / "narrated.duckdb"
    with duckdb.connect(str(db)) as con:  # the rows as dbt would store them
        for name, table in (("ok", ok), ("failed", failed)):
            con.register("t", table)
            con.execute(f"create table {name} as select * from t")
            con.unregister("t")
        con.execute("checkpoint")
    for root in (Path(dirs["log_dir"]), Path(dirs["state_dir"]), tmp_path):
        assert _leaks(root) == [], root


def test_key_never_reaches_db_exports_manifest(tmp_path, built_1k_db, server):  # noqa: F811
    # real dbt on a copy: 5 personas marked failed are narrated again (incremental) through the fake
    # provider; first its 401 echoes the key (the build stops), then it answers and the exports run
    work = tmp_path / "secret_build"
    db = private_copy(built_1k_db, work)
    with duckdb.connect(str(db)) as con:
        con.execute(
            "update int_personas_narrated set status = 'failed_call' where persona_id in "
            "(select persona_id from int_personas_narrated order by persona_id limit 5)"
        )
    server.set_faults("creative-m", sticky={"kind": "401"})
    env = {
        "MOLDOVA_SECRET_KEY": SECRET,
        "MOLDOVA_LLM_CREATIVE": "openai/creative-m",
        "MOLDOVA_LLM_CREATIVE_API_BASE": server.url,
        "MOLDOVA_LLM_API_KEY_ENV": "MOLDOVA_SECRET_KEY",
        "MOLDOVA_LLM_KEEP_OTHER_MODELS": "1",  # only the 5 failed personas are narrated again
    }
    args = ["run", "--select", "int_personas_narrated", "exports"]
    args += ["--vars", f"{{seed: 42, generation_log_dir: {work / 'attempts'}}}"]
    result = run_dbt(args, work, timeout=600, **env)
    assert (
        not result.success
        and "rejected the API key. Fix: put a valid key in MOLDOVA_SECRET_KEY" in result.output
    )
    assert "THISMUSTNOTLEAK" not in result.output
    assert [r["kind"] for r in server.requests()].count("401") >= 1  # the key was sent and echoed
    server.reset()
    result = run_dbt(args, work, timeout=600, **env)
    assert result.success, result.output[-3000:]
    assert "THISMUSTNOTLEAK" not in result.output
    assert len(server.requests()) == 5
    with duckdb.connect(str(db), read_only=True) as con:
        assert (
            con.execute("select count(*) from int_personas_narrated where status = 'ok'").fetchone()[0]
            == 1000
        )
    assert list((work / "attempts").glob("*.jsonl")) and (work / "state").exists()
    assert (work / "releases" / "tier_1k" / "CURRENT").exists()
    assert (work / "target" / "manifest.json").exists()
    # db file, state, attempt logs, exports (+ MANIFEST.sha256, metadata.json), dbt target and dbt logs
    assert _leaks(work) == []
