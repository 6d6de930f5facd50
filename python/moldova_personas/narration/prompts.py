"""Prompt building (pure): Jinja templates filled from the core (Romanian labels) and the plan.

The prompt holds only what a writer needs, in Romanian: the person's facts, the plan (opening, life
constraints with their theme, local anchors with their kind, habits to show) and the answer's fields.
No codes, scores or internal data: the offline narrator gets its structured input, the spec
{"core", "plan", "repair_hint", "attempt"} of `build_spec`, with the call (llm.acomplete), not in text.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from moldova_personas.narration.answer import FIELD_RULES
from moldova_personas.narration.phrases import agree
from moldova_personas.schema import NARRATIVE_FIELDS

PROMPT_DIR = Path(__file__).parent / "templates"

CORE_LABELS_RO = (
    ("first_name", "Prenume"),
    ("last_name", "Nume"),
    ("sex", "Gen"),
    ("age", "Vârstă (ani)"),
    ("locality", "Localitate"),
    ("raion", "Raion / municipiu"),
    ("region", "Regiune"),
    ("residence_type", "Mediu"),
    ("ethnicity", "Etnie"),
    ("mother_tongue", "Limba maternă"),
    ("religion", "Religie"),
    ("marital_status", "Stare civilă"),
    ("education_level", "Nivel de studii"),
    ("employment_status", "Statut ocupațional"),
    ("occupation", "Ocupație"),
)
# Romanian value of each code; ``[masculine|feminine]`` marks are resolved for the person's sex.
VALUE_LABELS_RO: dict[str, dict[str, str]] = {
    "sex": {"female": "feminin", "male": "masculin"},
    "region": {
        "Chisinau": "municipiul Chișinău",
        "Nord": "Nord",
        "Centru": "Centru",
        "Sud": "Sud",
        "Gagauzia": "UTA Găgăuzia",
    },
    "residence_type": {"urban": "urban", "rural": "rural"},
    "ethnicity": {
        "Moldovan": "[moldovean|moldoveancă]",
        "Romanian": "[român|româncă]",
        "Ukrainian": "[ucrainean|ucraineancă]",
        "Gagauz": "[găgăuz|găgăuză]",
        "Russian": "[rus|rusoaică]",
        "Bulgarian": "[bulgar|bulgăroaică]",
        "Roma": "[rom|romă]",
        "Other": "altă etnie",
    },
    "mother_tongue": {
        "Moldovan": "moldovenească",
        "Romanian": "română",
        "Russian": "rusă",
        "Ukrainian": "ucraineană",
        "Gagauz": "găgăuză",
        "Bulgarian": "bulgară",
        "Romani": "romani",
        "Other": "altă limbă",
    },
    "religion": {
        "Orthodox": "ortodox[|ă]",
        "Baptist": "baptist[|ă]",
        "Jehovah's Witnesses": "Martorii lui Iehova",
        "Pentecostal": "penticostal[|ă]",
        "Adventist": "adventist[|ă]",
        "Evangelical": "evanghelic[|ă]",
        "Old Believers": "staroveri (creștin[|ă] de rit vechi)",
        "Islam": "musulman[|ă]",
        "Catholic": "catolic[|ă]",
        "Other religion": "altă religie",
        "No religion": "fără religie",
        "Atheist or agnostic": "[ateu|atee] sau agnostic[|ă]",
        "Not declared": "nedeclarată",
    },
    "marital_status": {
        "never_married": "necăsătorit[|ă], nu a fost niciodată căsătorit[|ă]",
        "married": "căsătorit[|ă]",
        "widowed": "văduv[|ă]",
        "divorced": "divorțat[|ă]",
    },
    "education_level": {
        "none": "fără studii",
        "primary": "studii primare",
        "lower_secondary": "gimnaziu",
        "upper_secondary": "liceu",
        "vocational": "școală profesională / colegiu",
        "higher": "studii superioare",
    },
    "employment_status": {
        "employed": "angajat[|ă]",
        "unemployed": "șomer[|ă]",
        "retired": "pensionar[|ă]",
        "student": "student[|ă]",
        "homemaker": "se ocupă de gospodărie",
        "other_inactive": "inactiv[|ă]",
    },
}
# How the field "persona" opens, per planned move (planning.OPENING_MOVES); the move's code is not shown.
OPENING_HINTS_RO = {
    "situational_hook": "o scenă concretă, în mijlocul unei acțiuni",
    "routine": "un moment din rutina zilnică",
    "place": "locul, descris prin ceva concret",
    "memory": "o amintire a persoanei, legată de un loc, un om sau o perioadă",
    "contrast": "un contrast între două lucruri din viața [lui|ei]",
    "quote": "o replică a persoanei, între ghilimele",
    "question": "o întrebare pe care și-o pune persoana",
    "object": "un obiect cu o poveste",
}
# What each check of the previous attempt looked at (validators.VALIDATORS and the answer's format).
CHECK_NAMES_RO = {
    "format": "formatul JSON",
    "trait_leak": "trăsături numite",
    "opening_variation": "deschiderea",
    "pollyanna": "ton idealizat",
    "anchor_specificity": "ancorele locale",
    "length": "lungimile",
    "language": "limba",
    "consistency": "concordanța cu datele",
}
# Kind of each local anchor (seeds/narration/anchors.csv category): tells the writer what it names.
ANCHOR_KINDS_RO = {
    "place": "loc",
    "nature": "natură",
    "market": "piață",
    "food": "mâncare",
    "custom": "obicei",
    "event": "eveniment",
    "craft": "meșteșug",
    "institution": "instituție",
}
# Theme of each life constraint (seeds/narration/constraints.csv category).
CONSTRAINT_THEMES_RO = {
    "time_pressure": "timp puțin",
    "family_duty": "obligații în familie",
    "relatives_abroad": "rude plecate peste hotare",
    "commuting": "navetă",
    "seasonal_farm_work": "muncă sezonieră la câmp",
    "health": "sănătate",
    "money": "bani",
}


def to_jsonable(value: Any) -> Any:
    """Plans may be dicts, dataclasses or pydantic models; return plain JSON data."""
    if hasattr(value, "model_dump"):
        return to_jsonable(value.model_dump(mode="json"))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_jsonable(dataclasses.asdict(value))
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    return value


def constraint_categories(plan: Mapping[str, Any]) -> list[str]:
    """Categories of the plan's constraints (dict 'category' or the string itself)."""
    out = []
    for item in plan.get("constraints") or []:
        if isinstance(item, Mapping):
            item = item.get("category") or item.get("name") or item.get("id")
        if item:
            out.append(str(item))
    return out


