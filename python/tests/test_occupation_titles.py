"""The occupation title catalogue: spelling, feminine forms, structure (no dbt needed).

python/tests/data/romanian_stripped_words.tsv lists spellings from the Romanian COR vocabulary that are
not Romanian words but are a stripped form of one (e.g. "invatator" for "învățător"); it was written by
scripts/occupations/build_occupation_titles.py from Debian's aspell-ro lexicon. feminine_lexicon.txt
holds the feminine word forms that lexicon attested when the catalogue was built.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from moldova_personas.census.feminine import feminine_title, lexicon_predicate

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).with_name("data")
TITLES = ROOT / "seeds/reference/occupation_titles.csv"
WEIGHTS = ROOT / "seeds/assumptions/assumption_occupation_unit_group_weights.csv"


@pytest.fixture(scope="module")
def titles() -> pd.DataFrame:
    return pd.read_csv(TITLES, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def attested():
    return lexicon_predicate((DATA / "feminine_lexicon.txt").read_text(encoding="utf-8").split())


def stripped_words() -> dict[str, str]:
    frame = pd.read_csv(DATA / "romanian_stripped_words.tsv", sep="\t", dtype=str)
    return dict(zip(frame["stripped"], frame["restored"], strict=True))


def missing_diacritics(strings) -> list[str]:
    """Lowercase words that are a known stripped spelling ('muncitor calificat in agricultura')."""
    known = stripped_words()
    found = []
    for text in strings:
        for word in re.findall(r"[^\W\d_]+", text):
            if word.islower() and word in known:
                found.append(f"{text!r}: {word} -> {known[word]}")
    return found


def test_catalogue_size_and_structure(titles):
    assert len(titles) >= 1000
    assert set(titles["isco_major"].astype(int)) == set(range(10))
    assert titles["isco_unit_group"].str.fullmatch(r"\d{4}").all()
    cor = titles[titles["cor_code"] != ""]
    assert (cor["cor_code"].str[:4] == cor["isco_unit_group"]).all()
    weights = pd.read_csv(WEIGHTS, dtype={"isco_unit_group": str})
    assert set(titles["isco_unit_group"]) <= set(weights["isco_unit_group"])


def test_no_title_lacks_a_diacritic(titles):
    strings = [t for t in pd.concat([titles["title_m"], titles["title_f"]]) if t]
    assert missing_diacritics(strings) == []
    # comma-below ș ț only, never the old cedilla letters
    assert not any(re.search("[şţŞŢ]", t) for t in strings)


def test_diacritics_check_catches_stripped_titles():
    # the check above has teeth: COR's own stripped spellings fail it
    assert missing_diacritics(["învatator", "muncitor necalificat în agricultura", "sef de santier"]) != []
    assert missing_diacritics(["învățător", "șef de șantier"]) == []


def test_each_title_string_names_one_catalogue_title(titles):
    # the diversity mart maps a persona's title string back to its catalogue row
    pairs = pd.concat(
        [
            titles.loc[titles["title_m"] != "", ["title_m"]]
            .rename(columns={"title_m": "s"})
            .assign(row=lambda f: f.index),
            titles.loc[titles["title_f"] != "", ["title_f"]]
            .rename(columns={"title_f": "s"})
            .assign(row=lambda f: f.index),
        ]
    )
    rows_per_string = pairs.drop_duplicates().groupby("s")["row"].nunique()
    assert rows_per_string.max() == 1, rows_per_string[rows_per_string > 1].index.tolist()


@pytest.mark.parametrize(
    ("masculine", "feminine"),
    [
        ("profesor", "profesoară"),
        ("inginer constructor", "ingineră constructoare"),
        ("vânzător de produse alimentare", "vânzătoare de produse alimentare"),
        ("contabil-șef", "contabilă-șefă"),
        ("asistent medical", "asistentă medicală"),
        ("medic veterinar", "medic veterinar"),
        ("bucătar", "bucătăreasă"),
        ("muncitor necalificat în agricultură", "muncitoare necalificată în agricultură"),
    ],
)
def test_feminine_rules(attested, masculine, feminine):
    assert feminine_title(masculine, attested) == feminine


def test_feminine_forms_follow_the_rules_unless_overridden(titles, attested):
    for row in titles.itertuples():
        if row.feminine_form == "rule":
            assert feminine_title(row.title_m, attested) == row.title_f != row.title_m, row
        elif row.feminine_form == "invariable":
            assert feminine_title(row.title_m, attested) == row.title_f == row.title_m, row
        else:
            assert row.feminine_form == "override", row
    share_by_rule = (titles["feminine_form"] == "rule").mean()
    assert share_by_rule > 0.75  # overrides stay the exception
