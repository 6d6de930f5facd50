"""Phrase banks of the offline narrator: Romanian sentences in data/*.yaml, one file per narrative field.

``[masculine|feminine]`` marks gender agreement and ``{x}`` slots are filled by `narrator.py` (the file
headers list them). Loaded once per process; `BANKS.<name>` is a tuple of phrases or a dict of them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from moldova_personas.narration.phrases import Banks, load_banks

DATA_DIR = Path(__file__).parent / "data"


@lru_cache(maxsize=1)
def offline_banks() -> Banks:
    """Every bank of data/*.yaml (files in name order)."""
    return load_banks(sorted(DATA_DIR.glob("*.yaml")))


BANKS = offline_banks()
