"""Feminine forms of Romanian job titles, by documented rules.

A title is a head noun, optionally followed by words that agree with it (adjectives or nouns in
apposition: "asistent medical", "inginer constructor") and then by complements that never change
("de", "în", "la" ... phrases: "vânzător de produse alimentare"). Only the head and the agreeing words
are made feminine, each by the first suffix rule whose result is *attested* (a word form of the
Romanian lexicon the caller passes in). A word with no attested feminine stays as it is: this is the
rule CORM 006-2021 follows ("forma de feminin ... ocupațiile care au termen echivalent atestat în
surse lexicografice"), so "medic", "designer" or "primar" are used for women unchanged.

The word lists live in feminine_rules.json; the build script passes the full aspell-ro lexicon, the
tests the subset that the build recorded (python/tests/data/feminine_lexicon.txt).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

RULES_PATH = Path(__file__).with_name("feminine_rules.json")


@cache
def rules() -> dict:
    """The grammar word lists (stop words, agreeing words, invariable heads, irregular forms)."""
    return json.loads(RULES_PATH.read_text(encoding="utf-8"))


def _candidates(word: str) -> list[str]:
    """Feminine candidates for one masculine word, most likely first."""
    irregular = rules()["irregular"]
    if word in irregular:
        return [irregular[word]]
    out: list[str] = []
    for suffix, replacements in rules()["suffixes"]:
        if word.endswith(suffix):
            stem = word[: len(word) - len(suffix)]
            out.extend(stem + r for r in replacements)
    return out


def feminine_word(word: str, attested: Callable[[str], bool]) -> str | None:
    """The first attested feminine candidate of `word`, or None (the word stays invariable)."""
    if word in rules()["invariable"]:
        return None
    for candidate in _candidates(word):
        if attested(candidate):
            return candidate
    return None


def _agreeing_span(words: list[str]) -> int:
    """How many leading words agree with the head: the head plus agreeing words up to a stop word."""
    agreeing = set(rules()["agreeing"])
    n = 1
    while n < len(words) and words[n] in agreeing:
        n += 1
    return n


def feminine_title(title: str, attested: Callable[[str], bool]) -> str:
    """The feminine form of a masculine title ("inginer constructor" -> "ingineră constructoare").

    If the head noun has no attested feminine form, the whole title stays unchanged: an adjective
    agrees with the grammatical gender of its noun, so "medic veterinar" is right for a woman too.
    """
    words = title.split(" ")
    span = _agreeing_span(words)
    head_parts = words[0].split("-")
    head_fem = feminine_word(head_parts[0], attested)
    if head_fem is None:
        return title
    out = list(words)
    parts = [head_fem] + [feminine_word(p, attested) or p for p in head_parts[1:]]
    out[0] = "-".join(parts)
    for i in range(1, span):
        out[i] = "-".join(feminine_word(p, attested) or p for p in words[i].split("-"))
    return " ".join(out)


def lexicon_predicate(words: Iterable[str]) -> Callable[[str], bool]:
    """An `attested` predicate over a set of word forms."""
    known = frozenset(words)
    return known.__contains__
