"""Stand-in for dbt's `adapter` object when sqlfluff renders models with its jinja templater.

sqlfluff exposes every module of `library_path` to the templates by module name, so
`{{ adapter.external_root() }}` renders here. Only the calls models make are stubbed; the values are
placeholders for linting and never reach dbt.
"""

from __future__ import annotations


def external_root() -> str:
    return "releases"


def get_columns_in_relation(relation) -> list:
    """No columns: models that adapt to a relation's columns render their fallback branch."""
    return []


def get_relation(database=None, schema=None, identifier=None) -> str:
    """Every relation exists: models that skip missing relations render every branch."""
    return identifier or "relation"
