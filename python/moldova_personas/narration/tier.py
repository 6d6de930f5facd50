"""Narration of one release tier, the entry point of the dbt model int_personas_narrated.

The engine is a setting (`engine`, MOLDOVA_NARRATION_ENGINE): `local` narrates in this process
(runtime.narrate_cores), `ray` as Ray tasks on a local Ray instance or the cluster of RAY_ADDRESS
(ray_engine.narrate_on_ray). Both return the same rows, which dbt merges into the incremental table:
no merge step, whichever engine wrote them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyarrow as pa

from moldova_personas.narration.runtime import OUTPUT_SCHEMA, narrate_cores, rows_of
from moldova_personas.narration.settings import load_settings


def narrate_tier(
    cores: pa.Table, anchors: pa.Table, constraints: pa.Table, meta: Mapping[str, Any], existing: Any = None
) -> pa.Table:
    """Narrate the release cores that need it with the configured engine.

    `existing`: rows (persona_id, status, model_used) of the incremental table; which of them are
    narrated again is decided by `runtime.plan_narration` (failed ones, other models', marked ones).
    """
    table = cores
    settings = dict(meta or {})
    conf = load_settings(settings)
    if conf.engine == "ray":
        from moldova_personas.narration.ray_engine import narrate_on_ray

        fresh = narrate_on_ray(table, settings, rows_of(anchors), rows_of(constraints), (), rows_of(existing))
    else:
        fresh = narrate_cores(table, settings, anchors, constraints, None, existing=existing)
    return fresh.cast(OUTPUT_SCHEMA)
