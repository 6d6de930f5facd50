"""Release folder of a tier: staging, documentation files, manifest and promotion.

The dbt export models (external materialization) write the data files into `<tier_dir>/_staging`, which
`prepare_staging` empties first. `finalize_release` then adds metadata.json, statistics.json,
statistics.md, the Hugging Face card (README.md) and MANIFEST.sha256, and promotes the folder to
`<tier_dir>/<release_id>` (release_id = tier, seed and the SHA-256 of the data files), so a release
folder only ever holds complete files of one build. Only metadata.json carries a timestamp.

Published means validated: the public files hold only personas whose narration passed every validator
(the dbt models filter on status ok), and `finalize_release` refuses a tier with more failed personas
than `max_failed_personas` or a larger share of text from a model other than the configured primary than
`max_non_primary_share`, naming the command that re-narrates them. The card and metadata.json say which
model wrote how many personas, with that model's licence (`model_licences.json`; unknown models say so).
The CSV starts with a UTF-8 byte-order mark so Excel reads it as UTF-8. Old release folders are removed
by `apply_retention` (the current one and the newest up to `keep_last` stay).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pyarrow as pa

from moldova_personas.release.contract import (
    apply_retention,
    current_release_id,
    promote,
    sha256_file,
    write_manifest,
)

SCHEMA_VERSION = "1.0.0"
DATA_FILES = (
    "internal_full.jsonl",
    "schema_compat.jsonl",
    "moldova_extended_public.jsonl",
    "moldova_extended_public.parquet",
    "moldova_extended_public.csv",
)
# The Nemotron-Personas-Brazil public columns (docs/reference_schema.md) + the NeMo ocean_profile.
REFERENCE_COLUMNS = (
    "uuid",
    "professional_persona",
    "sports_persona",
    "arts_persona",
    "travel_persona",
    "culinary_persona",
    "persona",
    "cultural_background",
    "skills_and_expertise",
    "skills_and_expertise_list",
    "hobbies_and_interests",
    "hobbies_and_interests_list",
    "career_goals_and_ambitions",
    "sex",
    "age",
    "marital_status",
    "education_level",
    "occupation",
    "municipality",
    "state",
    "country",
)
COMPAT_COLUMNS = (*REFERENCE_COLUMNS, "ocean_profile")
EXTENDED_COLUMNS = (
    *COMPAT_COLUMNS,
    "locality",
    "residence_type",
    "region",
    "ethnicity",
    "religion",
    "mother_tongue",
    "age_group",
    "first_name",
    "last_name",
)
# Licences of the text generators a release may name: ordered regex rules over the model string.
MODEL_LICENCES = json.loads((Path(__file__).with_name("model_licences.json")).read_text(encoding="utf-8"))
CSV_FILE = "moldova_extended_public.csv"
UTF8_BOM = b"\xef\xbb\xbf"
# Hugging Face configs: one builder serves a folder, so every config uses the same format (JSON Lines);
# the parquet and CSV copies are for pandas, DuckDB and spreadsheets.
HF_CONFIGS = (
    ("moldova_extended_public", "moldova_extended_public.jsonl", True),
    ("schema_compat", "schema_compat.jsonl", False),
)
CARD_FILES = (
    (
        "`schema_compat.jsonl`",
        "the Nemotron-Personas-Brazil public columns (same names, types) + `ocean_profile`",
    ),
    (
        "`moldova_extended_public.jsonl` / `.parquet` / `.csv`",
        "schema_compat + locality, residence_type, region, ethnicity, religion, mother_tongue, age_group, "
        "first_name, last_name (CSV: UTF-8 with a byte-order mark, `ocean_profile` as JSON text)",
    ),
    (
        "`internal_full.jsonl`",
        "every field incl. internals (raw OCEAN T scores, constraints, anchors, validator scores, trace id, "
        "prompt hash, model, attempts, tokens, cost) of the same published personas",
    ),
    (
        "`metadata.json`, `statistics.json`, `statistics.md`",
        "provenance, quality metrics, release contract, safety, census fit, distributions",
    ),
)
OUTPUT_SCHEMA = pa.schema(
    [
        ("tier", pa.string()),
        ("release_id", pa.string()),
        ("release_dir", pa.string()),
        ("record_count", pa.int64()),
        ("promoted", pa.bool_()),
        ("previous_release_id", pa.string()),
        ("outcome", pa.string()),
    ]
)


def _generator_version() -> str:
    try:
        return version("moldova-personas")
    except PackageNotFoundError:
        return "0.0.0"


def prepare_staging(candidate: pa.Table, export_root: str | None = None) -> pa.Table:
    """Empty (or create) the candidate's staging folder; return the candidate row.

    `export_root` (the profile's external_root of this run) overrides the paths stored in the candidate
    mart, which may come from an earlier run when only the exports are selected.
    """
    row = candidate.to_pylist()[0]
    if export_root:
        row["export_root"] = export_root
        row["tier_dir"] = f"{export_root}/{row['tier']}"
        row["staging_dir"] = f"{export_root}/{row['tier']}/_staging"
    staging = Path(row["staging_dir"])
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    return pa.Table.from_pylist([row])


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _clean(value):
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float):
        return None if value != value else round(value, 6)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _count_lines(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for _ in fh)


def licence_of(model: str | None) -> str:
    """Licence or terms of the model that wrote the text, or the `unknown` note (never a guess)."""
    text = (model or "").strip().lower()
    for rule in MODEL_LICENCES["rules"]:
        if text and re.search(rule["pattern"], text):
            return rule["licence"]
    return MODEL_LICENCES["unknown"]


def model_counts(models: pa.Table | None) -> list[dict]:
    """Published personas per model (rpt_generation_models rows merged over primaries), most first."""
    merged: dict[str, dict] = {}
    for r in models.to_pylist() if models is not None else []:
        m = merged.setdefault(
            r["model_used"], {"model": r["model_used"], "n_personas": 0, "n_failed": 0, "is_primary": False}
        )
        m["n_personas"] += int(r["n_personas"] or 0)
        m["n_failed"] += int(r["n_failed"] or 0)
        m["is_primary"] = m["is_primary"] or bool(r["is_primary_model"])
    total = sum(m["n_personas"] for m in merged.values())
    out = []
    for m in sorted(merged.values(), key=lambda m: (-m["n_personas"], m["model"])):
        if m["n_personas"] == 0:
            continue
        share = round(m["n_personas"] / total, 6) if total else 0.0
        out.append({**m, "share": share, "licence": licence_of(m["model"])})
    return out


# Categorical columns of the public files whose distribution the card tabulates; each holds one neutral
# Romanian label per category, so pandas value_counts() of the column reproduces the card's table.
CARD_DISTRIBUTIONS = (
    "sex",
    "age_group",
    "region",
    "residence_type",
    "ethnicity",
    "religion",
    "mother_tongue",
    "marital_status",
    "education_level",
)


TEMPLATE_NOTICE = "template text for pipeline testing, not for model training"


def text_origin(sentence_reuse: pa.Table | None) -> dict | None:
    """What the release's text is, from rpt_quality_sentence_reuse's overall row (masked sentence reuse).

    Offline-narrator releases are labelled template text with their measured reuse; LLM releases carry
    the same figures, which their error gate already held within bounds.
    """
    rows = [
        r for r in (sentence_reuse.to_pylist() if sentence_reuse is not None else []) if r["field"] == "all"
    ]
    if not rows:
        return None
    row = rows[0]
    return _clean(
        {
            "is_template_text": bool(row["is_template_text"]),
            "notice": TEMPLATE_NOTICE if row["is_template_text"] else None,
            "offline_persona_share": row["offline_persona_share"],
            "shared_sentence_share": row["shared_sentence_share"],
            "common_sentence_share": row["common_sentence_share"],
            "top_sentence_persona_share": row["top_sentence_persona_share"],
        }
    )


def _origin_paragraph(origin: Mapping | None) -> str:
    if not origin:
        return ""
    figures = (
        f"after masking each persona's names, places and numbers, {_pct(origin['shared_sentence_share'])} of "
        f"its sentences occur in another persona and {_pct(origin['common_sentence_share'])} in at least 1 % "
        f"of personas (the most reused sentence is in {_pct(origin['top_sentence_persona_share'])} of them)"
    )
    if origin["is_template_text"]:
        return (
            f"\n> **{TEMPLATE_NOTICE[0].upper() + TEMPLATE_NOTICE[1:]}.** This release was written by the "
            f"offline template narrator: {figures}. Use it to test pipelines; for training data, narrate "
            "with a real LLM.\n"
        )
    return f"\nSentence reuse (rpt_quality_sentence_reuse): {figures}.\n"


def build_statistics(
    cand: Mapping,
    contract: list[dict],
    safety: list[dict],
    fit: list[dict],
    dist: list[dict],
    models: list[dict] | None = None,
    origin: Mapping | None = None,
):
    """The statistics document (deterministic: no timestamps)."""
    distributions: dict[str, list] = {}
    for r in dist:
        distributions.setdefault(r["dimension"], []).append(
            {k: r[k] for k in ("category", "n_personas", "observed_share", "expected_share")}
        )
    cand = _clean(dict(cand))
    return _clean(
        {
            "tier": cand["tier"],
            "seed": cand["seed"],
            "record_count": cand["record_count"],
            "schema_version": SCHEMA_VERSION,
            "quality_metrics": {
                r["metric"]: r["candidate_value"] for r in contract if r["kind"] == "bootstrap_delta"
            },
            "generation": {
                "models_used": cand["models_used"],
                "primary_model": cand.get("primary_model"),
                "non_primary_share": cand.get("non_primary_share"),
                "models": [
                    {k: m[k] for k in ("model", "n_personas", "share", "is_primary")} for m in models or []
                ],
                "prompt_tokens": cand["prompt_tokens"],
                "completion_tokens": cand["completion_tokens"],
                "cost_usd": cand["cost_usd"],
            },
            "text_origin": dict(origin) if origin else None,
            "release_contract": sorted(contract, key=lambda r: r["guard"]),
            "safety": sorted(safety, key=lambda r: r["gate"]),
            "census_fit": sorted(
                ({k: v for k, v in r.items() if k != "source_seeds"} for r in fit),
                key=lambda r: r["census_table"],
            ),
            "distributions": distributions,
        }
    )


def _pct(value) -> str:
    return "" if value is None else f"{100 * value:.2f}%"


def statistics_markdown(stats: Mapping) -> str:
    """Human-readable statistics report."""
    lines = [
        f"# Statistics: {stats['tier']} (seed {stats['seed']}, {stats['record_count']} personas)",
        "",
        "## Release contract",
        "",
        "| guard | baseline | candidate | delta | LCB | threshold | passed |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in stats["release_contract"]:
        lines.append(
            "| {guard} | {baseline_value} | {candidate_value} | {delta} | {lcb} | {threshold} | {passed} |".format(  # noqa: E501
                **{k: ("" if v is None else v) for k, v in r.items()}
            )
        )
    lines += ["", "## Safety gates", "", "| gate | critical | warnings |", "|---|---|---|"]
    lines += [f"| {r['gate']} | {r['n_critical']} | {r['n_warning']} |" for r in stats["safety"]]
    lines += [
        "",
        "## Census fit",
        "",
        "| table | p-value | max deviation (pp) | within |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {r['census_table']} | {r['p_value']:.4f} | {r['max_abs_deviation_pp']:.3f} "
        f"| {r['is_within_tolerance']} |"
        for r in stats["census_fit"]
    ]
    lines += ["", "## Distributions vs census (adult universe)", ""]
    for dimension, rows in stats["distributions"].items():
        lines += [f"### {dimension}", "", "| category | n | share | census |", "|---|---|---|---|"]
        lines += [
            f"| {r['category']} | {r['n_personas']} | {_pct(r['observed_share'])} "
            f"| {_pct(r['expected_share'])} |"
            for r in rows
        ]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _features(columns: tuple[str, ...]) -> str:
    """The `features:` list of one config (strings, age int64, ocean_profile as a nested struct)."""
    trait_fields = "".join(
        f"\n            - name: {name}\n              dtype: {dtype}"
        for name, dtype in (("t_score", "int64"), ("label", "string"), ("description", "string"))
    )
    ocean = "    - name: ocean_profile\n      struct:" + "".join(
        f"\n        - name: {trait}\n          struct:{trait_fields}"
        for trait in ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")
    )
    return "\n".join(
        ocean
        if c == "ocean_profile"
        else f"    - name: {c}\n      dtype: {'int64' if c == 'age' else 'string'}"
        for c in columns
    )


def _card_header_configs() -> str:
    """`configs:` and `dataset_info:` of the card: every config JSON Lines, features given per config."""
    columns = {"schema_compat": COMPAT_COLUMNS, "moldova_extended_public": EXTENDED_COLUMNS}
    configs = "\n".join(
        f"- config_name: {name}\n  data_files: {path}" + ("\n  default: true" if default else "")
        for name, path, default in HF_CONFIGS
    )
    info = "\n".join(
        f"- config_name: {name}\n  features:\n{_features(columns[name])}" for name, _, _ in HF_CONFIGS
    )
    return f"configs:\n{configs}\ndataset_info:\n{info}"


def _model_row(m: Mapping, primary: str) -> str:
    count = "" if m["n_personas"] is None else m["n_personas"]
    share = "" if m["share"] is None else f"{100 * m['share']:.1f}%"
    is_primary = m["is_primary"] if m.get("is_primary") is not None else m["model"] == primary
    role = "primary" if is_primary else "fallback" if primary else ""
    return f"| `{m['model']}` | {count} | {share} | {role} | {m['licence']} |"


def _writers_sentence(models: list[dict]) -> str:
    if not models:
        return "no model is recorded for the narratives"
    parts = [f"`{m['model']}` ({m['n_personas']} personas, {100 * m['share']:.1f}%)" for m in models]
    return "the narratives were written by " + ", ".join(parts)


def dataset_card(stats: Mapping, cand: Mapping, settings: Mapping, models: list[dict] | None = None) -> str:
    """Hugging Face dataset card: YAML header, fields, distributions vs census, limitations, licences.

    `models`: published personas per model (model_counts); without it the candidate's models_used list
    is shown without counts.
    """
    n = stats["record_count"]
    size = "n<1K" if n < 1000 else "1K<n<10K" if n < 10_000 else "10K<n<100K" if n < 100_000 else "100K<n<1M"
    if n >= 1_000_000:
        size = "1M<n<10M"
    files_table = "\n".join(f"| {name} | {what} |" for name, what in CARD_FILES)
    if models is None:
        names = [m.strip() for m in (cand.get("models_used") or "").split(",") if m.strip()]
        models = [
            {"model": m, "n_personas": None, "share": None, "is_primary": None, "licence": licence_of(m)}
            for m in names
        ]
    primary = cand.get("primary_model") or ""
    model_rows = "\n".join(_model_row(m, primary) for m in models) or "| (none) | | | | |"
    writers = (
        _writers_sentence(models)
        if all(m["n_personas"] is not None for m in models)
        else "the narratives were written by: " + ", ".join(f"`{m['model']}`" for m in models)
    )
    dist_sections = []
    for dimension in CARD_DISTRIBUTIONS:
        rows = stats["distributions"].get(dimension, [])
        table = "\n".join(
            f"| {r['category']} | {r['n_personas']} | {_pct(r['observed_share'])} "
            f"| {_pct(r['expected_share'])} |"
            for r in rows
        )
        dist_sections.append(
            f"**{dimension}**\n\n| category | personas | dataset | census |\n|---|---|---|---|\n{table}\n"
        )
    licence = settings.get("dataset_license", "cc-by-4.0")
    return f"""---
license: {licence}
language:
- ro
pretty_name: Moldova Personas ({stats["tier"]})
size_categories:
- {size}
task_categories:
- text-generation
tags:
- synthetic
- personas
- moldova
- census
{_card_header_configs()}
---

# Moldova Personas — {stats["tier"]} ({n} personas, seed {stats["seed"]})

Synthetic, census-faithful personas of the adult population of the Republic of Moldova, narrated in
Romanian. Demographics are sampled from the 2024 census (NBS) and LFS tables moved to the adult universe;
{writers}. Every published persona passed every narration validator. No record describes a real person.
{_origin_paragraph(stats.get("text_origin"))}
## Load it

```python
from datasets import load_dataset

personas = load_dataset("path/to/this/folder")                   # moldova_extended_public (default)
compat = load_dataset("path/to/this/folder", "schema_compat")    # Nemotron-Personas-Brazil columns

import pandas as pd

frame = pd.read_parquet("moldova_extended_public.parquet")
frame = pd.read_csv("moldova_extended_public.csv", encoding="utf-8-sig")  # UTF-8 with a byte-order mark
```

The Hugging Face configs read the JSON Lines files (one builder serves a folder, so every config has the
same format); the Parquet file holds the same rows as `moldova_extended_public.jsonl`. The CSV is UTF-8
with a byte-order mark, so Excel opens it with the Romanian diacritics intact.

## Files

| file | content |
|---|---|
{files_table}
| `MANIFEST.sha256` | SHA-256 of every file; check with `python -m moldova_personas.release verify <folder>` |

## Fields (schema_compat)

- `uuid`: deterministic UUID5 of (seed, position).
- `professional_persona`, `sports_persona`, `arts_persona`, `travel_persona`, `culinary_persona`, `persona`:
  Romanian narrative facets.
- `cultural_background`, `skills_and_expertise`, `skills_and_expertise_list`, `hobbies_and_interests`,
  `hobbies_and_interests_list`, `career_goals_and_ambitions`: attribute texts; the `*_list` fields are
  JSON arrays serialised as text.
- `sex` (Feminin / Masculin), `age` (int64, 18-100), `marital_status`, `education_level`, `occupation`
  (job title, gendered like the text, or the employment status of those not working): Romanian labels,
  one per category (see the tables below).
- `municipality` (settlement), `state` (raion, municipality or UTA Găgăuzia), `country` (Republica Moldova).
- `ocean_profile`: NeMo Big Five profile, per trait {{t_score, label, description}} (T score mean 50, sd 10;
  Romanian band labels and descriptions).

## Distributions vs census

Categorical columns hold one neutral Romanian label per category (the census's own wording, e.g.
`moldoveni`, `căsătorit(ă)`, `studii superioare`): gender agreement lives in the narrative text only, so a
column's `value_counts()` gives exactly the counts below (adult universe for the census shares).

{chr(10).join(dist_sections)}
## Known limitations

- Joint distributions beyond the published census margins (e.g. occupation by ethnicity, education by
  ethnicity) come from modelled assumption tables, not observed data.
- Small groups (Roma, Other, minority religions) are few at this size; their shares are noisy.
- Narratives are synthetic; local anchors (places, foods, customs) are real, events are not.
- Safety gates (stereotype patterns, PII, determinism, fairness) are pattern- and threshold-based; they
  reduce but cannot exclude problematic text. Report issues to the maintainers.
- Transnistria (left bank) is not covered by the 2024 census and is not represented.

## Licence

Dataset: {licence}. Code: Apache-2.0.

### Models that wrote the text

Configured primary model: `{primary or "unknown"}`.

| model | personas | share | role | licence / terms |
|---|---|---|---|---|
{model_rows}
"""


def gate_problems(cand: Mapping, settings: Mapping) -> list[str]:
    """Why the candidate may not be released on narration grounds (failed personas, non-primary share).

    The dbt tests release_narration_failures_at_most and release_non_primary_share_at_most say the same
    in a build; this re-check covers `dbt run`, which skips tests.
    """
    problems = []
    command = settings.get("renarrate_command") or "make renarrate STATUS=failed"
    rebuild = "make run" if cand.get("tier") == "tier_1k" else f"make tier TIER={cand.get('tier')}"
    max_failed = int(settings.get("max_failed_personas", 0) or 0)
    n_failed = int(cand.get("n_failed_personas") or 0)
    if n_failed > max_failed:
        problems.append(
            f"{n_failed} of {cand.get('n_tier_personas')} personas have no validated narration (allowed "
            f"{max_failed}; see fct_personas.narration_failure_reason); retry them: `{command}`, then "
            f"`{rebuild}`"
        )
    max_share = float(settings.get("max_non_primary_share", 1) or 0)
    share = float(cand.get("non_primary_share") or 0)
    if share > max_share:
        problems.append(
            f"{100 * share:.1f}% of the published personas were written by a model other than the "
            f"configured primary {cand.get('primary_model')} (allowed {100 * max_share:.1f}%); check the "
            f"provider, then `{rebuild}` narrates them again with the primary (unless "
            "MOLDOVA_LLM_KEEP_OTHER_MODELS=1)"
        )
    return problems


def add_bom(path: Path) -> None:
    """Prefix a UTF-8 byte-order mark (Excel then decodes the CSV as UTF-8); a no-op if present."""
    with path.open("rb") as fh:
        if fh.read(3) == UTF8_BOM:
            return
    tmp = path.with_name(f".{path.name}.bom")
    with path.open("rb") as src, tmp.open("wb") as dst:
        dst.write(UTF8_BOM)
        shutil.copyfileobj(src, dst, 1 << 22)
    tmp.replace(path)


def finalize_release(
    staging: pa.Table,
    contract: pa.Table,
    safety: pa.Table,
    census_fit: pa.Table,
    distributions: pa.Table,
    models: pa.Table | None = None,
    settings: Mapping | None = None,
    sentence_reuse: pa.Table | None = None,
) -> pa.Table:
    """Document, hash and promote the staged release; refuse when a guard failed (with the reason)."""
    settings = dict(settings or {})
    cand = staging.to_pylist()[0]
    staging_dir, tier_dir = Path(cand["staging_dir"]), Path(cand["tier_dir"])
    previous = current_release_id(tier_dir)
    contract_rows, safety_rows = contract.to_pylist(), safety.to_pylist()
    counts = model_counts(models)
    failed = gate_problems(cand, settings)
    failed += [f"{r['guard']}: {r['detail']}" for r in contract_rows if not r["passed"]]
    failed += [f"safety {r['gate']}: {r['critical_items']}" for r in safety_rows if r["n_critical"]]
    missing = [name for name in DATA_FILES if not (staging_dir / name).is_file()]
    if not failed and not missing:
        n_lines = _count_lines(staging_dir / "schema_compat.jsonl")
        if n_lines != cand["record_count"]:
            failed.append(f"schema_compat.jsonl has {n_lines} lines, expected {cand['record_count']}")
    if failed or missing:
        outcome = "not promoted: " + "; ".join(failed + [f"missing staged file {m}" for m in missing])
        if staging_dir.exists():
            shutil.rmtree(staging_dir)
        row = {
            "tier": cand["tier"],
            "release_id": None,
            "release_dir": None,
            "record_count": cand["record_count"],
            "promoted": False,
            "previous_release_id": previous,
            "outcome": outcome[:4000],
        }
        print(f"[release] {cand['tier']}: {outcome} (current stays {previous})")
        return pa.Table.from_pylist([row], schema=OUTPUT_SCHEMA)

    add_bom(staging_dir / CSV_FILE)
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(f"{sha256_file(staging_dir / name)}  {name}\n".encode())
    release_id = f"{cand['tier']}-s{cand['seed']}-{digest.hexdigest()[:12]}"

    fit_rows = [r for r in census_fit.to_pylist() if r["tier"] == cand["tier"]]
    origin = text_origin(sentence_reuse)
    stats = build_statistics(
        cand, contract_rows, safety_rows, fit_rows, distributions.to_pylist(), counts, origin
    )
    stats["release_id"] = release_id
    (staging_dir / "statistics.json").write_text(_json(stats), encoding="utf-8")
    (staging_dir / "statistics.md").write_text(statistics_markdown(stats), encoding="utf-8")
    (staging_dir / "README.md").write_text(dataset_card(stats, cand, settings, counts), encoding="utf-8")
    main_model = cand["main_model"] or ""
    metadata = {
        "schema_version": SCHEMA_VERSION,
        "generator_version": _generator_version(),
        "model_name": main_model,
        "provider": main_model.split("/")[0] if "/" in main_model else "",
        "models_used": cand["models_used"],
        "primary_model": cand.get("primary_model"),
        "non_primary_share": _clean(cand.get("non_primary_share")),
        "models": [
            {k: m[k] for k in ("model", "n_personas", "share", "is_primary", "licence")} for m in counts
        ],
        "generation_date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "seed": cand["seed"],
        "record_count": cand["record_count"],
        "tier_personas": cand.get("n_tier_personas"),
        "tier": cand["tier"],
        "release_id": release_id,
        "files": list(DATA_FILES),
        "compat_columns": list(COMPAT_COLUMNS),
        "csv_encoding": "utf-8-sig (UTF-8 with a byte-order mark)",
        "text_origin": origin,
    }
    (staging_dir / "metadata.json").write_text(_json(metadata), encoding="utf-8")
    write_manifest(staging_dir)
    target, how = promote(staging_dir, tier_dir, release_id)
    print(f"[release] {cand['tier']}: {release_id} {how} (previous {previous})")
    keep_last = int(settings.get("keep_last", 3) or 3)
    for removed in apply_retention(tier_dir, keep_last):
        print(f"[release] {cand['tier']}: removed {removed} (retention: keep the last {keep_last} releases)")
    row = {
        "tier": cand["tier"],
        "release_id": release_id,
        "release_dir": str(target),
        "record_count": cand["record_count"],
        "promoted": True,
        "previous_release_id": previous,
        "outcome": how,
    }
    return pa.Table.from_pylist([row], schema=OUTPUT_SCHEMA)
