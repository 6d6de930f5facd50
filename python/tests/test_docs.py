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


def test_tier_models_follow_the_one_list_of_tiers():
    """var tiers (dbt_project.yml) is the list of tiers: one identical model file and one yml entry per
    tier, and every tier but the smallest tagged on_demand (left out of a plain `dbt build`)."""
    import yaml

    root = Path(__file__).resolve().parents[2]
    names = [t["name"] for t in yaml.safe_load((root / "dbt_project.yml").read_text())["vars"]["tiers"]]
    folder = root / "models" / "tiers"
    assert sorted(p.stem for p in folder.glob("tier_*.py")) == sorted(names)
    assert len({(folder / f"{name}.py").read_text() for name in names}) == 1, "tier model files differ"
    entries = {m["name"]: m for m in yaml.safe_load((folder / "_tiers__models.yml").read_text())["models"]}
    tags = {name: entries[name].get("config", {}).get("tags", []) for name in names}
    assert tags == {name: ([] if i == 0 else ["on_demand"]) for i, name in enumerate(names)}, tags


def _first_table(text: str) -> list[str]:
    """The rows of the first Markdown table in `text` (lines starting with '|')."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| what |"))
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def test_readme_quotes_the_latest_benchmarks_table():
    """README's Benchmarks section gives the same figures, with the same commands, as the newest table of
    BENCHMARKS.md (a figure changed in one file only fails here)."""
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("\n## Benchmarks\n") :]
    benchmarks = (root / "BENCHMARKS.md").read_text(encoding="utf-8")
    newest = benchmarks[benchmarks.index("\n## ") :]
    readme_rows, bench_rows = _first_table(section), _first_table(newest)
    assert len(bench_rows) > 5
    assert readme_rows == bench_rows
