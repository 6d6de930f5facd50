"""Validate the census seed CSVs (seeds/census/*.csv) before dbt loads them.

dbt's seed tests report bad data only after a load; this module reads the files with the csv module and
names the file, the 1-based CSV line, the row key, what is wrong and how to fix it. The checks mirror the
tests in seeds/census/_census__seeds.yml: required columns, numeric values, non-negative counts, percents
at most 100, shares summing to 100, known region codes, raion names known to population_by_raion (and the
region and CUATM code printed beside them), duplicate keys, child sums equal to parent totals (raions to
regions, localities to raions, religion by raion to the raion populations and to the national religion
counts), tables that must cover every raion, and figures repeated in two files agreeing.

Input a spreadsheet export typically breaks is named as such: a wrong delimiter (';', tab or '|'), a
decimal comma (unquoted it splits the row into one field too many; quoted it leaves '88,4' in a numeric
column), a thousands separator, a blank or whitespace-only line, and a region or raion code unknown to
population_by_region / population_by_raion in every table that carries one (region, raion,
region_or_unit, a raion's territory), with the closest known code as a hint.

A UTF-8 byte-order mark and CRLF line endings are tolerated silently (dbt and DuckDB read them too; the
shared census files use CRLF); the BOM is stripped before the header is read, so it never turns the first
column into a "missing" one.

    python -m moldova_personas.census.checks seeds/census     # exit 1 and one line per problem
"""

from __future__ import annotations

import csv
import difflib
import itertools
import math
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from moldova_personas.schema import ETHNICITIES, REGIONS

SHARE_TOLERANCE = 0.5


@dataclass(frozen=True)
class ShareCheck:
    """`column` must sum to `expected` +- `tolerance` over the rows `where` keeps, per `group_by`."""

    column: str
    group_by: tuple[str, ...] = ()
    expected: float = 100.0
    tolerance: float = SHARE_TOLERANCE
    where: Callable[[dict[str, str]], bool] | None = None


@dataclass(frozen=True)
class TableSpec:
    """What one seed file must contain."""

    columns: tuple[str, ...]
    key: tuple[str, ...]
    integers: tuple[str, ...] = ()
    decimals: tuple[str, ...] = ()
    non_negative: tuple[str, ...] = ()
    shares: tuple[ShareCheck, ...] = ()
    codes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    raion_column: str | None = None
    raion_where: Callable[[dict[str, str]], bool] | None = None  # rows whose raion_column is a raion
    percents: tuple[str, ...] = ()  # 0-100 columns: above 100 is an error
    per_raion: tuple[str, ...] = ()  # columns that must equal the raion's row in population_by_raion
    covers_all_raions: bool = False  # every raion of population_by_raion must appear
    # a column holding a region code or a raion name (either spelling of population_by_raion)
    area_column: str | None = None


WORKING_AGE = ("pop_grp1_under_working_age", "pop_grp2_working_age", "pop_grp3_over_working_age")
ETHNICITY_CODES = tuple(ETHNICITIES)
RELIGION_BY_RAION_LABELS = (
    "Orthodox",
    "Baptist",
    "Jehovah's Witnesses",
    "Pentecostal",
    "Adventist",
    "Christian according to the Gospel (Evangelical)",
    "Old Believers (Russian Orthodox Old Rite)",
    "Islam",
    "Catholic",
    "Other religions",
    "Freethinker",
    "Agnostic",
    "Atheist",
    "No religion (Fără religie)",
    "Not declared",
)
# religion_national prints freethinker + agnostic + atheist as one row; the raion table has them apart.
COMBINED_NO_RELIGION = "Freethinker + Agnostic + Atheist (combined)"


def _not_total(row: dict[str, str]) -> bool:
    return row.get("region") != "TOTAL"


