"""Release contract, promotion and verification of exported releases.

* `release_baseline`: the metrics of the last good release of a tier (its `statistics.json`), else the
  committed baseline seed.
* `release_contract`: one row per guard; quality guards compare a seeded bootstrap lower confidence bound
  of the change vs the baseline with a tolerance.
* `promote` / `verify`: a release folder is promoted by an atomic rename of its staging folder and an
  atomic swap of the tier's `current` symlink and `CURRENT` file; `verify` checks its SHA-256 manifest.
* `apply_retention`: a tier keeps its current release and the newest others up to `keep_last` folders
  (newest = most recently promoted or made current, from history.jsonl); older release folders are
  deleted and the deletion is logged in history.jsonl.

CLI: `python -m moldova_personas.release verify releases/tier_1k/current` (exit 0, or 1 naming the file
whose hash differs); `python -m moldova_personas.release current releases/tier_1k`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa

MANIFEST = "MANIFEST.sha256"
STATISTICS = "statistics.json"
CONTRACT_SCHEMA = pa.schema(
    [
        ("guard", pa.string()),
        ("metric", pa.string()),
        ("kind", pa.string()),
        ("baseline_value", pa.float64()),
        ("candidate_value", pa.float64()),
        ("delta", pa.float64()),
        ("lcb", pa.float64()),
        ("threshold", pa.float64()),
        ("passed", pa.bool_()),
        ("baseline_source", pa.string()),
        ("detail", pa.string()),
    ]
)


# --- metrics over per-persona rows (the bootstrap resamples these rows) -------------------------------


def _entropy_bits(counts: np.ndarray) -> np.ndarray:
    """Shannon entropy in bits of each row of a counts matrix."""
    totals = counts.sum(axis=-1, keepdims=True)
    p = np.divide(counts, totals, out=np.zeros(counts.shape, dtype=float), where=totals > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, -p * np.log2(p), 0.0)
    return terms.sum(axis=-1)


def persona_metric_arrays(persona_metrics: pa.Table) -> dict[str, np.ndarray]:
    """Per-persona inputs of each metric: 0/1 or numeric arrays, and opening-move codes."""
    t = persona_metrics
    col = {name: t.column(name).to_numpy(zero_copy_only=False) for name in t.column_names}
    moves = np.asarray([m if m is not None else "" for m in col["opening_move"]], dtype=object)
    _, codes = np.unique(moves, return_inverse=True)
    return {
        "uniqueness_ratio": col["is_unique"].astype(float),
        "rare_anchor_share": col["has_rare_anchor"].astype(float),
        "opening_entropy_bits": codes.astype(np.int64),
        "validator_pass_rate": col["is_validator_pass"].astype(float),
        "mean_cultural_background_chars": col["cultural_background_chars"].astype(float),
        "generation_success_rate": col["is_generated"].astype(float),
        "repair_rate": col["is_repaired"].astype(float),
    }


def metric_values(arrays: Mapping[str, np.ndarray]) -> dict[str, float]:
    """Point value of every metric over all personas."""
    out = {}
    for name, values in arrays.items():
        if name == "opening_entropy_bits":
            out[name] = float(_entropy_bits(np.bincount(values))) if len(values) else 0.0
        else:
            out[name] = float(values.mean()) if len(values) else 0.0
    return out


def bootstrap_metrics(
    arrays: Mapping[str, np.ndarray], seed: int, n_resamples: int = 1000, max_cells: int = 2_000_000
) -> dict[str, np.ndarray]:
    """`n_resamples` bootstrap values of every metric (personas resampled with replacement, seeded)."""
    n = len(next(iter(arrays.values())))
    out = {name: np.empty(n_resamples) for name in arrays}
    if n == 0:
        return {name: np.zeros(n_resamples) for name in arrays}
    rng = np.random.default_rng(seed)
    chunk = max(1, max_cells // n)
    k = int(arrays["opening_entropy_bits"].max()) + 1 if "opening_entropy_bits" in arrays else 0
    for start in range(0, n_resamples, chunk):
        rows = min(chunk, n_resamples - start)
        idx = rng.integers(0, n, size=(rows, n))
        for name, values in arrays.items():
            if name == "opening_entropy_bits":
                flat = (values[idx] + np.arange(rows)[:, None] * k).ravel()
                counts = np.bincount(flat, minlength=rows * k).reshape(rows, k)
                out[name][start : start + rows] = _entropy_bits(counts)
            else:
                out[name][start : start + rows] = values[idx].mean(axis=1)
    return out


# --- baseline --------------------------------------------------------------------------------------


def read_current_statistics(tier_dir: str | Path) -> tuple[dict | None, str | None]:
    """statistics.json of the tier's current release and its release id, or (None, None)."""
    tier_dir = Path(tier_dir)
    release_id = current_release_id(tier_dir)
    if release_id is None:
        return None, None
    path = tier_dir / release_id / STATISTICS
    if not path.exists():
        return None, None
    return json.loads(path.read_text(encoding="utf-8")), release_id


