"""Validators catch planted problems and pass a clean record."""

from __future__ import annotations

from conftest import make_cores, sample_fields

from moldova_personas.narration import validators as v
from moldova_personas.narration.settings import ValidatorThresholds

CORE = make_cores(1)[0]  # female, 19, married, Sectorul Botanica
PLAN = {
    "opening_move": "question",
    "anchors": [{"text": "Grădina Botanică"}, {"text": "zacuscă"}],
    "constraints": [{"category": "time_pressure", "detail": "lucrează mult"}],
}


def clean():
    return sample_fields({"core": CORE, "plan": PLAN, "repair_hint": None, "attempt": 1})


def test_clean_record_passes():
    checks = v.run_validators(clean(), CORE, PLAN)
    assert v.failing(checks, ValidatorThresholds()) == [], {k: c for k, c in checks.items()}


def test_trait_leak():
    f = clean()
    f["persona"] = "Oare? Are un nivel ridicat de conștiinciozitate și extraversiune scăzută. " + f["persona"]
    c = v.trait_leak(f)
    assert c.score > 0 and "conștiinciozitate" in c.hint


def test_english_and_russian_text():
    f = clean()
    f["sports_persona"] = "He plays football with his friends every weekend and he is the best in the team."
    c = v.language(f)
    assert c.score < 0.7 and "sports_persona" in c.hint
    f = clean()
    f["travel_persona"] = "Он работает на местном рынке и живёт с семьёй в небольшом доме и это всё."
    assert v.language(f).score < 0.7


def test_wrong_gender_agreement():
    f = clean()
    f["professional_persona"] += " Este căsătorit de zece ani și este mândru de munca lui."
    c = v.consistency(f, CORE)
    assert c.score < ValidatorThresholds().consistency_min and "gen" in c.hint
    # the same words about a relative are not a contradiction
    f = clean()
    f["professional_persona"] += " Fratele ei este mândru de ea."
    assert v.consistency(f, CORE).score == 1.0


def test_age_marital_and_place_contradictions():
    f = clean()
    f["persona"] = f["persona"].replace(f"are {CORE['age']} de ani", "are 54 de ani")
    assert "54" in v.consistency(f, CORE).hint
    single = {**CORE, "marital_status": "never_married"}
    f = clean()
    f["culinary_persona"] += " Soțul ei gătește duminica."
    assert v.consistency(f, single).score < 0.7
    f = {k: (x.replace(CORE["locality"], "X") if isinstance(x, str) else x) for k, x in clean().items()}
    f = {k: (x.replace("Chișinău", "X") if isinstance(x, str) else x) for k, x in f.items()}
    assert v.consistency(f, CORE).score == 0.75


def test_missing_anchor():
    f = {k: (x.replace("zacuscă", "mâncare") if isinstance(x, str) else x) for k, x in clean().items()}
    c = v.anchor_specificity(f, PLAN)
    assert c.score == 0.5 and "zacuscă" in c.hint


def test_too_short_and_short_lists():
    f = clean()
    f["cultural_background"] = "Scurt."
    f["hobbies_and_interests_list"] = ["citit"]
    c = v.length(f)
    assert c.score < 1 and "cultural_background" in c.hint and "hobbies_and_interests_list" in c.hint


def test_opening_variation():
    f = clean()
    assert v.opening_variation(f, CORE, PLAN).score == 1.0
    f["persona"] = f"{CORE['first_name']} este o femeie de {CORE['age']} de ani din {CORE['locality']}. " * 3
    c = v.opening_variation(f, CORE, PLAN)
    assert c.score < ValidatorThresholds().opening_variation_min and "generic" in c.hint


def test_pollyanna_direction():
    f = clean()
    neutral = v.pollyanna(f).score
    rosy_text = (
        "Este o persoană minunată, fericită, extraordinară și mereu zâmbitoare, cu o viață "
        "perfectă, plină de bucurie, iubire și succes remarcabil. "
    ) * 3
    rosy = v.pollyanna({k: (rosy_text if isinstance(x, str) else x) for k, x in f.items()})
    assert rosy.score > 0.85 > neutral and rosy.hint