TABLES: dict[str, TableSpec] = {
    "population_by_region": TableSpec(
        columns=(
            "region",
            "population",
            "urban",
            "rural",
            "urban_pct",
            "share_of_national_pct",
            "nbs_published_thousands",
            *WORKING_AGE,
            "units_included",
        ),
        key=("region",),
        integers=("population", "urban", "rural", *WORKING_AGE),
        decimals=("urban_pct", "share_of_national_pct", "nbs_published_thousands"),
        non_negative=("population", "urban", "rural", *WORKING_AGE, "urban_pct", "share_of_national_pct"),
        shares=(ShareCheck("share_of_national_pct", where=_not_total),),
        codes={"region": (*REGIONS, "TOTAL")},
    ),
    "population_by_raion": TableSpec(
        columns=(
            "cuatm_code",
            "raion",
            "raion_ascii",
            "unit_type",
            "region",
            "population",
            "urban",
            "rural",
            "urban_pct",
            "largest_town",
            "largest_town_population",
            *WORKING_AGE,
            "age_group_note",
        ),
        key=("raion",),
        integers=("population", "urban", "rural", "largest_town_population", *WORKING_AGE),
        decimals=("urban_pct",),
        non_negative=("population", "urban", "rural", "largest_town_population", *WORKING_AGE, "urban_pct"),
        codes={"region": REGIONS},
    ),
    "localities": TableSpec(
        columns=(
            "cuatm_code",
            "level",
            "unit_type",
            "name_source",
            "name",
            "name_ascii",
            "parent_uat_code",
            "parent_uat_name",
            "raion",
            "region",
            "area_type",
            "is_leaf",
            "population",
            *WORKING_AGE,
        ),
        key=("cuatm_code", "level"),
        integers=("is_leaf", "population", *WORKING_AGE),
        non_negative=("population", *WORKING_AGE),
        codes={
            "region": REGIONS,
            "level": ("uat", "component_locality"),
            "area_type": ("urban", "rural", "mixed(town+villages)"),
            "is_leaf": ("0", "1"),
        },
        raion_column="raion",
        per_raion=("region",),
    ),
    "age_sex": TableSpec(
        columns=("age_group", "sex", "population", "pct_of_total", "unit", "source_id", "status"),
        key=("age_group", "sex"),
        integers=("population",),
        decimals=("pct_of_total",),
        non_negative=("population", "pct_of_total"),
        shares=(
            ShareCheck("pct_of_total", where=lambda r: r["age_group"] == "total" and r["sex"] != "both"),
        ),
        codes={"sex": ("both", "female", "male")},
    ),
    "age_10yr_nbs_estimate_2024_approx": TableSpec(
        columns=("age_group", "sex", "population", "pct_of_total", "reference_date", "source_id", "status"),
        key=("age_group",),
        integers=("population",),
        decimals=("pct_of_total",),
        non_negative=("population", "pct_of_total"),
        shares=(ShareCheck("pct_of_total"),),
    ),
    "population_single_age_2024_approx": TableSpec(
        columns=("age", "population", "source_age_code", "reference_date", "note", "source_id", "status"),
        key=("age",),
        integers=("age", "population", "source_age_code"),
        non_negative=("age", "population"),
    ),
    "ethnicity_national": TableSpec(
        columns=(
            "ethnicity",
            "count_thousands",
            "pct_of_total_final",
            "pct_of_total_final_2dp",
            "pct_of_declared_preliminary",
            "source_id",
            "status",
        ),
        key=("ethnicity",),
        decimals=(
            "count_thousands",
            "pct_of_total_final",
            "pct_of_total_final_2dp",
            "pct_of_declared_preliminary",
        ),
        non_negative=("count_thousands", "pct_of_total_final"),
        shares=(ShareCheck("pct_of_total_final"), ShareCheck("pct_of_declared_preliminary")),
        codes={"ethnicity": (*ETHNICITY_CODES, "Not declared")},
    ),
    "ethnicity_by_area": TableSpec(
        columns=("area", "ethnicity", "pct_of_area_population", "source_id", "status"),
        key=("area", "ethnicity"),
        decimals=("pct_of_area_population",),
        non_negative=("pct_of_area_population",),
        shares=(ShareCheck("pct_of_area_population", group_by=("area",)),),
        codes={"area": ("urban", "rural"), "ethnicity": ETHNICITY_CODES},
    ),
    "ethnicity_by_region": TableSpec(
        columns=("region_or_unit", "group", "percent", "basis", "vintage", "source_id", "note"),
        key=("region_or_unit", "group", "vintage", "basis"),
        decimals=("percent",),
        non_negative=("percent",),
        area_column="region_or_unit",
    ),
    "ethnicity_age_profile": TableSpec(
        columns=("ethnicity", "age_group", "pct_of_ethnic_group", "source_id", "status"),
        key=("ethnicity", "age_group"),
        decimals=("pct_of_ethnic_group",),
        non_negative=("pct_of_ethnic_group",),
        shares=(ShareCheck("pct_of_ethnic_group", group_by=("ethnicity",)),),
        codes={"ethnicity": ETHNICITY_CODES},
    ),
    "religion_national": TableSpec(
        columns=(
            "religion",
            "category_type",
            "count",
            "pct_of_total_final",
            "pct_preliminary",
            "source_id",
            "status",
        ),
        key=("religion",),
        integers=("count",),
        decimals=("pct_of_total_final", "pct_preliminary"),
        non_negative=("count", "pct_of_total_final"),
        shares=(ShareCheck("pct_of_total_final"),),
    ),
    "religion_by_ethnicity": TableSpec(
        columns=("ethnicity", "religion", "pct_of_affiliated_in_ethnic_group", "source_id", "status"),
        key=("ethnicity", "religion"),
        decimals=("pct_of_affiliated_in_ethnic_group",),
        non_negative=("pct_of_affiliated_in_ethnic_group",),
        shares=(ShareCheck("pct_of_affiliated_in_ethnic_group", group_by=("ethnicity",)),),
        codes={"ethnicity": ETHNICITY_CODES},
    ),
    "native_language": TableSpec(
        columns=(
            "mother_tongue",
            "count",
            "pct_of_total_computed",
            "pct_reported_final",
            "pct_reported_preliminary",
            "source_id",
            "status",
        ),
        key=("mother_tongue",),
        integers=("count",),
        decimals=("pct_of_total_computed", "pct_reported_final", "pct_reported_preliminary"),
        non_negative=("count", "pct_of_total_computed"),
        shares=(ShareCheck("pct_of_total_computed"),),
    ),
    "mother_tongue_by_ethnicity": TableSpec(
        columns=("ethnicity", "mother_tongue", "pct_of_ethnic_group", "source_id", "status"),
        key=("ethnicity", "mother_tongue"),
        decimals=("pct_of_ethnic_group",),
        non_negative=("pct_of_ethnic_group",),
        shares=(ShareCheck("pct_of_ethnic_group", group_by=("ethnicity",)),),
        codes={"ethnicity": ETHNICITY_CODES},
    ),
    "marital_status": TableSpec(
        columns=("marital_status", "pct_2024", "pct_2014", "sex", "age_universe", "source_id", "status"),
        key=("marital_status",),
        decimals=("pct_2024", "pct_2014"),
        non_negative=("pct_2024", "pct_2014"),
        shares=(ShareCheck("pct_2024"), ShareCheck("pct_2014")),
        codes={"marital_status": ("married", "never married", "widowed", "divorced")},
    ),
    "education_level": TableSpec(
        columns=("education_level", "pct", "sex", "age_universe", "source_id", "status"),
        key=("education_level",),
        decimals=("pct",),
        non_negative=("pct",),
        shares=(ShareCheck("pct"),),
    ),
    "employment_status": TableSpec(
        columns=("indicator", "value", "year", "source_id"),
        key=("indicator",),
        integers=("year",),
    ),
    "religion_by_raion": TableSpec(
        columns=(
            "cuatm_code",
            "raion",
            "region",
            "religion",
            "religion_label_ro",
            "category_type",
            "count",
            "pct_of_raion_population",
            "source_id",
            "status",
        ),
        key=("raion", "religion"),
        integers=("count",),
        decimals=("pct_of_raion_population",),
        non_negative=("count", "pct_of_raion_population"),
        percents=("pct_of_raion_population",),
        shares=(ShareCheck("pct_of_raion_population", group_by=("raion",), tolerance=0.05),),
        codes={
            "region": REGIONS,
            "religion": RELIGION_BY_RAION_LABELS,
            "category_type": ("religious affiliation", "no religion", "not declared"),
        },
        raion_column="raion",
        per_raion=("cuatm_code", "region"),
        covers_all_raions=True,
    ),
    "education_higher_by_territory": TableSpec(
        columns=(
            "territory_type",
            "territory",
            "cuatm_code",
            "higher_education_pct",
            "age_universe",
            "source_id",
            "status",
            "note",
        ),
        key=("territory_type", "territory"),
        decimals=("higher_education_pct",),
        non_negative=("higher_education_pct",),
        percents=("higher_education_pct",),
        codes={"territory_type": ("national", "area", "raion")},
        raion_column="territory",
        raion_where=lambda r: r.get("territory_type") == "raion",
        per_raion=("cuatm_code",),
    ),
}