def release_baseline(candidate: pa.Table, baseline_seed: pa.Table) -> pa.Table:
    """Baseline metric rows: the current release's statistics for the candidate's tier, else the seed."""
    cand = candidate.to_pylist()[0]
    seed_rows = baseline_seed.to_pylist()
    stats, release_id = read_current_statistics(cand["tier_dir"])
    metrics = (stats or {}).get("quality_metrics") or {}
    rows = []
    for row in seed_rows:
        name = row["metric"]
        if name in metrics and metrics[name] is not None:
            rows.append(
                {"metric": name, "baseline_value": float(metrics[name]), "source": f"release:{release_id}"}
            )
        else:
            rows.append(
                {"metric": name, "baseline_value": row["baseline_value"], "source": "seed:release_baseline"}
            )
    return pa.Table.from_pylist(
        rows,
        schema=pa.schema(
            [("metric", pa.string()), ("baseline_value", pa.float64()), ("source", pa.string())]
        ),
    )


# --- contract --------------------------------------------------------------------------------------


def release_contract(
    persona_metrics,
    baseline,
    guards,
    census_fit,
    safety_summary,
    candidate,
    seed: int,
    n_resamples: int = 1000,
    alpha: float = 0.05,
) -> pa.Table:
    """One row per guard of `guards` (seed release_guards), evaluated for the candidate's tier.

    Bootstrap guards: the signed change (candidate - baseline; baseline - candidate when lower is better)
    and its one-sided (1 - alpha) lower confidence bound over `n_resamples` resamples of the personas.
    """
    arrays = persona_metric_arrays(persona_metrics)
    values = metric_values(arrays)
    boot = bootstrap_metrics(arrays, seed=seed, n_resamples=n_resamples)
    base = {r["metric"]: r for r in baseline.to_pylist()}
    tier = candidate.column("tier")[0].as_py()
    fit_rows = [r for r in census_fit.to_pylist() if r["tier"] == tier]
    safety_rows = safety_summary.to_pylist()
    rows = []
    for g in guards.to_pylist():
        metric, kind, threshold = g["metric"], g["kind"], float(g["threshold"])
        sign = -1.0 if g["direction"] == "lower_is_better" else 1.0
        b = base.get(metric, {})
        baseline_value = b.get("baseline_value")
        row = {
            "guard": g["guard"],
            "metric": metric,
            "kind": kind,
            "baseline_value": baseline_value,
            "candidate_value": values.get(metric),
            "delta": None,
            "lcb": None,
            "threshold": threshold,
            "passed": False,
            "baseline_source": b.get("source"),
            "detail": "",
        }
        if kind == "bootstrap_delta":
            if baseline_value is None:
                row["detail"] = f"no baseline for {metric}"
            else:
                delta = sign * (values[metric] - baseline_value)
                lcb = float(np.quantile(sign * (boot[metric] - baseline_value), alpha))
                row.update(delta=round(delta, 6), lcb=round(lcb, 6), passed=bool(lcb >= threshold))
                row["detail"] = (
                    f"{'candidate - baseline' if sign > 0 else 'baseline - candidate'} = {delta:+.4f}; "
                    f"{int(100 * (1 - alpha))}% LCB {lcb:+.4f} (bootstrap {n_resamples}x, seed {seed}) "
                    f"{'>=' if lcb >= threshold else '<'} {threshold:+g}"
                )
        elif kind in ("absolute_min", "absolute_max"):
            value = values[metric]
            ok = value >= threshold if kind == "absolute_min" else value <= threshold
            row.update(
                passed=bool(ok),
                detail=f"{metric} = {value:.4f} {'>=' if kind == 'absolute_min' else '<='} "
                f"{threshold:g} required",
            )
        elif kind == "all_pass":
            n_ok = sum(1 for r in fit_rows if r["is_within_tolerance"])
            failing = [r["census_table"] for r in fit_rows if not r["is_within_tolerance"]]
            share = n_ok / len(fit_rows) if fit_rows else 0.0
            row.update(candidate_value=share, passed=bool(fit_rows) and share >= threshold)
            row["detail"] = f"{n_ok}/{len(fit_rows)} census tables within tolerance" + (
                f"; failing: {', '.join(failing)}" if failing else ""
            )
        elif kind == "zero_critical":
            n_crit = sum(int(r["n_critical"]) for r in safety_rows)
            failing = [f"{r['gate']}: {r['critical_items']}" for r in safety_rows if r["n_critical"]]
            row.update(candidate_value=float(n_crit), passed=bool(safety_rows) and n_crit <= threshold)
            row["detail"] = f"{n_crit} critical safety results over {len(safety_rows)} gates" + (
                f"; {' || '.join(failing)}"[:2000] if failing else ""
            )
        else:
            row["detail"] = f"unknown guard kind {kind}"
        for key in ("baseline_value", "candidate_value"):
            if row[key] is not None:
                row[key] = round(float(row[key]), 6)
        rows.append(row)
    return pa.Table.from_pylist(rows, schema=CONTRACT_SCHEMA)


