"""Narration of one release, optionally sharded by persona ranges and merged from shard databases.

Scale-out: n processes or machines each build the narration of one range of the tier
(`--vars '{shard: "i/n"}'`, each with its own DuckDB file, all pointing at the same pool of LLM servers),
then one build merges them (`--vars '{merge_shards: "a.duckdb,b.duckdb"}'`): rows already narrated in a
shard database are taken as they are, and only what is missing is narrated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from moldova_personas.narration.runtime import OUTPUT_SCHEMA, narrate_cores, rows_of


def parse_shard(spec: Any) -> tuple[int, int] | None:
    """'i/n' -> (i, n); empty -> None. Errors name the var and the fix."""
    text = str(spec or "").strip()
    if not text:
        return None
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise ValueError(
            f"var 'shard' must look like '0/4' (shard index / shard count), got {spec!r}"
        ) from None
    if count < 1 or not 0 <= index < count:
        raise ValueError(f"var 'shard' {spec!r}: need 0 <= index < count, e.g. '0/4' .. '3/4'")
    return index, count


def shard_bounds(n_cores: int, index: int, count: int) -> tuple[int, int]:
    """Contiguous persona_index range [lo, hi) of shard `index` of `count`."""
    return n_cores * index // count, n_cores * (index + 1) // count


def merged_rows(session, paths: list[str], persona_ids: set[str]) -> pa.Table:
    """Finished ('ok') narrations of these personas found in shard databases (attached read-only)."""
    tables = []
    for i, path in enumerate(paths):
        alias = f"narration_shard_{i}"
        session.execute(f"attach '{path}' as {alias} (read_only)")
        try:
            query = f"select * from {alias}.main.int_personas_narrated where status = 'ok'"
            table = session.execute(query).to_arrow_table()
        finally:
            session.execute(f"detach {alias}")
        table = table.filter(pc.is_in(table["persona_id"], value_set=pa.array(sorted(persona_ids))))
        # a shard built before a column existed (e.g. primary_model) gets it as nulls
        columns = [
            table[f.name] if f.name in table.column_names else pa.nulls(table.num_rows, f.type)
            for f in OUTPUT_SCHEMA
        ]
        tables.append(pa.Table.from_arrays(columns, names=OUTPUT_SCHEMA.names).cast(OUTPUT_SCHEMA))
    if not tables:
        return OUTPUT_SCHEMA.empty_table()
    merged = pa.concat_tables(tables)
    # a persona narrated in two shards (overlapping runs) is taken once
    _, first = _unique_positions(merged["persona_id"].to_pylist())
    return merged.take(first)


def _unique_positions(values: list[str]) -> tuple[set[str], list[int]]:
    seen: set[str] = set()
    keep = []
    for i, value in enumerate(values):
        if value not in seen:
            seen.add(value)
            keep.append(i)
    return seen, keep


def narrate_release(
    session,
    cores: pa.Table,
    anchors: pa.Table,
    constraints: pa.Table,
    meta: Mapping[str, Any],
    existing: list[dict[str, Any]] | set[str] | None = None,
) -> pa.Table:
    """Narrate the release cores that need it: this shard's range only, after merging shard databases.

    `existing`: rows (persona_id, status, model_used) of the incremental table; which of them are
    narrated again is decided by `runtime.plan_narration` (failed ones, other models', marked ones).
    A set of ids is taken as finished rows whatever their model.
    """
    table = cores
    narration = dict(meta.get("narration", {})) if meta else {}
    shard = parse_shard(narration.pop("shard", ""))
    merge = [p.strip() for p in str(narration.pop("merge_shards", "") or "").split(",") if p.strip()]
    if shard is not None:
        lo, hi = shard_bounds(table.num_rows, *shard)
        index = table["persona_index"]
        mask = pc.and_(pc.greater_equal(index, lo), pc.less(index, hi))
        table = table.filter(mask)
    done_ids: set[str] = set()
    rows: list[dict[str, Any]] = []
    if isinstance(existing, set | frozenset):
        done_ids = {str(i) for i in existing}
    else:
        rows = rows_of(existing)
    finished = done_ids | {r["persona_id"] for r in rows if r.get("status") == "ok"}
    todo_ids = set(table["persona_id"].to_pylist()) - finished
    merged = merged_rows(session, merge, todo_ids) if merge else OUTPUT_SCHEMA.empty_table()
    # merged rows count as narrated before: the same rules decide whether they are kept
    known = {r["persona_id"]: r for r in rows}
    for r in merged.select(["persona_id", "status", "model_used"]).to_pylist():
        known[r["persona_id"]] = r
    settings = {**(meta or {}), "narration": narration}
    fresh = narrate_cores(table, settings, anchors, constraints, done_ids, existing=list(known.values()))
    renarrated = pa.array(fresh["persona_id"].to_pylist(), pa.string())
    kept = merged.filter(pc.invert(pc.is_in(merged["persona_id"], value_set=renarrated)))
    return pa.concat_tables([kept, fresh.cast(OUTPUT_SCHEMA)])