def _constraints(plan: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(Romanian theme, detail, consequence) of each planned constraint."""
    out = []
    for item in plan.get("constraints") or []:
        if isinstance(item, Mapping):
            text = item.get("text") or item.get("detail") or item.get("description") or ""
            theme = CONSTRAINT_THEMES_RO.get(str(item.get("category") or ""), "viața de zi cu zi")
            out.append((theme, str(text), str(item.get("consequence") or "")))
        else:
            out.append(("viața de zi cu zi", str(item), ""))
    return [c for c in out if c[1]]


def _anchors(plan: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(Romanian kind, literal text) of each planned anchor."""
    out = []
    for anchor in plan.get("anchors") or []:
        kind = "reper"
        if isinstance(anchor, Mapping):
            kind = ANCHOR_KINDS_RO.get(str(anchor.get("category") or ""), kind)
            anchor = anchor.get("text") or anchor.get("anchor") or anchor.get("name") or anchor.get("value")
        if anchor:
            out.append((kind, str(anchor)))
    return out


def _cues(plan: Mapping[str, Any]) -> list[str]:
    out = []
    for cue in plan.get("behavioural_cues") or plan.get("behavioral_cues") or []:
        if isinstance(cue, Mapping):
            cue = cue.get("text") or cue.get("cue") or json.dumps(cue, ensure_ascii=False)
        out.append(str(cue))
    return out


def core_lines(core: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(Romanian label, Romanian value) pairs of the core for the prompt, agreeing with the person's sex."""
    sex = str(core.get("sex") or "")
    lines = []
    for key, label in CORE_LABELS_RO:
        value = core.get(key)
        if value is None or value == "":
            continue
        value = VALUE_LABELS_RO.get(key, {}).get(str(value), value)
        lines.append((label, agree(str(value), sex)))
    return lines


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(PROMPT_DIR)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,
    )


def build_spec(core: Mapping[str, Any], plan: Any, repair_hint: str | None, attempt: int) -> dict[str, Any]:
    """The spec handed to the narrator: {"core", "plan", "repair_hint", "attempt"}."""
    return {
        "core": to_jsonable(dict(core)),
        "plan": to_jsonable(plan),
        "repair_hint": repair_hint,
        "attempt": attempt,
    }


def render_messages(
    core: Mapping[str, Any],
    plan: Any,
    repair_hint: str | None = None,
    attempt: int = 1,
    failed: list[str] | None = None,
) -> tuple[list[dict[str, str]], str]:
    """Chat messages for one attempt and their prompt_hash (sha256 of the rendered prompt)."""
    plan_data = to_jsonable(plan)
    plan_data = plan_data if isinstance(plan_data, Mapping) else {}
    sex = str(core.get("sex") or "")
    ctx = {
        "core_lines": core_lines(core),
        "first_name": core.get("first_name", ""),
        "constraints": _constraints(plan_data),
        "opening_hint": agree(OPENING_HINTS_RO.get(str(plan_data.get("opening_move", "")), ""), sex),
        "anchors": _anchors(plan_data),
        "cues": _cues(plan_data),
        "field_rules": [(name, FIELD_RULES[name]) for name in NARRATIVE_FIELDS],
        "repair_hint": repair_hint,
        "attempt": attempt,
        "failed": [CHECK_NAMES_RO.get(f, f) for f in failed or []],
    }
    name = "repair.j2" if repair_hint and attempt > 1 else "narrate.j2"
    module = _env().get_template(name).make_module(ctx)
    system, user = str(module.system).strip(), str(module.user).strip()
    messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
    return messages, prompt_hash(messages)


def prompt_hash(messages: list[dict[str, str]]) -> str:
    """sha256 of the rendered prompt (roles and contents)."""
    text = "\n\n".join(f"[{m['role']}]\n{m['content']}" for m in messages)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