# --- manifest, verification, promotion --------------------------------------------------------------


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_manifest(folder: Path) -> Path:
    """MANIFEST.sha256 (`<sha256>  <name>` per file, sorted by name) over every other file of `folder`."""
    lines = [
        f"{sha256_file(p)}  {p.name}" for p in sorted(folder.iterdir()) if p.is_file() and p.name != MANIFEST
    ]
    path = folder / MANIFEST
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def verify(folder: str | Path) -> list[str]:
    """Problems of a release folder: files whose hash differs, missing or unlisted files. Empty = valid."""
    folder = Path(folder)
    manifest = folder / MANIFEST
    if not manifest.exists():
        return [f"{manifest}: manifest missing"]
    problems = []
    listed = {}
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split("  ", 1)
            listed[name] = digest
    for name, digest in listed.items():
        path = folder / name
        if not path.exists():
            problems.append(f"{name}: missing")
        elif sha256_file(path) != digest:
            problems.append(f"{name}: SHA-256 differs from {MANIFEST}")
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.name != MANIFEST and path.name not in listed:
            problems.append(f"{path.name}: not in {MANIFEST}")
    return problems


def current_release_id(tier_dir: str | Path) -> str | None:
    """The release id the tier's CURRENT file names (None when no release was promoted)."""
    path = Path(tier_dir) / "CURRENT"
    if not path.exists():
        return None
    value = path.read_text(encoding="utf-8").strip()
    return value or None


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def point_current(tier_dir: Path, release_id: str) -> None:
    """Swap `current` (relative symlink) and `CURRENT` (text) to `release_id`, each atomically."""
    link = tier_dir / "current"
    tmp = tier_dir / f".current.tmp-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(release_id, target_is_directory=True)
    os.replace(tmp, link)
    _atomic_write(tier_dir / "CURRENT", release_id + "\n")


def promote(staging: Path, tier_dir: Path, release_id: str) -> tuple[Path, str]:
    """Move a finished staging folder to `<tier_dir>/<release_id>` (atomic rename) and make it current.

    A folder with the same release id (same seed and data, byte-identical data files) already released is
    kept as it is: the staging copy is dropped and that release becomes current again.
    """
    problems = verify(staging)
    if problems:
        raise RuntimeError(f"staging folder {staging} fails verification: {problems}")
    target = tier_dir / release_id
    if target.exists():
        shutil.rmtree(staging)
        if verify(target):
            raise RuntimeError(f"existing release {target} fails verification: {verify(target)}")
        how = "already released (identical data); made current again"
    else:
        os.rename(staging, target)
        how = "promoted"
    point_current(tier_dir, release_id)
    _log_history(tier_dir, release_id, how)
    return target, how


