"""Corrupt copies of the census seeds and check that the validator names file, line, key and fix."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PYTHON_DIR = Path(__file__).resolve().parents[1]
if str(PYTHON_DIR) not in sys.path:  # the package is not pip-installed in every checkout
    sys.path.insert(0, str(PYTHON_DIR))

from moldova_personas.census.checks import (  # noqa: E402
    TABLES,
    CensusSeedError,
    validate_census,
    validate_census_dir,
)

SEEDS = PYTHON_DIR.parent / "seeds" / "census"


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    target = tmp_path / "census"
    shutil.copytree(SEEDS, target)
    return target


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _write(path: Path, lines: list[str], newline: str = "\n", bom: bool = False) -> None:
    path.write_bytes((("\ufeff" if bom else "") + newline.join(lines) + newline).encode("utf-8"))


def _replace_line(path: Path, startswith: str, old: str, new: str) -> int:
    """Replace `old` by `new` on the first line starting with `startswith`; return its 1-based number."""
    lines = _lines(path)
    for i, line in enumerate(lines):
        if line.startswith(startswith):
            assert old in line
            lines[i] = line.replace(old, new, 1)
            _write(path, lines)
            return i + 1
    raise AssertionError(f"no line starts with {startswith!r}")


def _message(path: Path) -> str:
    with pytest.raises(CensusSeedError) as info:
        validate_census_dir(path)
    return str(info.value)


def test_clean_seeds_pass() -> None:
    assert validate_census(SEEDS) == []
    validate_census_dir(SEEDS)


def test_every_seed_file_is_checked() -> None:
    csvs = {p.stem for p in SEEDS.glob("*.csv")}
    assert csvs == set(TABLES)


def test_shares_summing_to_80(seeds: Path) -> None:
    # Moldovan 76.7 -> 56.7: the national ethnicity shares now sum to 80.0
    f = seeds / "ethnicity_national.csv"
    line = _replace_line(f, "Moldovan,", ",76.7,", ",56.7,")
    assert line == 2
    msg = _message(seeds)
    assert f"{f}:2: [all rows] pct_of_total_final sums to 80 over lines 2-10" in msg
    assert f"edit {f} lines 2-10 (shares must sum to 100 +-0.5)" in msg


def test_grouped_shares(seeds: Path) -> None:
    f = seeds / "religion_by_ethnicity.csv"
    _replace_line(f, "Gagauz,Orthodox,", "96.15", "76.15")
    msg = _message(seeds)
    assert "[ethnicity=Gagauz] pct_of_affiliated_in_ethnic_group sums to 80 over lines 42-51" in msg


def test_unknown_region(seeds: Path) -> None:
    f = seeds / "population_by_raion.csv"
    line = _replace_line(f, "1400000,Briceni,", ",Nord,", ",Northh,")
    msg = _message(seeds)
    assert f"{f}:{line}: [raion=Briceni] region = 'Northh' is not a known code" in msg
    assert (
        f"edit {f} line {line} (did you mean 'Nord'? region must be one of: Chisinau, Nord, Centru, Sud, "
        "Gagauzia)" in msg
    )
    # the region total no longer matches its raions either
    assert "[region=Nord] population = 608651 but the population_by_raion.csv rows with region=Nord" in msg


def test_negative_count(seeds: Path) -> None:
    f = seeds / "religion_national.csv"
    line = _replace_line(f, "Baptist,", ",26226,", ",-26226,")
    msg = _message(seeds)
    assert f"{f}:{line}: [religion=Baptist] count = -26226 is negative" in msg
    assert f"edit {f} line {line} (count must be >= 0)" in msg


def test_missing_column(seeds: Path) -> None:
    f = seeds / "marital_status.csv"
    lines = _lines(f)
    _write(f, [",".join(line.split(",")[:2] + line.split(",")[3:]) for line in lines])  # drop pct_2014
    msg = _message(seeds)
    assert f"{f}:1: required column(s) missing from the header: pct_2014" in msg
    assert f"edit {f} line 1 (expected columns: marital_status, pct_2024, pct_2014," in msg


def test_non_numeric_value(seeds: Path) -> None:
    f = seeds / "population_by_region.csv"
    line = _replace_line(f, "Centru,", "670088", "670O88")
    msg = _message(seeds)
    assert f"{f}:{line}: [region=Centru] population = '670O88' is not an integer" in msg
    assert f"edit {f} line {line}" in msg


def test_duplicate_key(seeds: Path) -> None:
    f = seeds / "ethnicity_by_area.csv"
    lines = _lines(f)
    _write(f, [*lines, lines[3]])  # urban,Ukrainian again
    msg = _message(seeds)
    assert (
        f"{f}:{len(lines) + 1}: [area=urban, ethnicity=Ukrainian] duplicate key (area, ethnicity) "
        "already on line 4" in msg
    )


def test_unknown_raion_in_localities(seeds: Path) -> None:
    f = seeds / "localities.csv"
    line = _replace_line(f, "111001,", ",mun. Chișinău,", ",mun. Kishinev,")
    msg = _message(seeds)
    assert (
        f"{f}:{line}: [cuatm_code=111001, level=component_locality] raion = 'mun. Kishinev' "
        "is not a raion of population_by_raion.csv" in msg
    )


def test_leaf_sum_differs_from_raion(seeds: Path) -> None:
    f = seeds / "localities.csv"
    _replace_line(f, "111001,", ",1,2962,", ",1,2900,")
    msg = _message(seeds)
    raion_file = seeds / "population_by_raion.csv"
    assert f"{raion_file}:2: [raion=mun. Chișinău] population = 720128 but the localities.csv rows" in msg
    assert "sum to 720066 (difference -62)" in msg


def test_bom_and_crlf_are_tolerated(seeds: Path) -> None:
    for name in ("population_by_region", "marital_status", "localities"):
        f = seeds / f"{name}.csv"
        _write(f, _lines(f), newline="\r\n", bom=True)
        assert f.read_bytes().startswith(b"\xef\xbb\xbf")
    assert validate_census(seeds) == []


def test_bom_does_not_hide_real_problems(seeds: Path) -> None:
    f = seeds / "marital_status.csv"
    lines = _lines(f)
    lines[2] = lines[2].replace("23.6", "-3.6")  # never married
    _write(f, lines, newline="\r\n", bom=True)
    msg = _message(seeds)
    assert f"{f}:3: [marital_status=never married] pct_2024 = -3.6 is negative" in msg
    assert "missing from the header" not in msg


def test_missing_file(seeds: Path) -> None:
    (seeds / "education_level.csv").unlink()
    msg = _message(seeds)
    assert f"{seeds / 'education_level.csv'}: file is missing" in msg


def test_cli_exit_codes(seeds: Path) -> None:
    cmd = [sys.executable, "-m", "moldova_personas.census.checks"]
    env = {"PYTHONPATH": str(PYTHON_DIR), "PATH": "/usr/bin:/bin"}
    ok = subprocess.run([*cmd, str(SEEDS)], capture_output=True, text=True, env=env, check=False)
    assert ok.returncode == 0, ok.stderr
    f = seeds / "religion_national.csv"
    line = _replace_line(f, "Islam,", ",3138,", ",-1,")
    bad = subprocess.run([*cmd, str(seeds)], capture_output=True, text=True, env=env, check=False)
    assert bad.returncode == 1
    assert f"{f}:{line}: [religion=Islam] count = -1 is negative" in bad.stderr


def test_religion_by_raion_reconciles_with_raion_and_national_counts(seeds: Path) -> None:
    # Briceni Orthodox 37731 -> 37000: the unit no longer sums to its population, nor the category
    # to the national Orthodox count, and its shares no longer sum to 100
    f = seeds / "religion_by_raion.csv"
    line = _replace_line(f, "1400000,Briceni,Nord,Orthodox,", ",37731,", ",37000,")
    msg = _message(seeds)
    raion_file, national_file = seeds / "population_by_raion.csv", seeds / "religion_national.csv"
    assert "[raion=Briceni] population = 46894 but the religion_by_raion.csv rows with raion=Briceni" in msg
    assert "sum count to 46163 (difference -731)" in msg
    assert f"{raion_file}:" in msg
    assert f"{national_file}:2: [religion=Orthodox] count = 2271105 but the religion_by_raion.csv rows" in msg
    assert line > 1


def test_religion_by_raion_combined_no_religion_row(seeds: Path) -> None:
    # the national file prints freethinker + agnostic + atheist as one row: the fold must hold
    f = seeds / "religion_by_raion.csv"
    _replace_line(f, "100000,mun. Chișinău,Chisinau,Atheist,", ",11302,", ",11300,")
    msg = _message(seeds)
    assert "[religion=Freethinker + Agnostic + Atheist (combined)] count = 16768" in msg
    assert "sum to 16766 (difference -2)" in msg


def test_religion_by_raion_wrong_region_and_code(seeds: Path) -> None:
    f = seeds / "religion_by_raion.csv"
    line = _replace_line(f, "1400000,Briceni,Nord,Baptist,", "1400000,Briceni,Nord,", "1400001,Briceni,Sud,")
    msg = _message(seeds)
    where = f"{f}:{line}: [raion=Briceni, religion=Baptist]"
    assert f"{where} cuatm_code = '1400001' but population_by_raion.csv gives '1400000'" in msg
    assert f"{where} region = 'Sud' but population_by_raion.csv gives 'Nord'" in msg


def test_religion_by_raion_missing_unit(seeds: Path) -> None:
    f = seeds / "religion_by_raion.csv"
    _write(f, [row for row in _lines(f) if ",Taraclia," not in row])
    msg = _message(seeds)
    assert f"{f}: has no rows for 1 raion(s) of population_by_raion.csv: Taraclia" in msg


def test_education_by_territory_checks(seeds: Path) -> None:
    f = seeds / "education_higher_by_territory.csv"
    nat = _replace_line(f, "national,", ",19.1,", ",19.4,")
    bad_pct = _replace_line(f, "area,urban,", ",30.3,", ",130.3,")
    unknown = _replace_line(f, "raion,Cantemir,", "raion,Cantemir,", "raion,Cantemirr,")
    msg = _message(seeds)
    assert (
        f"{f}:{nat}: [territory_type=national, territory=Republica Moldova] higher_education_pct = 19.4"
        in msg
    )
    assert "prints 19.1 for the same figure" in msg
    assert (
        f"{f}:{bad_pct}: [territory_type=area, territory=urban] higher_education_pct = 130.3 is above 100"
        in msg
    )
    assert (
        f"{f}:{unknown}: [territory_type=raion, territory=Cantemirr] territory = 'Cantemirr' is not a raion"
        in msg
    )
    # the national and area rows are not raions: no raion complaint about them
    assert "territory = 'urban' is not a raion" not in msg


# --- input a spreadsheet export breaks ----------------------------------------------------------------


def test_semicolon_delimiter_is_named(seeds: Path) -> None:
    f = seeds / "marital_status.csv"
    f.write_text(f.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    msg = _message(seeds)
    assert f"{f}:1: the header uses ';' as the delimiter, not ','" in msg
    assert f"Fix: re-save {f} with ',' as the field delimiter" in msg
    assert "missing from the header" not in msg


def test_tab_delimiter_on_one_line_is_named(seeds: Path) -> None:
    f = seeds / "ethnicity_by_area.csv"
    lines = _lines(f)
    lines[2] = lines[2].replace(",", "\t")
    _write(f, lines)
    msg = _message(seeds)
    assert f"{f}:3: line 3 uses a tab as the delimiter, not ','" in msg


def test_unquoted_decimal_comma_is_named(seeds: Path) -> None:
    # Chisinau: urban_pct 88.4 written 88,4 unquoted -> one field too many
    f = seeds / "population_by_region.csv"
    line = _replace_line(f, "Chisinau,", ",88.4,", ",88,4,")
    msg = _message(seeds)
    assert (
        f"{f}:{line}: has 12 fields but the header has 11: urban_pct = '88,4' is written with a decimal "
        "comma" in msg
    )
    assert f"Fix: edit {f} line {line}: write 88.4" in msg
    assert "sums to" not in msg  # no echo of the missing row in the share check


def test_quoted_decimal_comma_is_named(seeds: Path) -> None:
    f = seeds / "ethnicity_national.csv"
    line = _replace_line(f, "Romanian,", ",193.2,", ',"193,2",')
    msg = _message(seeds)
    assert f"{f}:{line}: [ethnicity=Romanian] count_thousands = '193,2' uses a decimal comma" in msg
    assert f"Fix: edit {f} line {line}: write 193.2 (a dot as decimal separator)" in msg


def test_quoted_thousands_separator_is_named(seeds: Path) -> None:
    f = seeds / "population_by_region.csv"
    line = _replace_line(f, "Centru,", ",670088,", ',"670,088",')
    msg = _message(seeds)
    assert f"{f}:{line}: [region=Centru] population = '670,088' uses a comma as thousands separator" in msg
    assert f"Fix: edit {f} line {line}: write 670088" in msg


@pytest.mark.parametrize(("content", "what"), [("   \t ", "holds only whitespace"), ("", "is empty")])
def test_blank_line_is_named(seeds: Path, content: str, what: str) -> None:
    f = seeds / "ethnicity_by_area.csv"
    lines = _lines(f)
    lines.insert(3, content)
    _write(f, lines)
    msg = _message(seeds)
    assert f"{f}:4: line 4 {what}. Fix: delete line 4 of {f}" in msg


@pytest.mark.parametrize(
    ("name", "startswith", "old", "new", "column"),
    [
        ("population_by_region", "Sud,", "Sud,", "Sudd,", "region"),
        ("population_by_raion", "1700000,Cahul,", ",Sud,", ",Suud,", "region"),
        ("localities", "111001,", ",Chisinau,", ",Chisinao,", "region"),
        ("localities", "111001,", ",mun. Chișinău,", ",mun. Chisinau-x,", "raion"),
        ("ethnicity_by_region", "Taraclia,Bulgarian,65.81", "Taraclia,", "Taraklia,", "region_or_unit"),
    ],
)
def test_unknown_region_or_raion_in_every_table_that_carries_one(
    seeds: Path, name: str, startswith: str, old: str, new: str, column: str
) -> None:
    f = seeds / f"{name}.csv"
    line = _replace_line(f, startswith, old, new)
    value = new.strip(",")
    msg = _message(seeds)
    hits = [
        p for p in msg.splitlines() if p.strip().startswith(f"{f}:{line}:") and f"{column} = {value!r}" in p
    ]
    assert hits, msg
    assert "is not" in hits[0] and f"Fix: edit {f} line {line} (did you mean" in hits[0]


def test_locality_in_the_wrong_region_is_named(seeds: Path) -> None:
    f = seeds / "localities.csv"
    line = _replace_line(f, "111001,", ",Chisinau,", ",Nord,")
    msg = _message(seeds)
    assert (
        f"{f}:{line}: [cuatm_code=111001, level=component_locality] region = 'Nord' but "
        "population_by_raion.csv gives 'Chisinau' for mun. Chișinău" in msg
    )
