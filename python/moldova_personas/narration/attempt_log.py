"""Attempt log: one JSON line per attempt (metrics spec keys + `model`, `cost_usd`, `error_class`).

An attempt is a generation (status success, repair, or fail when it was the last) or a failed call to a
provider (status error: retried or handed to the next alias; fail when the persona ends without text).
`attempt` numbers a persona's lines within one run, 1, 2, ...; `error_class` says what failed: a
provider error class of `llm.classify` (auth, permission, model_not_found, dns, config, rate_limit,
server_error, timeout, connection, bad_response, bad_request, other), or parse / validation.

Every string is masked (e-mails, Moldovan phone numbers, API keys/tokens, DB URLs, and the exact values
of configured key variables) before it is written; each line is flushed as it happens.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from moldova_personas.metrics.pii import mask_text

__all__ = ["AttemptLog", "mask", "mask_text", "new_run_id", "utc_now_iso"]

SPEC_KEYS = (
    "ts",
    "run_id",
    "persona_id",
    "stage",
    "attempt",
    "status",
    "latency_ms",
    "prompt_tokens",
    "completion_tokens",
    "repairs",
    "validator_scores",
    "opening_move",
    "constraint_categories",
    "anchors_used",
    "error",
)
EXTRA_KEYS = ("model", "cost_usd", "error_class")
LOG_KEYS = SPEC_KEYS + EXTRA_KEYS


# The patterns live in the shared `pii` module (also used by the safety marts); these names stay for
# callers of the earlier private API.
def mask(value: Any, secrets: Iterable[str] = ()) -> Any:
    """Mask every string inside a JSON-like value."""
    secrets = tuple(secrets)
    if isinstance(value, str):
        return mask_text(value, secrets)
    if isinstance(value, dict):
        return {k: mask(v, secrets) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask(v, secrets) for v in value]
    return value


def utc_now_iso() -> str:
    """ISO 8601 UTC timestamp with milliseconds and a Z suffix."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def new_run_id(tier: str = "") -> str:
    """Run id like '1K_20260131_143200_12345' (tier, UTC time, pid)."""
    stamp = datetime.now(UTC).strftime("%Y%m%d_%H%M%S")
    return f"{tier.upper() + '_' if tier else ''}{stamp}_{os.getpid()}"


class AttemptLog:
    """Append-only JSONL writer of attempt records, thread-safe, flushed per line."""

    def __init__(self, log_dir: Path | str, run_id: str, secrets: Iterable[str] = ()) -> None:
        self.run_id = run_id
        self.path = Path(log_dir) / f"{run_id}.jsonl"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._secrets = tuple(secrets)
        self._lock = threading.Lock()
        self._fh = self.path.open("a", encoding="utf-8")

    def write(self, **fields: Any) -> dict[str, Any]:
        """Write one attempt; missing spec keys get null/empty defaults, unknown keys are refused."""
        unknown = set(fields) - set(LOG_KEYS)
        if unknown:
            raise ValueError(f"attempt log keys outside the metrics spec: {sorted(unknown)}")
        record: dict[str, Any] = {
            "ts": utc_now_iso(),
            "run_id": self.run_id,
            "repairs": [],
            "validator_scores": {},
            "constraint_categories": [],
            "anchors_used": [],
            "error": None,
            "error_class": None,
        }
        record.update(fields)
        record = {key: record.get(key) for key in LOG_KEYS}
        line = json.dumps(mask(record, self._secrets), ensure_ascii=False)
        with self._lock:
            self._fh.write(line + "\n")
            self._fh.flush()
        return record

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            if not self._fh.closed:
                self._fh.close()

    def __enter__(self) -> AttemptLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