def _log_history(tier_dir: Path, release_id: str, event: str) -> None:
    with (tier_dir / "history.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(
            json.dumps({"at": datetime.now(UTC).isoformat(), "release_id": release_id, "event": event}) + "\n"
        )


# <tier>-s<seed>-<12 hex>: only folders named like a release id are ever removed by retention
RELEASE_ID = re.compile(r"^tier_[0-9a-z]+-s-?\d+-[0-9a-f]{12}$")


def _last_used(tier_dir: Path) -> dict[str, str]:
    """Release id -> time it was last promoted or made current (history.jsonl; ISO times sort)."""
    path = tier_dir / "history.jsonl"
    seen: dict[str, str] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue  # a torn last line of a killed run: the folders' times decide instead
            if "removed" not in str(event.get("event", "")):
                seen[event.get("release_id", "")] = event.get("at", "")
    return seen


def apply_retention(tier_dir: str | Path, keep_last: int) -> list[str]:
    """Delete release folders beyond the newest `keep_last` (the current one always stays); return them."""
    tier_dir = Path(tier_dir)
    keep_last = max(1, int(keep_last))
    current = current_release_id(tier_dir)
    used = _last_used(tier_dir)
    folders = [
        p for p in tier_dir.iterdir() if p.is_dir() and not p.is_symlink() and RELEASE_ID.match(p.name)
    ]

    def last_used(folder: Path) -> str:
        return used.get(folder.name) or datetime.fromtimestamp(folder.stat().st_mtime, UTC).isoformat()

    ordered = sorted(folders, key=last_used, reverse=True)
    ordered.sort(key=lambda folder: folder.name != current)  # stable: current first, then newest
    removed = []
    for folder in ordered[keep_last:]:
        shutil.rmtree(folder)
        _log_history(tier_dir, folder.name, f"removed (retention: keep the last {keep_last} releases)")
        removed.append(folder.name)
    return removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m moldova_personas.release", description=__doc__.split("\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_verify = sub.add_parser("verify", help="check a release folder against its SHA-256 manifest")
    p_verify.add_argument("folder")
    p_current = sub.add_parser("current", help="print the current release id of a tier folder")
    p_current.add_argument("tier_dir")
    p_base = sub.add_parser(
        "baseline",
        help="print release_baseline.csv rows measured on a built database (fct_release_persona_metrics)",
    )
    p_base.add_argument("database")
    args = parser.parse_args(argv)
    if args.command == "baseline":
        import duckdb

        with duckdb.connect(args.database, read_only=True) as con:
            table = con.execute(
                "select * from fct_release_persona_metrics order by persona_index"
            ).to_arrow_table()
            tier = con.execute("select any_value(tier), any_value(sample_seed) from fct_personas").fetchone()
        values = metric_values(persona_metric_arrays(table))
        print("metric,baseline_value,note")
        for name, value in values.items():
            print(
                f'{name},{round(value, 6)},"measured on {tier[0]} seed {tier[1]} '
                f'({Path(args.database).name})"'
            )
        return 0
    if args.command == "verify":
        folder = Path(args.folder)
        if not folder.is_dir():
            print(f"FAIL {folder}: not a release folder", file=sys.stderr)
            return 1
        problems = verify(folder)
        if problems:
            for problem in problems:
                print(f"FAIL {folder.resolve()}/{problem}", file=sys.stderr)
            return 1
        n = len((folder / MANIFEST).read_text(encoding="utf-8").splitlines())
        print(f"OK {folder.resolve().name}: {n} files match {MANIFEST}")
        return 0
    release_id = current_release_id(args.tier_dir)
    print(release_id or "(no release promoted)")
    return 0 if release_id else 1


if __name__ == "__main__":
    raise SystemExit(main())
