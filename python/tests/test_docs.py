"""dbt docs are complete: every model and seed, and every column of their built relations, is described.

Reads the manifest and catalog that `make test` writes with `dbt docs generate` (MOLDOVA_TEST_DB's
target folder); run alone, generates them for the built test database.
"""

from __future__ import annotations

import json
from pathlib import Path

from dbt_helpers import run_dbt
from fixtures_db import built_1k_db  # noqa: F401 (pytest fixture)


def _artifacts(db: Path) -> tuple[dict, dict]:
    target = db.parent / "target"
    if not (target / "catalog.json").exists():
        result = run_dbt(["docs", "generate"], db.parent)
        assert result.success, result.output[-3000:]
    return json.loads((target / "manifest.json").read_text()), json.loads(
        (target / "catalog.json").read_text()
    )


def test_every_model_seed_and_column_is_described(built_1k_db):  # noqa: F811
    manifest, catalog = _artifacts(built_1k_db)
    undescribed_nodes, undescribed_columns = [], []
    for uid, node in manifest["nodes"].items():
        if node["resource_type"] not in ("model", "seed"):
            continue
        if not node.get("description", "").strip():
            undescribed_nodes.append(node["name"])
        for column in catalog["nodes"].get(uid, {}).get("columns", {}):
            if not node["columns"].get(column, {}).get("description", "").strip():
                undescribed_columns.append(f"{node['name']}.{column}")
    assert not undescribed_nodes, undescribed_nodes
    assert not undescribed_columns, undescribed_columns


def test_exposures_cover_the_release_files_and_report(built_1k_db):  # noqa: F811
    manifest, _ = _artifacts(built_1k_db)
    names = {e["name"] for e in manifest["exposures"].values()}
    assert {"release_files", "quality_report"} <= names


def test_sql_narrative_field_lists_match_the_python_schema():
    """macros/narrative_fields.sql lists the same fields, in the same order, as schema.py."""
    import re

    from moldova_personas.schema import NARRATIVE_LIST_FIELDS, NARRATIVE_TEXT_FIELDS

    text = (Path(__file__).resolve().parents[2] / "macros" / "narrative_fields.sql").read_text()
    macros = dict(re.findall(r"macro (\w+)\(\).*?return\((\[.*?\])\)", text, flags=re.S))
    assert re.findall(r"'(\w+)'", macros["narrative_text_fields"]) == list(NARRATIVE_TEXT_FIELDS)
    assert re.findall(r"'(\w+)'", macros["narrative_list_fields"]) == list(NARRATIVE_LIST_FIELDS)