# --- the answer schema and field-level reasons -----------------------------------------------------
def test_answer_schema_is_the_twelve_fields_with_their_bounds():
    import pydantic
    import pytest

    from moldova_personas.narration.answer import NarrativeAnswer, provider_schema
    from moldova_personas.schema import NARRATIVE_FIELDS

    assert tuple(NarrativeAnswer.model_fields) == NARRATIVE_FIELDS
    full = NarrativeAnswer.model_json_schema()["properties"]
    assert (full["persona"]["minLength"], full["persona"]["maxLength"]) == v.LENGTH_TARGETS["persona"]
    hobbies = full["hobbies_and_interests_list"]
    assert (hobbies["minItems"], hobbies["maxItems"]) == v.LENGTH_TARGETS["hobbies_and_interests_list"]
    NarrativeAnswer(**clean())  # a clean record is a valid answer
    with pytest.raises(pydantic.ValidationError, match="cultural_background"):
        NarrativeAnswer(**{**clean(), "cultural_background": "x" * 2801})
    sent = provider_schema()
    assert sent["required"] == list(NARRATIVE_FIELDS) and sent["additionalProperties"] is False
    assert not {k for p in sent["properties"].values() for k in p} & {"minLength", "maxLength", "maxItems"}
    assert sent["properties"]["skills_and_expertise_list"]["items"] == {"type": "string"}


def test_parse_answer_names_every_problem_field_by_field():
    import json

    import pytest

    from moldova_personas.narration.answer import AnswerError, parse_answer

    good = clean()
    assert parse_answer("```json\n" + json.dumps(good, ensure_ascii=False) + "\n```") == good
    broken = {k: x for k, x in good.items() if k not in ("arts_persona", "skills_and_expertise_list")}
    broken |= {"persona": ["o", "listă"], "hobbies_and_interests_list": {"a": 1}, "note": "x", "id": 3}
    with pytest.raises(AnswerError) as err:
        parse_answer(json.dumps(broken))
    assert err.value.problems == [
        "missing: arts_persona, skills_and_expertise_list",
        "extra: note, id",
        "wrong type: persona (list, expected a string), "
        "hobbies_and_interests_list (object, expected a list of strings)",
    ]
    for text, problem in (
        ("", "empty completion"),
        ("Iată portretul cerut.", "not a JSON object"),
        ('{"persona": "a",}', "invalid JSON: Expecting property name"),
        ("[1, 2]", "not a JSON object"),
    ):
        with pytest.raises(AnswerError, match=problem):
            parse_answer(text)
    # a list sent as one string loses nothing: it is split
    lenient = parse_answer(json.dumps({**good, "hobbies_and_interests_list": "șah; pescuit; lectură"}))
    assert lenient["hobbies_and_interests_list"] == ["șah", "pescuit", "lectură"]


def test_failures_are_described_field_by_field_for_the_log():
    f = clean()
    f["cultural_background"] = "x" * 9000
    f["hobbies_and_interests_list"] = ["citit"]
    f["sports_persona"] = "He plays football with his friends every weekend and he is the best in the team."
    f["travel_persona"] = "Он работает на местном рынке и живёт с семьёй в небольшом доме и это всё."
    checks = v.run_validators(f, CORE, PLAN)
    failed = v.failing(checks, ValidatorThresholds())
    assert failed == ["length", "language"]
    text = v.describe(checks, failed)
    assert text.startswith("length: ") and "cultural_background 9000 chars > max 2800 (runaway)" in text
    assert "hobbies_and_interests_list 1 items < min 5" in text
    assert "language: Romanian score < 0.9 in 3 field(s): " in text
    assert "travel_persona 0.02 (Cyrillic), sports_persona 0.05 (English words), persona 0.86" in text
