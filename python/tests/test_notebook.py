"""The quickstart notebook runs headless on a fresh release, so it never goes stale.

Executed with nbclient in a real Jupyter kernel against the release the 1K build promoted (the one
`make test` builds, or a fresh build); `datasets` reads from a private cache and never goes online.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from fixtures_db import built_1k_db  # noqa: F401 (pytest fixture)
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "quickstart.ipynb"


def test_quickstart_notebook_runs_on_the_release(built_1k_db, tmp_path, monkeypatch):  # noqa: F811
    release = built_1k_db.parent / "releases" / "tier_1k" / "current"
    assert (release / "metadata.json").exists(), f"no promoted release at {release}"
    monkeypatch.setenv("MOLDOVA_RELEASE_DIR", str(release))
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf_cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    ).execute()
    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert not errors, errors
    images = sum(
        "image/png" in output.get("data", {})
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    )
    assert images >= 2, "the plots did not render"
