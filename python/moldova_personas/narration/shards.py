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

from moldova_personas.narration.runtime import OUTPUT_SCHEMA, narrate_cores


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
            columns = ", ".join(OUTPUT_SCHEMA.names)
            query = f"select {columns} from {alias}.main.int_personas_narrated where status = 'ok'"
            table = session.execute(query).to_arrow_table()
        finally:
            session.execute(f"detach {alias}")
        table = table.filter(pc.is_in(table["persona_id"], value_set=pa.array(sorted(persona_ids))))
        tables.append(table.cast(OUTPUT_SCHEMA))
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
    done_ids: set[str],
) -> pa.Table:
    """Narrate the release cores not yet done: this shard's range only, after merging shard databases."""
    table = cores
    narration = dict(meta.get("narration", {})) if meta else {}
    shard = parse_shard(narration.pop("shard", ""))
    merge = [p.strip() for p in str(narration.pop("merge_shards", "") or "").split(",") if p.strip()]
    if shard is not None:
        lo, hi = shard_bounds(table.num_rows, *shard)
        index = table["persona_index"]
        mask = pc.and_(pc.greater_equal(index, lo), pc.less(index, hi))
        table = table.filter(mask)
    todo_ids = set(table["persona_id"].to_pylist()) - set(done_ids)
    merged = merged_rows(session, merge, todo_ids) if merge else OUTPUT_SCHEMA.empty_table()
    done = set(done_ids) | set(merged["persona_id"].to_pylist())
    fresh = narrate_cores(table, {**(meta or {}), "narration": narration}, anchors, constraints, done)
    return pa.concat_tables([merged, fresh.cast(OUTPUT_SCHEMA)])
