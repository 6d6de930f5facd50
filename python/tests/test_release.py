"""Release contract (bootstrap guards), manifest verification, promotion and the verify CLI."""

from __future__ import annotations

import csv

import numpy as np
import pyarrow as pa
import pytest
from conftest import ROOT

from moldova_personas.release.contract import (
    apply_retention,
    bootstrap_metrics,
    current_release_id,
    main,
    persona_metric_arrays,
    promote,
    release_contract,
    verify,
    write_manifest,
)


def _personas(n=1000, seed=0, unique=1.0, ok=0.99, repaired=0.04, chars=1500):
    rng = np.random.default_rng(seed)
    return pa.table(
        {
            "persona_id": [f"p{i}" for i in range(n)],
            "is_unique": rng.random(n) < unique,
            "has_rare_anchor": rng.random(n) < 0.8,
            "opening_move": rng.choice(["routine", "place", "memory", "quote", "contrast", "question"], n),
            "is_validator_pass": rng.random(n) < ok,
            "cultural_background_chars": rng.normal(chars, 150, n).round(),
            "is_generated": np.ones(n, dtype=bool),
            "is_repaired": rng.random(n) < repaired,
        }
    )


def _seed(name):
    with (ROOT / "seeds" / "release" / name).open(encoding="utf-8") as fh:
        return pa.Table.from_pylist(
            [
                {k: (float(v) if k in ("baseline_value", "threshold") else v) for k, v in r.items()}
                for r in csv.DictReader(fh)
            ]
        )


def _contract(personas, baseline_from=None):
    arrays = persona_metric_arrays(personas if baseline_from is None else baseline_from)
    from moldova_personas.release.contract import metric_values

    base = pa.Table.from_pylist(
        [{"metric": m, "baseline_value": v, "source": "test"} for m, v in metric_values(arrays).items()]
    )
    fit = pa.table({"tier": ["tier_1k"], "census_table": ["t"], "is_within_tolerance": [True]})
    safety = pa.table({"gate": ["pii"], "n_critical": [0], "critical_items": [""]})
    return release_contract(
        personas,
        base,
        _seed("release_guards.csv"),
        fit,
        safety,
        pa.table({"tier": ["tier_1k"]}),
        seed=42,
        n_resamples=300,
    ).to_pylist()


def test_bootstrap_is_seeded():
    arrays = persona_metric_arrays(_personas())
    a, b = (
        bootstrap_metrics(arrays, seed=1, n_resamples=50),
        bootstrap_metrics(arrays, seed=1, n_resamples=50),
    )
    assert all(np.array_equal(a[k], b[k]) for k in a)


def test_same_data_passes_every_guard():
    rows = _contract(_personas())
    assert {r["guard"] for r in rows} >= {
        "uniqueness_vs_baseline",
        "census_fit",
        "safety",
        "repair_rate_ceiling",
    }
    assert all(r["passed"] for r in rows), [r for r in rows if not r["passed"]]
    boot = [r for r in rows if r["kind"] == "bootstrap_delta"]
    assert all(r["delta"] == 0 and r["lcb"] <= 1e-9 for r in boot)


def test_degraded_uniqueness_and_length_fail_their_guards():
    baseline = _personas()
    worse = _personas(seed=1, unique=0.9, chars=1300)
    rows = {r["guard"]: r for r in _contract(worse, baseline_from=baseline)}
    assert not rows["uniqueness_vs_baseline"]["passed"]
    assert rows["uniqueness_vs_baseline"]["lcb"] < -0.01
    assert not rows["cultural_background_length_vs_baseline"]["passed"]
    assert rows["validator_pass_vs_baseline"]["passed"]


def _release(folder, text="a"):
    folder.mkdir(parents=True)
    (folder / "schema_compat.jsonl").write_text(text, encoding="utf-8")
    (folder / "metadata.json").write_text("{}", encoding="utf-8")
    write_manifest(folder)
    return folder


def test_verify_names_the_changed_file(tmp_path, capsys):
    folder = _release(tmp_path / "r1")
    assert verify(folder) == [] and main(["verify", str(folder)]) == 0
    data = bytearray((folder / "schema_compat.jsonl").read_bytes())
    data[0] ^= 1
    (folder / "schema_compat.jsonl").write_bytes(bytes(data))
    assert main(["verify", str(folder)]) == 1
    assert "schema_compat.jsonl" in capsys.readouterr().err


def test_promote_switches_current_and_keeps_old_releases(tmp_path):
    tier = tmp_path / "tier_1k"
    tier.mkdir()
    promote(_release(tier / "_staging", "a"), tier, "r1")
    assert current_release_id(tier) == "r1" and (tier / "current").resolve() == (tier / "r1").resolve()
    promote(_release(tier / "_staging", "b"), tier, "r2")
    assert current_release_id(tier) == "r2" and verify(tier / "r1") == [] and not (tier / "_staging").exists()
    # the same data again: the existing folder is kept and made current
    target, how = promote(_release(tier / "_staging", "a"), tier, "r1")
    assert "already released" in how and current_release_id(tier) == "r1"


def test_promote_refuses_a_corrupt_staging_folder(tmp_path):
    tier = tmp_path / "tier_1k"
    staging = _release(tier / "_staging")
    (staging / "extra.txt").write_text("x")
    with pytest.raises(RuntimeError, match="extra.txt"):
        promote(staging, tier, "r1")
    assert current_release_id(tier) is None


def test_retention_keeps_the_current_and_the_newest_releases(tmp_path):
    tier = tmp_path / "tier_1k"
    tier.mkdir()
    ids = [f"tier_1k-s42-{i:012x}" for i in range(5)]
    for i, release_id in enumerate(ids):
        promote(_release(tier / "_staging", str(i)), tier, release_id)
    (tier / "notes").mkdir()  # not a release folder: never touched
    promote(_release(tier / "_staging", "1"), tier, ids[1])  # an old release made current again
    removed = apply_retention(tier, keep_last=3)
    assert sorted(removed) == [ids[0], ids[2]]
    kept = sorted(p.name for p in tier.iterdir() if p.is_dir() and not p.is_symlink())
    assert kept == sorted([ids[1], ids[3], ids[4], "notes"])
    assert current_release_id(tier) == ids[1] and verify(tier / "current") == []
    history = (tier / "history.jsonl").read_text(encoding="utf-8")
    assert history.count("removed (retention: keep the last 3 releases)") == 2
    # keep_last=1 leaves the current release alone, whatever its age
    assert sorted(apply_retention(tier, keep_last=1)) == sorted([ids[3], ids[4]])
    assert current_release_id(tier) == ids[1] and (tier / ids[1]).is_dir()
