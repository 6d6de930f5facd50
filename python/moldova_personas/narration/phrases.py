"""Phrase banks kept as YAML data files: loaded once, frozen, with errors that name the file.

Each file is a mapping of bank name -> list of phrases, or mapping of key -> list (nested as needed).
Phrases mark gendered spots as ``[masculine|feminine]``; `agree` resolves them for one person. Lists
become tuples so a bank can neither be edited in place nor differ between two loads. Used by the
planner (narration/data/cues.yaml) and by the offline narrator (narration/offline/data/*.yaml).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_GENDER_RE = re.compile(r"\[([^\[\]|]*)\|([^\[\]]*)\]")


def agree(text: str, sex: str) -> str:
    """Resolve every ``[m|f]`` marker of `text` for `sex` ('female' picks the second form)."""
    if "[" not in text:
        return text
    idx = 2 if sex == "female" else 1
    return _GENDER_RE.sub(lambda m: m.group(idx), text)


class BankError(ValueError):
    """A phrase bank file is unreadable, not a mapping, or two files define the same bank."""


def _freeze(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return {k: _freeze(v) for k, v in value.items()}
    return value


class Banks:
    """Named phrase banks read as attributes (`banks.acts`); an unknown name says where banks come from."""

    def __init__(self, banks: dict[str, Any], sources: dict[str, Path]) -> None:
        self._banks = banks
        self._sources = sources

    def __getattr__(self, name: str) -> Any:
        banks = self.__dict__.get("_banks", {})
        if name in banks:
            return banks[name]
        files = sorted({p.name for p in self.__dict__.get("_sources", {}).values()})
        raise AttributeError(f"no phrase bank {name!r} in {', '.join(files) or 'the data files'}")

    def names(self) -> list[str]:
        """Bank names, in file order."""
        return list(self._banks)

    def source(self, name: str) -> Path:
        """The data file that defines bank `name`."""
        return self._sources[name]


def load_banks(paths: Iterable[Path]) -> Banks:
    """Read every YAML file of `paths` into one set of banks (a bank name may appear in one file only)."""
    banks: dict[str, Any] = {}
    sources: dict[str, Path] = {}
    for path in paths:
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
        except (OSError, yaml.YAMLError) as exc:
            raise BankError(f"{path}: cannot read phrase banks: {exc}") from exc
        if not isinstance(data, dict):
            raise BankError(f"{path}: expected a mapping of bank name -> phrases, got {type(data).__name__}")
        for name, value in data.items():
            if name in banks:
                raise BankError(f"{path}: bank {name!r} is already defined in {sources[name]}; keep one")
            if not isinstance(value, list | dict) or not value:
                raise BankError(f"{path}: bank {name!r} must be a non-empty list or mapping of phrases")
            banks[str(name)] = _freeze(value)
            sources[str(name)] = path
    return Banks(banks, sources)
