"""Export formats: the compat columns are exactly the reference list; the dataset card is valid."""

from __future__ import annotations

import re

import yaml
from conftest import ROOT

from moldova_personas.release.export import COMPAT_COLUMNS, EXTENDED_COLUMNS, REFERENCE_COLUMNS, dataset_card


def test_compat_columns_equal_the_reference_schema_table():
    doc = (ROOT / "docs" / "reference_schema.md").read_text(encoding="utf-8")
    table = re.findall(r"^\| (\d+) \| (\w+) \| (\w+)", doc, flags=re.M)
    assert tuple(name for _, name, _ in table) == REFERENCE_COLUMNS
    assert (*REFERENCE_COLUMNS, "ocean_profile") == COMPAT_COLUMNS
    assert EXTENDED_COLUMNS[: len(COMPAT_COLUMNS)] == COMPAT_COLUMNS
    assert set(EXTENDED_COLUMNS[len(COMPAT_COLUMNS) :]) == {
        "locality",
        "residence_type",
        "region",
        "ethnicity",
        "religion",
        "mother_tongue",
        "age_group",
        "first_name",
        "last_name",
    }


def test_dataset_card_has_a_yaml_header_and_licences():
    stats = {
        "tier": "tier_1k",
        "seed": 42,
        "record_count": 1000,
        "distributions": {
            "sex": [
                {"category": "female", "n_personas": 539, "observed_share": 0.539, "expected_share": 0.539}
            ]
        },
    }
    card = dataset_card(stats, {"models_used": "offline/narrator"}, {"dataset_license": "cc-by-4.0"})
    header = yaml.safe_load(card.split("---")[1])
    assert header["license"] == "cc-by-4.0" and header["language"] == ["ro"]
    assert [f["name"] for f in header["dataset_info"]["features"]] == [*REFERENCE_COLUMNS, "ocean_profile"]
    assert "offline/narrator" in card and "Known limitations" in card and "53.90%" in card