@dataclass(frozen=True)
class SumCheck:
    """Child rows summed per parent key must equal the parent row (column pairs child -> parent).

    `keep` filters child rows; `parent_key_of` maps a child row to the parent key (default: its
    `group_col` value), e.g. to fold three child categories into one combined parent row.
    """

    child: str
    group_col: str
    parent: str
    parent_key: str
    columns: tuple[tuple[str, str], ...]
    keep: Callable[[dict[str, str]], bool] = lambda r: True
    parent_key_of: Callable[[dict[str, str]], str] | None = None


def _same(*columns: str) -> tuple[tuple[str, str], ...]:
    return tuple((c, c) for c in columns)


def _religion_national_key(row: dict[str, str]) -> str:
    label = row.get("religion", "")
    return COMBINED_NO_RELIGION if label in ("Freethinker", "Agnostic", "Atheist") else label


SUM_CHECKS: tuple[SumCheck, ...] = (
    SumCheck(
        "population_by_raion",
        "region",
        "population_by_region",
        "region",
        _same("population", "urban", "rural", *WORKING_AGE),
    ),
    SumCheck(
        "localities",
        "raion",
        "population_by_raion",
        "raion",
        _same("population"),
        keep=lambda r: r.get("is_leaf") == "1",
    ),
    SumCheck("religion_by_raion", "raion", "population_by_raion", "raion", (("count", "population"),)),
    SumCheck(
        "religion_by_raion",
        "religion",
        "religion_national",
        "religion",
        _same("count"),
        parent_key_of=_religion_national_key,
    ),
)


