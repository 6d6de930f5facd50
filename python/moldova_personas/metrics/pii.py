"""PII and secret patterns shared by the attempt log (masking) and the safety marts (detection).

Two uses of the same patterns:
* `mask_text` replaces e-mails, Moldovan phones, API keys/tokens, DB URLs (and given secret values) before a
  log line is written;
* `find_pii` reports real-looking contact data and identifiers in narrative text: phones (+373 / 00373 /
  0XX forms), e-mails, IDNP (13-digit personal numbers), payment cards (13-19 digits passing Luhn) and
  street addresses with a house number ("str. Independenței nr. 12", "bd. Ștefan cel Mare 45").

This module imports nothing of the package.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

DB_URL = re.compile(
    r"\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqp|mssql|oracle|"
    r"snowflake|clickhouse|duckdb|sqlite)(?:\+\w+)?://[^\s'\"]+",
    re.I,
)
URL_WITH_CREDENTIALS = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s/:@'\"]+:[^\s/@'\"]+@[^\s'\"]+", re.I)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.I)
AUTH_HEADER = re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}", re.I)
KEY_VALUE_SECRET = re.compile(
    r"\b(api[_-]?key|x-api-key|access[_-]?token|auth[_-]?token|token|secret|password|passwd)"
    r"(\s*[=:]\s*|\s+provided:\s*)['\"]?[^\s'\",}]{4,}",
    re.I,
)
# Provider key shapes: OpenAI/DashScope sk-..., Anthropic sk-ant-..., GitHub, Slack, AWS, Google
SK_KEY = re.compile(r"\bsk-[A-Za-z0-9_*-]{8,}")
VENDOR_KEY = re.compile(
    r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|AIza[\w-]{30,})"
)
# Moldovan phones: +373 / 00373 forms, and national 0XX XXX XXX (9 digits starting with 0)
PHONE_INTL = re.compile(r"(?:\+|\b00)\s?373[\s.-]?\(?\d{1,3}\)?(?:[\s.-]?\d){5,7}\b")
PHONE_NATIONAL = re.compile(r"(?<![\w.])0\d{2}(?:[\s.-]?\d){6}\b")
# IDNP: 13 consecutive digits (not part of a longer number)
IDNP = re.compile(r"(?<![\d])\d{13}(?![\d])")
# Payment cards: 13-19 digits, optionally grouped by spaces or dashes, checked with Luhn
CARD = re.compile(r"(?<![\d])\d(?:[ -]?\d){12,18}(?![\d])")
# Street addresses with a house number
STREET_WORDS = (
    r"(?i:\bstr\.|\bstr-la|\bstrada|\bbd\.|\bbd-ul|\bbulevardul|\bșos\.|\bşos\.|\bșoseaua|\bşoseaua|\baleea|"
    r"\bprospectul|ул\.|улица|проспект|бул\.)"
)
# street word, a capitalised name of 1-5 words (no sentence break), optional "nr.", the house number
ADDRESS = re.compile(
    STREET_WORDS + r"\s*[A-ZĂÂÎȘŞȚŢА-ЯЁ„\"][\w\-„”\"]*(?:\s+[^\W\d][\w\-„”\"]*){0,4}?,?"
    r"\s+(?:(?i:nr\.?|numărul|№|д\.)\s*)?\d{1,4}[A-Za-z]?(?:/\d+)?\b",
    re.U,
)

MASK_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (DB_URL, "[DB_URL]"),
    (URL_WITH_CREDENTIALS, "[URL_WITH_CREDENTIALS]"),
    (EMAIL, "[EMAIL]"),
    (AUTH_HEADER, r"\1 [SECRET]"),
    (KEY_VALUE_SECRET, r"\1\2[SECRET]"),
    (SK_KEY, "[API_KEY]"),
    (VENDOR_KEY, "[API_KEY]"),
    (PHONE_INTL, "[PHONE]"),
    (PHONE_NATIONAL, "[PHONE]"),
)


def phone_digits_ok(match: str) -> bool:
    """A phone match is real-looking when it has 9 (national) or 11-13 (international) digits."""
    digits = re.sub(r"\D", "", match)
    return len(digits) in (9, 11, 12, 13)


def luhn_ok(digits: str) -> bool:
    """Luhn checksum of a digit string."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def mask_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Mask PII and secrets in `text`; exact `secrets` values are replaced first."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "[SECRET]")
    for pattern, repl in MASK_PATTERNS:
        if repl == "[PHONE]":
            text = pattern.sub(lambda m: "[PHONE]" if phone_digits_ok(m.group(0)) else m.group(0), text)
        else:
            text = pattern.sub(repl, text)
    return text


@dataclass(frozen=True)
class PiiMatch:
    """One PII hit in a text: the rule that fired and the matched text."""

    rule: str
    matched_text: str
    start: int


def find_pii(text: str) -> list[PiiMatch]:
    """Every real-looking contact datum or identifier in `text`, in order of position."""
    if not text:
        return []
    hits: list[PiiMatch] = []
    taken: list[tuple[int, int]] = []

    def add(rule: str, m: re.Match[str]) -> None:
        span = m.span()
        if any(span[0] < end and start < span[1] for start, end in taken):
            return
        taken.append(span)
        hits.append(PiiMatch(rule, m.group(0).strip(), span[0]))

    for m in EMAIL.finditer(text):
        add("pii_email", m)
    for pattern in (PHONE_INTL, PHONE_NATIONAL):
        for m in pattern.finditer(text):
            if phone_digits_ok(m.group(0)):
                add("pii_phone", m)
    for m in CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if 13 <= len(digits) <= 19 and luhn_ok(digits) and not IDNP.fullmatch(m.group(0)):
            add("pii_card_number", m)
    for m in IDNP.finditer(text):
        add("pii_idnp", m)
    for m in ADDRESS.finditer(text):
        add("pii_street_address", m)
    return sorted(hits, key=lambda h: h.start)
