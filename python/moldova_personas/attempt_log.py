"""Attempt log: one JSON line per generation attempt (metrics spec keys + `model`, `cost_usd`).

Every string is masked (e-mails, Moldovan phone numbers, API keys/tokens, DB URLs, and the exact values
of configured key variables) before it is written; each line is flushed as it happens.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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
EXTRA_KEYS = ("model", "cost_usd")
LOG_KEYS = SPEC_KEYS + EXTRA_KEYS

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # DB / broker URLs, and any URL carrying user:password@
    (
        re.compile(
            r"\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqp|mssql|oracle|"
            r"snowflake|clickhouse|duckdb|sqlite)(?:\+\w+)?://[^\s'\"]+",
            re.I,
        ),
        "[DB_URL]",
    ),
    (re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s/:@'\"]+:[^\s/@'\"]+@[^\s'\"]+", re.I), "[URL_WITH_CREDENTIALS]"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.I), "[EMAIL]"),
    # Authorization headers and key=value secrets
    (re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}", re.I), r"\1 [SECRET]"),
    (
        re.compile(
            r"\b(api[_-]?key|x-api-key|access[_-]?token|auth[_-]?token|token|secret|password|passwd)"
            r"(\s*[=:]\s*|\s+provided:\s*)['\"]?[^\s'\",}]{4,}",
            re.I,
        ),
        r"\1\2[SECRET]",
    ),
    # Provider key shapes: OpenAI/DashScope sk-..., Anthropic sk-ant-..., GitHub, Slack, AWS, Google
    (re.compile(r"\bsk-[A-Za-z0-9_*-]{8,}"), "[API_KEY]"),
    (
        re.compile(
            r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|AIza[\w-]{30,})"
        ),
        "[API_KEY]",
    ),
    # Moldovan phones: +373 / 00373 forms, and national 0XX XXX XXX (9 digits starting with 0)
    (re.compile(r"(?:\+|\b00)\s?373[\s.-]?\(?\d{1,3}\)?(?:[\s.-]?\d){5,7}\b"), "[PHONE]"),
    (re.compile(r"(?<![\w.])0\d{2}(?:[\s.-]?\d){6}\b"), "[PHONE]"),
)


def _phone_digits_ok(match: str) -> bool:
    digits = re.sub(r"\D", "", match)
    return len(digits) in (9, 11, 12, 13)


def mask_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Mask PII and secrets in `text`; exact `secrets` values are replaced first."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "[SECRET]")
    for pattern, repl in _PATTERNS:
        if repl == "[PHONE]":
            text = pattern.sub(lambda m: "[PHONE]" if _phone_digits_ok(m.group(0)) else m.group(0), text)
        else:
            text = pattern.sub(repl, text)
    return text


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