@dataclass(frozen=True)
class EqualCheck:
    """A figure printed in two files must agree: the `child` row selected by `child_where` and the
    `parent` row selected by `parent_where` (within `tolerance`)."""

    child: str
    child_where: Callable[[dict[str, str]], bool]
    child_column: str
    parent: str
    parent_where: Callable[[dict[str, str]], bool]
    parent_column: str
    tolerance: float = 1e-9


EQUAL_CHECKS: tuple[EqualCheck, ...] = (
    EqualCheck(
        "education_higher_by_territory",
        lambda r: r.get("territory_type") == "national",
        "higher_education_pct",
        "education_level",
        lambda r: r.get("education_level") == "higher (superior)",
        "pct",
    ),
)


@dataclass(frozen=True)
class CensusProblem:
    """One problem in one seed file; `line` is the 1-based physical CSV line (1 = header)."""

    file: str
    line: int | None
    key: str
    what: str
    fix: str
    lines: tuple[int, ...] = ()

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        key = f" [{self.key}]" if self.key else ""
        return f"{where}:{key} {self.what}. Fix: {self.fix}"


class CensusSeedError(ValueError):
    """Raised by validate_census_dir; `problems` holds every CensusProblem found."""

    def __init__(self, problems: Sequence[CensusProblem]):
        self.problems = list(problems)
        head = f"{len(self.problems)} problem(s) in the census seed files:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


@dataclass
class _Table:
    display: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (1-based line number, row)
    # lines whose field count differs from the header's; diagnosed with the table's spec
    malformed: list[tuple[int, list[str]]] = field(default_factory=list)


# Delimiters a spreadsheet export uses instead of ',' (Excel with a comma-decimal locale writes ';').
OTHER_DELIMITERS = {";": "';'", "\t": "a tab", "|": "'|'"}
INTEGER = re.compile(r"[+-]?\d+")
DIGITS = re.compile(r"\d+")
COMMA_DECIMAL = re.compile(r"[+-]?\d+,\d+")
THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
DELIMITER_FIX = (
    "re-save {file} with ',' as the field delimiter (Excel: Save As 'CSV UTF-8 (Comma delimited)'; "
    "LibreOffice: Field delimiter ',')"
)


