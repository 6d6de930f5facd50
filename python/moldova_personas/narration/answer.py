"""The answer contract of one narration call: the twelve narrative fields, their types and length bounds.

`NarrativeAnswer` (pydantic) is the one definition. From it come the field rules of the prompt, the JSON
schema a provider gets as `response_format` (`provider_schema`) and `parse_answer`, which turns a
completion into fields or says, field by field, what is wrong (missing, extra, wrong type, not JSON).

Two kinds of bounds: each field's Romanian rule states the writer's target (what the prompt asks for);
the pydantic bounds are the acceptance bounds the `length` validator scores against (wider: a field a
little off target costs a share of the score, a runaway field fails the record).
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from moldova_personas.schema import NARRATIVE_FIELDS, NARRATIVE_LIST_FIELDS, NARRATIVE_TEXT_FIELDS

# field -> (acceptance min, acceptance max, the writer's rule in Romanian); characters for texts, items
# for lists.
FIELD_SPECS: dict[str, tuple[int, int, str]] = {
    "persona": (150, 400, "150-400 caractere: portret scurt care începe cu deschiderea cerută"),
    "professional_persona": (
        200,
        1500,
        "400-900 caractere: munca (sau lipsa ei), ritm, bani, relații la lucru",
    ),
    "sports_persona": (120, 1200, "250-700 caractere: mișcare și sport, realist pentru vârstă și sănătate"),
    "arts_persona": (120, 1200, "250-700 caractere: muzică, carte, film, meșteșug, sărbători"),
    "travel_persona": (120, 1200, "250-700 caractere: drumuri, rude plecate, ce își permite"),
    "culinary_persona": (120, 1200, "250-700 caractere: ce gătește și mănâncă, piață, sezon"),
    "cultural_background": (
        1200,
        2800,
        "circa 1.800 caractere (1.300-2.600): limbă, credință, familie, localitate, istorie",
    ),
    "skills_and_expertise": (150, 1500, "300-800 caractere: ce știe să facă, concret"),
    "hobbies_and_interests": (120, 1200, "250-700 caractere: cum își petrece timpul liber"),
    "career_goals_and_ambitions": (120, 1200, "250-700 caractere: planuri realiste și obstacole"),
    "skills_and_expertise_list": (5, 12, "listă de 5-12 competențe scurte"),
    "hobbies_and_interests_list": (5, 12, "listă de 5-12 hobby-uri scurte"),
}
LENGTH_BOUNDS: dict[str, tuple[int, int]] = {name: (lo, hi) for name, (lo, hi, _) in FIELD_SPECS.items()}
FIELD_RULES: dict[str, str] = {name: rule for name, (_, _, rule) in FIELD_SPECS.items()}


def _bounded(name: str) -> Any:
    """The pydantic field of `name`: its acceptance bounds (characters or items) and its rule."""
    lo, hi, rule = FIELD_SPECS[name]
    return Field(min_length=lo, max_length=hi, description=rule)


class NarrativeAnswer(BaseModel):
    """The twelve narrative fields of one persona, in Romanian."""

    model_config = ConfigDict(extra="forbid")
    persona: str = _bounded("persona")
    professional_persona: str = _bounded("professional_persona")
    sports_persona: str = _bounded("sports_persona")
    arts_persona: str = _bounded("arts_persona")
    travel_persona: str = _bounded("travel_persona")
    culinary_persona: str = _bounded("culinary_persona")
    cultural_background: str = _bounded("cultural_background")
    skills_and_expertise: str = _bounded("skills_and_expertise")
    hobbies_and_interests: str = _bounded("hobbies_and_interests")
    career_goals_and_ambitions: str = _bounded("career_goals_and_ambitions")
    skills_and_expertise_list: list[str] = _bounded("skills_and_expertise_list")
    hobbies_and_interests_list: list[str] = _bounded("hobbies_and_interests_list")


# Bounds are left out of the provider's schema (they stay in the descriptions and in our own checks):
# OpenAI's strict mode accepts only a subset of JSON Schema without length keywords, and grammar-based
# local servers (llama.cpp, vLLM) turn a 2,800-character bound into a counted repetition that slows
# decoding. Every field required and no other key: the strict subset every provider accepts.
_BOUND_KEYWORDS = ("minLength", "maxLength", "minItems", "maxItems")
SCHEMA_NAME = "narrative_answer"


def provider_schema() -> dict[str, Any]:
    """JSON schema of NarrativeAnswer for a provider: types, descriptions, all required, no extra keys."""
    schema = NarrativeAnswer.model_json_schema()
    for prop in schema["properties"].values():
        for key in _BOUND_KEYWORDS:
            prop.pop(key, None)
    schema["required"] = list(NARRATIVE_FIELDS)
    schema["additionalProperties"] = False
    return schema


def response_format(mode: str) -> dict[str, Any] | None:
    """The `response_format` of an output mode (see settings.OUTPUT_MODES); None for 'none'.

    - schema: OpenAI-style structured output (OpenAI, vLLM, Ollama, llama.cpp's llama-server, LM Studio);
    - json_object_schema: a JSON object constrained by a schema in the form llama-cpp-python's server
      accepts (`{"type": "json_object", "schema": ...}`; it rejects type json_schema);
    - json_object: any JSON object (JSON mode; no schema);
    - none: no response_format (the prompt alone asks for JSON).
    """
    if mode == "schema":
        return {
            "type": "json_schema",
            "json_schema": {"name": SCHEMA_NAME, "schema": provider_schema(), "strict": True},
        }
    if mode == "json_object_schema":
        return {"type": "json_object", "schema": provider_schema()}
    if mode == "json_object":
        return {"type": "json_object"}
    if mode == "none":
        return None
    raise ValueError(f"unknown output mode {mode!r}")


class AnswerError(ValueError):
    """A completion that is not a usable answer; `problems` says what is wrong, field by field."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


_FENCED = re.compile(r"```(?:json)?\s*\n(.*?)\n```", re.S)


def _json_object(text: str) -> dict[str, Any]:
    if not text or not text.strip():
        raise AnswerError(["empty completion"])
    body = text.strip()
    fenced = _FENCED.search(body)
    if fenced:
        body = fenced.group(1)
    start, end = body.find("{"), body.rfind("}")
    if start < 0 or end <= start:
        raise AnswerError(["not a JSON object (no {...} in the completion)"])
    try:
        data = json.loads(body[start : end + 1])
    except json.JSONDecodeError as exc:
        raise AnswerError([f"invalid JSON: {exc.msg} at char {exc.pos}"]) from exc
    if not isinstance(data, dict):
        raise AnswerError([f"not a JSON object ({type(data).__name__})"])
    return data


_JSON_TYPES = {dict: "object", list: "list", str: "string", bool: "boolean"}


def _type_name(value: Any) -> str:
    return "null" if value is None else _JSON_TYPES.get(type(value), "number")


def parse_answer(text: str) -> dict[str, Any]:
    """The twelve fields of a completion (bare or fenced JSON), or AnswerError naming every problem.

    Lenient where nothing is lost: a list given as one string is split on ';', newlines or ', ', and list
    items are turned into strings. Lengths are not checked here (the `length` validator scores them).
    """
    data = _json_object(text)
    problems: list[str] = []
    missing = [f for f in NARRATIVE_FIELDS if f not in data]
    if missing:
        problems.append(f"missing: {', '.join(missing)}")
    extra = [str(k) for k in data if k not in NARRATIVE_FIELDS]
    if extra:
        problems.append(f"extra: {', '.join(extra[:5])}{' ...' if len(extra) > 5 else ''}")
    out: dict[str, Any] = {}
    wrong: list[str] = []
    for name in NARRATIVE_TEXT_FIELDS:
        if name in data:
            value = data[name]
            if isinstance(value, str):
                out[name] = value
            else:
                wrong.append(f"{name} ({_type_name(value)}, expected a string)")
    for name in NARRATIVE_LIST_FIELDS:
        if name in data:
            value = data[name]
            if isinstance(value, str):
                value = [v.strip() for v in re.split(r"[;\n]|,\s", value) if v.strip()]
            if isinstance(value, list):
                out[name] = [str(v) for v in value]
            else:
                wrong.append(f"{name} ({_type_name(value)}, expected a list of strings)")
    if wrong:
        problems.append(f"wrong type: {', '.join(wrong)}")
    if problems:
        raise AnswerError(problems)
    return out
