"""Prompt building (pure): Jinja templates filled from the core (Romanian labels) and the plan.

The rendered user prompt embeds the spec {"core", "plan", "repair_hint", "attempt"} as a fenced JSON
block; the offline provider and the fake server parse it back with `extract_spec`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from moldova_personas.schema import NARRATIVE_FIELDS

PROMPT_DIR = Path(__file__).parent / "templates"
SPEC_RE = re.compile(r"```json\s*\n(\{.*\})\s*\n```", re.S)

FIELD_RULES = {
    "persona": "150-400 caractere: portret scurt care începe cu mișcarea de deschidere",
    "professional_persona": "400-900 caractere: munca (sau lipsa ei), ritm, bani, relații la lucru",
    "sports_persona": "250-700 caractere: mișcare și sport, realist pentru vârstă și sănătate",
    "arts_persona": "250-700 caractere: muzică, carte, film, meșteșug, sărbători",
    "travel_persona": "250-700 caractere: drumuri, rude plecate, ce își permite",
    "culinary_persona": "250-700 caractere: ce gătește și mănâncă, piață, sezon",
    "cultural_background": (
        "circa 1.800 caractere (1.300-2.600): limbă, credință, familie, localitate, istorie"
    ),
    "skills_and_expertise": "300-800 caractere: ce știe să facă, concret",
    "hobbies_and_interests": "250-700 caractere: cum își petrece timpul liber",
    "career_goals_and_ambitions": "250-700 caractere: planuri realiste și obstacole",
    "skills_and_expertise_list": "listă de 5-12 competențe scurte",
    "hobbies_and_interests_list": "listă de 5-12 hobby-uri scurte",
}

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
VALUE_LABELS_RO: dict[str, dict[str, str]] = {
    "sex": {"female": "feminin", "male": "masculin"},
    "residence_type": {"urban": "urban", "rural": "rural"},
    "ethnicity": {
        "Moldovan": "moldovean",
        "Romanian": "român",
        "Ukrainian": "ucrainean",
        "Gagauz": "găgăuz",
        "Russian": "rus",
        "Bulgarian": "bulgar",
        "Roma": "rom",
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
        "Orthodox": "ortodox(ă)",
        "Baptist": "baptist(ă)",
        "Jehovah's Witnesses": "Martorii lui Iehova",
        "Pentecostal": "penticostal(ă)",
        "Adventist": "adventist(ă)",
        "Evangelical": "evanghelic(ă)",
        "Old Believers": "staroveri",
        "Islam": "islam",
        "Catholic": "catolic(ă)",
        "Other religion": "altă religie",
        "No religion": "fără religie",
        "Atheist or agnostic": "ateu/agnostic",
        "Not declared": "nedeclarată",
    },
    "marital_status": {
        "never_married": "necăsătorit(ă), nu a fost niciodată căsătorit(ă)",
        "married": "căsătorit(ă)",
        "widowed": "văduv(ă)",
        "divorced": "divorțat(ă)",
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
        "employed": "angajat(ă)",
        "unemployed": "șomer(ă)",
        "retired": "pensionar(ă)",
        "student": "student(ă)",
        "homemaker": "se ocupă de gospodărie",
        "other_inactive": "inactiv(ă)",
    },
}
OPENING_HINTS_RO = {
    "situational_hook": "o scenă concretă, în mijlocul unei acțiuni",
    "question": "o întrebare pe care și-o pune persoana",
    "quote": "o replică a persoanei, între ghilimele",
    "sensory_detail": "un detaliu senzorial (miros, sunet, lumină)",
    "contrast": "un contrast între două lucruri din viața ei/lui",
    "routine": "un moment din rutina zilnică",
    "place": "locul, descris prin ceva concret",
    "object": "un obiect cu o poveste",
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


def anchor_texts(plan: Mapping[str, Any]) -> list[str]:
    """Anchor strings of a plan (anchors may be strings or dicts with text/anchor/name)."""
    out = []
    for anchor in plan.get("anchors") or []:
        if isinstance(anchor, Mapping):
            anchor = anchor.get("text") or anchor.get("anchor") or anchor.get("name") or anchor.get("value")
        if anchor:
            out.append(str(anchor))
    return out


def constraint_categories(plan: Mapping[str, Any]) -> list[str]:
    """Categories of the plan's constraints (dict 'category' or the string itself)."""
    out = []
    for item in plan.get("constraints") or []:
        if isinstance(item, Mapping):
            item = item.get("category") or item.get("name") or item.get("id")
        if item:
            out.append(str(item))
    return out


