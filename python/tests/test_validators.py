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
