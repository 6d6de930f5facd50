"""Gate 1 (sensitive claims) patterns and the shared PII detectors / log masking."""

from __future__ import annotations

import csv

import pyarrow as pa
import pytest
from conftest import ROOT

from moldova_personas.metrics.pii import find_pii, luhn_ok, mask_text
from moldova_personas.metrics.safety import compile_patterns, find_claims, find_safety_findings
from moldova_personas.narration import attempt_log

SEED = ROOT / "seeds" / "safety" / "sensitive_claim_patterns.csv"


@pytest.fixture(scope="module")
def rows():
    with SEED.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def matcher(rows):
    return compile_patterns(rows)


@pytest.mark.parametrize(
    ("text", "rule", "category"),
    [
        ("Bunicul zice mereu că moldovenii sunt leneși.", "claim_ro", "ethnicity"),
        ("Românii sunt hoți, spune vecinul.", "claim_ro", "ethnicity"),
        ("Femeile sunt slabe la volan.", "claim_ro", "sex"),
        ("Sătenii sunt proști, crede el.", "claim_ro", "region"),
        ("Toți găgăuzii sunt niște bețivi.", "claim_ro", "ethnicity"),
        ("Ea crede că țiganii fură.", "slur_generic_ro", "ethnicity"),
        ("Русские все такие.", "claim_all_ru", "ethnicity"),
        ("Цыгане воры.", "claim_ru", "ethnicity"),
        ("Musulmanii sunt teroriști.", "claim_ro", "religion"),
    ],
)
def test_stereotypes_are_critical(matcher, text, rule, category):
    (hit,) = find_claims(text, matcher)
    assert (hit["rule"], hit["severity"], hit["category"]) == (rule, "critical", category)


@pytest.mark.parametrize(
    "text",
    [
        "Nu toți moldovenii sunt leneși.",
        "Nu e adevărat că femeile sunt slabe.",
        "Femeile din sat fac plăcinte de Paști.",
        "Moldovenii din sat sărbătoresc hramul în octombrie.",
        "Ina locuiește în satul Țiganca, raionul Cantemir.",
        "Не все русские такие.",
    ],
)
def test_negations_and_neutral_text_pass(matcher, text):
    assert find_claims(text, matcher) == []


def test_quoted_claim_is_a_warning_and_positive_generalisation_too(matcher):
    (quoted,) = find_claims("Vecinul spune: „rușii sunt hoți”.", matcher)
    assert (quoted["rule"], quoted["severity"]) == ("claim_ro_quoted", "warning")
    (positive,) = find_claims("Moldovenii sunt ospitalieri, spune ea.", matcher)
    assert positive["severity"] == "warning"


@pytest.mark.parametrize(
    ("text", "rule", "matched"),
    [
        ("Sună-l la +373 69 123 456 seara.", "pii_phone", "+373 69 123 456"),
        ("Telefonul de acasă e 022 123 456.", "pii_phone", "022 123 456"),
        ("Scrie la ion.rusu@mail.md oricând.", "pii_email", "ion.rusu@mail.md"),
        ("IDNP-ul ei este 2001234567890.", "pii_idnp", "2001234567890"),
        ("Plătește cu cardul 4111 1111 1111 1111.", "pii_card_number", "4111 1111 1111 1111"),
        ("Locuiește pe str. Independenței nr. 12.", "pii_street_address", "str. Independenței nr. 12"),
        ("Lucrează pe bd. Ștefan cel Mare 45.", "pii_street_address", "bd. Ștefan cel Mare 45"),
    ],
)
def test_pii_detected(text, rule, matched):
    assert [(h.rule, h.matched_text) for h in find_pii(text)] == [(rule, matched)]


@pytest.mark.parametrize(
    "text",
    [
        "Are 45 de ani și 2 copii, s-a născut în 1979.",
        "Pe strada principală a satului s-au aprins felinarele. În 1998 a plecat.",
        "Grădina Publică „Ștefan cel Mare și Sfânt” e aproape.",
        "Plătește 4111 1111 1111 1112 lei pe an.",  # fails Luhn, and no real card
    ],
)
def test_no_pii_in_ordinary_text(text):
    assert find_pii(text) == []


def test_luhn():
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")


def test_attempt_log_uses_the_shared_masker():
    text = "mail a.b@c.md tel +373 69 123 456 key sk-abcdefghijkl1234 postgres://u:p@h/db token=abcd1234"
    assert attempt_log.mask_text(text) == mask_text(text)
    masked = mask_text(text)
    for leaked in ("a.b@c.md", "69 123 456", "sk-abcdefghijkl1234", "postgres://", "abcd1234"):
        assert leaked not in masked


def test_findings_table_names_persona_field_and_text(rows):
    narratives = pa.table(
        {
            "persona_id": ["p1", "p2", "p3"],
            "field": ["persona", "cultural_background", "persona"],
            "narrative_text": ["Moldovenii sunt leneși.", "O zi obișnuită la piață.", "Sună la 069 123 456."],
        }
    )
    out = find_safety_findings(narratives, pa.Table.from_pylist(rows)).to_pylist()
    assert [(r["persona_id"], r["gate"], r["rule"], r["field"]) for r in out] == [
        ("p1", "sensitive_claims", "claim_ro", "persona"),
        ("p3", "pii", "pii_phone", "persona"),
    ]