def _constraints(plan: Mapping[str, Any]) -> list[tuple[str, str]]:
    out = []
    for item in plan.get("constraints") or []:
        if isinstance(item, Mapping):
            text = item.get("text") or item.get("detail") or item.get("description") or ""
            category = item.get("category") or ""
            if not text:
                text = json.dumps(item, ensure_ascii=False)
            if item.get("consequence"):
                text = f"{text} (consecință: {item['consequence']})"
            out.append((str(text), str(category)))
        else:
            out.append((str(item), ""))
    return out


def _cues(plan: Mapping[str, Any]) -> list[str]:
    out = []
    for cue in plan.get("behavioural_cues") or plan.get("behavioral_cues") or []:
        if isinstance(cue, Mapping):
            cue = cue.get("text") or cue.get("cue") or json.dumps(cue, ensure_ascii=False)
        out.append(str(cue))
    return out


def core_lines(core: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(Romanian label, Romanian value) pairs of the core for the prompt."""
    lines = []
    for key, label in CORE_LABELS_RO:
        value = core.get(key)
        if value is None or value == "":
            continue
        value = VALUE_LABELS_RO.get(key, {}).get(str(value), value)
        lines.append((label, str(value)))
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
    spec = build_spec(core, plan, repair_hint, attempt)
    plan_data = spec["plan"] if isinstance(spec["plan"], Mapping) else {}
    ctx = {
        "core_lines": core_lines(core),
        "first_name": core.get("first_name", ""),
        "opening_move": plan_data.get("opening_move", ""),
        "constraints": _constraints(plan_data),
        "opening_hint": OPENING_HINTS_RO.get(str(plan_data.get("opening_move", "")), ""),
        "anchors": anchor_texts(plan_data),
        "cues": _cues(plan_data),
        "field_rules": [(name, FIELD_RULES[name]) for name in NARRATIVE_FIELDS],
        "repair_hint": repair_hint,
        "attempt": attempt,
        "failed": failed or [],
        "spec_json": json.dumps(spec, ensure_ascii=False, sort_keys=True),
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


def extract_spec(text: str) -> dict[str, Any]:
    """Parse the fenced spec JSON back out of a rendered prompt (last block wins)."""
    matches = SPEC_RE.findall(text)
    if not matches:
        raise ValueError("no ```json spec block in prompt")
    return json.loads(matches[-1])


def parse_fields(text: str) -> dict[str, Any]:
    """Parse a model's JSON answer (bare or fenced); raise ValueError with a short reason."""
    if not text or not text.strip():
        raise ValueError("empty completion")
    body = text.strip()
    fenced = re.search(r"```(?:json)?\s*\n(.*?)\n```", body, re.S)
    if fenced:
        body = fenced.group(1)
    start, end = body.find("{"), body.rfind("}")
    if start < 0 or end <= start:
        raise ValueError("completion is not a JSON object")
    try:
        data = json.loads(body[start : end + 1])
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc.msg} at char {exc.pos}") from exc
    if not isinstance(data, dict):
        raise ValueError("completion is not a JSON object")
    missing = [f for f in NARRATIVE_FIELDS if f not in data]
    if missing:
        raise ValueError(f"missing fields: {', '.join(missing)}")
    out: dict[str, Any] = {}
    for name in NARRATIVE_FIELDS:
        value = data[name]
        if name.endswith("_list"):
            if isinstance(value, str):
                value = [v.strip() for v in re.split(r"[;\n]|,\s", value) if v.strip()]
            out[name] = [str(v) for v in (value or [])]
        else:
            out[name] = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return out