def _other_delimiter(text: str, n_fields: int) -> str | None:
    """The delimiter `text` (one unsplit line) seems to use instead of ',', if any."""
    counts = {d: text.count(d) for d in OTHER_DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0 or (n_fields > 1 and counts[best] < n_fields - 1):
        return None
    return best


def _read(path: Path, display: str) -> tuple[_Table | None, list[CensusProblem]]:
    try:
        # utf-8-sig strips a BOM; newline="" lets csv handle CRLF and quoted newlines.
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None:
                return None, [
                    CensusProblem(
                        display,
                        1,
                        "",
                        "the file is empty (no header line)",
                        f"restore {display} from /work/shared/census/",
                    )
                ]
            header = [h.strip() for h in header]
            if len(header) == 1 and (delimiter := _other_delimiter(header[0], 0)):
                return None, [
                    CensusProblem(
                        display,
                        1,
                        "",
                        f"the header uses {OTHER_DELIMITERS[delimiter]} as the delimiter, not ',' "
                        f"(it reads as one column {header[0][:60]!r})",
                        DELIMITER_FIX.format(file=display),
                    )
                ]
            rows: list[tuple[int, dict[str, str]]] = []
            malformed: list[tuple[int, list[str]]] = []
            problems: list[CensusProblem] = []
            for record in reader:
                line = reader.line_num
                if not record or all(not cell.strip() for cell in record):
                    # dbt would load a row of nulls (or stop): name the line instead of skipping it
                    what = (
                        "is empty"
                        if not record or not "".join(record)
                        else "holds only whitespace"
                        if len(record) == 1
                        else "has only empty fields"
                    )
                    problems.append(
                        CensusProblem(
                            display, line, "", f"line {line} {what}", f"delete line {line} of {display}"
                        )
                    )
                elif len(record) != len(header):
                    malformed.append((line, record))
                else:
                    rows.append((line, dict(zip(header, record, strict=True))))
    except UnicodeDecodeError as exc:
        return None, [
            CensusProblem(
                display,
                None,
                "",
                f"is not valid UTF-8 ({exc.reason} at byte {exc.start})",
                f"re-save {display} as UTF-8",
            )
        ]
    return _Table(display, header, rows, malformed), problems


def _key_text(row: dict[str, str], key: Iterable[str]) -> str:
    return ", ".join(f"{k}={row.get(k, '')}" for k in key)


def _number(text: str, integer: bool) -> float | int | None:
    value: float | int = int(text) if integer else float(text)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(text)
    return value


def _comma_number(col: str, text: str, integer: bool) -> tuple[str, str] | None:
    """(what, fix) when `text` is a number written with a comma, else None."""
    if THOUSANDS.fullmatch(text) and (integer or "." in text):
        plain = text.replace(",", "")
        return f"{col} = {text!r} uses a comma as thousands separator", f"write {plain}"
    if COMMA_DECIMAL.fullmatch(text):
        dotted = text.replace(",", ".")
        if integer:
            return (
                f"{col} = {text!r} has a comma in an integer column (decimal comma or thousands separator)",
                f"write a whole number, e.g. {text.replace(',', '')}",
            )
        return f"{col} = {text!r} uses a decimal comma", f"write {dotted} (a dot as decimal separator)"
    return None


def _unquoted_decimal_commas(spec: TableSpec, header: list[str], record: list[str]) -> list[tuple[str, str]]:
    """Columns and values that, rejoined at a comma, give a row of the header's width.

    An unquoted decimal comma ('88,4') splits one numeric cell in two. Try rejoining adjacent pairs
    until the row has as many fields as the header, each rejoined cell landing in a decimal column
    (fraction of 1-4 digits) or an integer column (a thousands group of 3 digits), and every other
    numeric cell still parsing; return [(column, '88,4'), ...], or [] when nothing fits.
    """
    extra = len(record) - len(header)
    if not 1 <= extra <= 3:
        return []
    cells = [c.strip() for c in record]
    pairs = [
        i
        for i in range(len(cells) - 1)
        if INTEGER.fullmatch(cells[i]) and DIGITS.fullmatch(cells[i + 1]) and len(cells[i + 1]) <= 4
    ]
    for combo in itertools.combinations(pairs, extra):
        if any(b - a < 2 for a, b in itertools.pairwise(combo)):
            continue
        out: list[str] = []
        joined: list[int] = []
        i = 0
        while i < len(cells):
            if i in combo:
                joined.append(len(out))
                out.append(f"{cells[i]},{cells[i + 1]}")
                i += 2
            else:
                out.append(cells[i])
                i += 1
        fits = all(
            (header[j] in spec.decimals) or (header[j] in spec.integers and len(out[j].split(",")[1]) == 3)
            for j in joined
        )
        if fits and all(_parses(out[j], header[j] in spec.integers) for j in _numeric(spec, header, joined)):
            return [(header[j], out[j]) for j in joined]
    return []


def _numeric(spec: TableSpec, header: list[str], skip: list[int]) -> list[int]:
    return [j for j, col in enumerate(header) if j not in skip and col in {*spec.integers, *spec.decimals}]


def _parses(text: str, integer: bool) -> bool:
    try:
        _number(text, integer) if text else None
    except ValueError:
        return False
    return True


def _malformed_problem(spec: TableSpec, table: _Table, line: int, record: list[str]) -> CensusProblem:
    d, n, width = table.display, len(record), len(table.header)
    if n == 1 and (delimiter := _other_delimiter(record[0], width)):
        return CensusProblem(
            d,
            line,
            "",
            f"line {line} uses {OTHER_DELIMITERS[delimiter]} as the delimiter, not ','",
            DELIMITER_FIX.format(file=d),
        )
    rejoined = _unquoted_decimal_commas(spec, table.header, record)
    if rejoined:
        cells = ", ".join(f"{col} = '{value}'" for col, value in rejoined)
        fixed = ", ".join(value.replace(",", "" if col in spec.integers else ".") for col, value in rejoined)
        kind = (
            "a thousands separator" if all(col in spec.integers for col, _ in rejoined) else "a decimal comma"
        )
        return CensusProblem(
            d,
            line,
            "",
            f"has {n} fields but the header has {width}: {cells} is written with {kind}, and the "
            "unquoted comma splits the value in two",
            f"edit {d} line {line}: write {fixed} (numbers take a dot as decimal separator and no "
            "thousands separator)",
        )
    return CensusProblem(
        d,
        line,
        "",
        f"has {n} fields but the header has {width}",
        f"edit {d} line {line} (quote values that contain commas; numbers take a dot as decimal separator)",
    )


def _unknown_code(
    d: str, line: int, key: str, col: str, value: str, known: Iterable[str], what: str, rule: str = ""
) -> CensusProblem:
    known = list(known)
    hint = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    did_you_mean = f"did you mean {hint[0]!r}? " if hint else ""
    rule = rule or f"{col} must be one of: {', '.join(known)}"
    return CensusProblem(
        d, line, key, f"{col} = {value!r} is not {what}", f"edit {d} line {line} ({did_you_mean}{rule})"
    )


@dataclass(frozen=True)
class _Areas:
    """Region codes and raion names (NBS and ASCII spelling of population_by_raion)."""

    regions: tuple[str, ...]
    raions: tuple[str, ...]
    ascii_names: tuple[str, ...]

    @property
    def units(self) -> tuple[str, ...]:
        ascii_only = (a for a in self.ascii_names if a not in self.raions)
        return (*self.regions, *self.raions, *ascii_only)


def _areas(raions: dict[str, dict[str, str]] | None) -> _Areas | None:
    """Known regions and raions, or None when population_by_raion is unreadable (reported on its own)."""
    if raions is None:
        return None
    ascii_names = tuple(row.get("raion_ascii", "") for row in raions.values() if row.get("raion_ascii"))
    return _Areas(regions=REGIONS, raions=tuple(raions), ascii_names=ascii_names)


def _check_table(
    name: str,
    spec: TableSpec,
    table: _Table,
    raions: dict[str, dict[str, str]] | None,
    areas: _Areas | None = None,
) -> list[CensusProblem]:
    d = table.display
    missing = [c for c in spec.columns if c not in table.header]
    if missing:
        return [
            CensusProblem(
                d,
                1,
                "",
                f"required column(s) missing from the header: {', '.join(missing)}",
                f"edit {d} line 1 (expected columns: {', '.join(spec.columns)})",
            )
        ]
    problems: list[CensusProblem] = [_malformed_problem(spec, table, ln, rec) for ln, rec in table.malformed]
    bad_cells: set[tuple[int, str]] = set()
    seen: dict[tuple[str, ...], int] = {}
    for line, row in table.rows:
        key = _key_text(row, spec.key)
        values = tuple(row[k].strip() for k in spec.key)
        blank = [k for k in spec.key if not row[k].strip()]
        if blank:
            problems.append(
                CensusProblem(
                    d, line, key, f"key column(s) {', '.join(blank)} are empty", f"edit {d} line {line}"
                )
            )
        elif values in seen:
            problems.append(
                CensusProblem(
                    d,
                    line,
                    key,
                    f"duplicate key ({', '.join(spec.key)}) already on line {seen[values]}",
                    f"edit {d} line {line} (remove or correct the duplicate row)",
                )
            )
        else:
            seen[values] = line
        for col, integer in [(c, True) for c in spec.integers] + [(c, False) for c in spec.decimals]:
            text = row[col].strip()
            if not text:
                continue
            try:
                value = _number(text, integer)
            except ValueError:
                bad_cells.add((line, col))
                kind = "an integer" if integer else "a number"
                comma = _comma_number(col, text, integer)
                if comma:
                    what, fix = comma
                    problems.append(CensusProblem(d, line, key, what, f"edit {d} line {line}: {fix}"))
                    continue
                problems.append(
                    CensusProblem(
                        d,
                        line,
                        key,
                        f"{col} = {text!r} is not {kind}",
                        f"edit {d} line {line} ({col} must be {kind}, e.g. 1234)",
                    )
                )
                continue
            if col in spec.non_negative and value < 0:
                problems.append(
                    CensusProblem(
                        d,
                        line,
                        key,
                        f"{col} = {text} is negative",
                        f"edit {d} line {line} ({col} must be >= 0)",
                    )
                )
            if col in spec.percents and value > 100:
                problems.append(
                    CensusProblem(
                        d,
                        line,
                        key,
                        f"{col} = {text} is above 100 (a percent of the population)",
                        f"edit {d} line {line} ({col} is a percent, 0-100)",
                    )
                )
        for col, allowed in spec.codes.items():
            if row[col] not in allowed:
                problems.append(_unknown_code(d, line, key, col, row[col], allowed, "a known code"))
        is_raion_row = spec.raion_column and (spec.raion_where is None or spec.raion_where(row))
        if is_raion_row and raions is not None:
            parent = raions.get(row[spec.raion_column])
            if parent is None:
                problems.append(
                    _unknown_code(
                        d,
                        line,
                        key,
                        spec.raion_column,
                        row[spec.raion_column],
                        raions,
                        "a raion of population_by_raion.csv",
                        "use a raion name exactly as in population_by_raion.csv",
                    )
                )
            else:
                for col in spec.per_raion:
                    if row[col].strip() != parent.get(col, "").strip():
                        problems.append(
                            CensusProblem(
                                d,
                                line,
                                key,
                                f"{col} = {row[col]!r} but population_by_raion.csv gives "
                                f"{parent.get(col, '')!r} for {row[spec.raion_column]}",
                                f"edit {d} line {line} ({col} must match population_by_raion.csv)",
                            )
                        )
        if spec.area_column and areas is not None and row[spec.area_column] not in areas.units:
            problems.append(
                _unknown_code(
                    d,
                    line,
                    key,
                    spec.area_column,
                    row[spec.area_column],
                    areas.units,
                    "a region code or a raion of population_by_raion.csv",
                    f"{spec.area_column} must be a region ({', '.join(areas.regions)}) or a raion as "
                    "population_by_raion.csv spells it in raion or raion_ascii",
                )
            )
    if not table.malformed:  # with a row missing, a share sum would only echo the problem above
        for share in spec.shares:
            problems.extend(_check_shares(share, table, bad_cells))
    if spec.covers_all_raions and raions is not None and spec.raion_column:
        present = {row[spec.raion_column] for _, row in table.rows}
        absent = [r for r in raions if r not in present]
        if absent:
            problems.append(
                CensusProblem(
                    d,
                    None,
                    "",
                    f"has no rows for {len(absent)} raion(s) of population_by_raion.csv: {', '.join(absent)}",
                    f"add the rows of {', '.join(absent)} to {d} (this table covers every raion)",
                )
            )
    return problems


def _check_shares(share: ShareCheck, table: _Table, bad: set[tuple[int, str]]) -> list[CensusProblem]:
    groups: dict[tuple[str, ...], list[tuple[int, float]]] = defaultdict(list)
    for line, row in table.rows:
        if share.where is not None and not share.where(row):
            continue
        text = row[share.column].strip()
        if not text or (line, share.column) in bad:
            continue
        groups[tuple(row[g] for g in share.group_by)].append((line, float(text)))
    problems = []
    for group, cells in groups.items():
        total = sum(v for _, v in cells)
        if abs(total - share.expected) <= share.tolerance:
            continue
        lines = tuple(line for line, _ in cells)
        span = f"line {lines[0]}" if len(lines) == 1 else f"lines {lines[0]}-{lines[-1]}"
        label = ", ".join(f"{g}={v}" for g, v in zip(share.group_by, group, strict=True)) or "all rows"
        problems.append(
            CensusProblem(
                table.display,
                lines[0],
                label,
                f"{share.column} sums to {total:g} over {span}",
                f"edit {table.display} {span} (shares must sum to {share.expected:g} +-{share.tolerance:g})",
                lines=lines,
            )
        )
    return problems


def _int_or_none(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None  # blank or not numeric: reported by the per-table checks


def _check_sums(tables: dict[str, _Table]) -> list[CensusProblem]:
    problems: list[CensusProblem] = []
    for check in SUM_CHECKS:
        if check.child not in tables or check.parent not in tables:
            continue
        child_t, parent_t = tables[check.child], tables[check.parent]
        child_cols = {c for c, _ in check.columns}
        parent_cols = {p for _, p in check.columns}
        if not {check.group_col, *child_cols} <= set(child_t.header):
            continue  # missing columns are reported by the per-table checks
        if not {check.parent_key, *parent_cols} <= set(parent_t.header):
            continue
        parent_rows = {row[check.parent_key]: (line, row) for line, row in parent_t.rows}
        key_of = check.parent_key_of or (lambda r, col=check.group_col: r[col])
        for child_col, parent_col in check.columns:
            what = "" if child_col == parent_col else f" {child_col}"
            sums: dict[str, int] = defaultdict(int)
            broken = False
            for _, row in child_t.rows:
                if not check.keep(row) or not row[child_col].strip():
                    continue
                value = _int_or_none(row[child_col])
                if value is None:
                    broken = True
                    break
                sums[key_of(row)] += value
            if broken:
                continue
            for key, total in sums.items():
                if key not in parent_rows:
                    continue  # reported as an unknown code / raion by the per-table checks
                line, prow = parent_rows[key]
                expected = _int_or_none(prow[parent_col])
                if expected is not None and expected != total:
                    problems.append(
                        CensusProblem(
                            parent_t.display,
                            line,
                            f"{check.parent_key}={key}",
                            f"{parent_col} = {expected} but the {check.child}.csv rows with "
                            f"{check.group_col}={key} sum{what} to {total} "
                            f"(difference {total - expected:+d})",
                            f"edit {parent_t.display} line {line} "
                            f"or the {check.group_col}={key} rows of {child_t.display}",
                        )
                    )
    return problems


def _check_equal(tables: dict[str, _Table]) -> list[CensusProblem]:
    problems: list[CensusProblem] = []
    for check in EQUAL_CHECKS:
        if check.child not in tables or check.parent not in tables:
            continue
        child_t, parent_t = tables[check.child], tables[check.parent]
        if check.child_column not in child_t.header or check.parent_column not in parent_t.header:
            continue
        parents = [(line, row) for line, row in parent_t.rows if check.parent_where(row)]
        for line, row in child_t.rows:
            if not check.child_where(row) or not parents:
                continue
            p_line, p_row = parents[0]
            try:
                mine, theirs = float(row[check.child_column]), float(p_row[check.parent_column])
            except ValueError:
                continue  # reported as not a number by the per-table checks
            if abs(mine - theirs) > check.tolerance:
                problems.append(
                    CensusProblem(
                        child_t.display,
                        line,
                        _key_text(row, TABLES[check.child].key),
                        f"{check.child_column} = {row[check.child_column]} but {parent_t.display} line "
                        f"{p_line} prints {p_row[check.parent_column]} for the same figure",
                        f"make {child_t.display} line {line} and {parent_t.display} line {p_line} agree",
                    )
                )
    return problems


def validate_census(path: str | Path, tables: Iterable[str] | None = None) -> list[CensusProblem]:
    """Check the census seed CSVs in `path`; return every problem found (empty list = clean)."""
    root = Path(path)
    names = list(tables) if tables is not None else list(TABLES)
    loaded: dict[str, _Table] = {}
    problems: list[CensusProblem] = []
    for name in names:
        display = str(root / f"{name}.csv")
        file = root / f"{name}.csv"
        if not file.is_file():
            problems.append(
                CensusProblem(
                    display,
                    None,
                    "",
                    "file is missing",
                    f"copy {name}.csv from /work/shared/census/ into {root}",
                )
            )
            continue
        table, read_problems = _read(file, display)
        problems.extend(read_problems)
        if table is not None:
            loaded[name] = table
    raions = None
    raion_table = loaded.get("population_by_raion")
    if raion_table is not None and "raion" in raion_table.header:
        raions = {row["raion"]: row for _, row in raion_table.rows}
    areas = _areas(raions)
    for name, table in loaded.items():
        problems.extend(_check_table(name, TABLES[name], table, raions, areas))
    problems.extend(_check_sums(loaded))
    problems.extend(_check_equal(loaded))
    return problems


def validate_census_dir(path: str | Path) -> None:
    """Raise CensusSeedError naming file, line, row key, problem and fix if any census seed is bad."""
    problems = validate_census(path)
    if problems:
        raise CensusSeedError(problems)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print(
            "usage: python -m moldova_personas.census.checks <seed dir, e.g. seeds/census>", file=sys.stderr
        )
        return 2
    try:
        validate_census_dir(args[0])
    except CensusSeedError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"census seeds OK: {len(TABLES)} files in {args[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
