"""Offline narrator: lengths, agreement, no trait leak, anchors used literally, variety, determinism."""

from __future__ import annotations

import csv
import random
import re
import statistics
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))

from moldova_personas.narration.offline.narrator import LENGTHS, write_fields  # noqa: E402
from moldova_personas.narration.planning import (  # noqa: E402
    CONSTRAINT_CATEGORIES,
    OPENING_MOVES,
    load_anchors,
    load_constraints,
    plan_persona,
)

SEED = 20240101
TRAIT_LEAK = re.compile(
    r"extraver|introvert|nevrotism|nevrotic|deschidere|conștiincio|agreabil|\bscor|T=|percentil|"
    r"personalitate de tip",
    re.I,
)
MASC_FOR_FEMALE = re.compile(
    r"\b(căsătorit|pensionar|văduv|divorțat|necăsătorit|student|casnic)\b[ ,.;]|\b(?:e|este|era) născut\b"
)
# compound perfect: the participle never agrees ("Doina s-a născut", not "s-a născută")
COMPOUND_AGREEMENT = re.compile(
    r"\b(?:s-a|a|au|și-a|s-au)\s+(?:mai\s+)?(născută|mutată|stabilită|căsătorită|crescută|obișnuită|rămasă|"
    r"plecată|întoarsă|angajată|pensionată|divorțată|născuți|mutați)\b"
)
FEM_FOR_MALE = re.compile(
    r"\b(născută|căsătorită|pensionară|văduvă|divorțată|necăsătorită|studentă|casnică)\b"
)


def _rows(name: str) -> list[dict]:
    with open(ROOT / "seeds" / "narration" / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


ANCHORS = load_anchors(_rows("anchors.csv"))
CONSTRAINTS = load_constraints(_rows("constraints.csv"))
LOCALITIES = [
    ("Chisinau", "mun. Chișinău", "Sectorul Botanica", "urban"),
    ("Chisinau", "mun. Chișinău", "Sectorul Centru", "urban"),
    ("Chisinau", "mun. Chișinău", "Sectorul Ciocana", "urban"),
    ("Chisinau", "mun. Chișinău", "Băcioi", "rural"),
    ("Nord", "mun. Bălți", "Bălți", "urban"),
    ("Nord", "Soroca", "Soroca", "urban"),
    ("Nord", "Briceni", "Criva", "rural"),
    ("Nord", "Drochia", "Pelinia", "rural"),
    ("Centru", "Orhei", "Trebujeni", "rural"),
    ("Centru", "Ungheni", "Ungheni", "urban"),
    ("Centru", "Ialoveni", "Mileștii Mici", "rural"),
    ("Centru", "Dubăsari", "Cocieri", "rural"),
    ("Sud", "Cahul", "Cahul", "urban"),
    ("Sud", "Taraclia", "Tvardița", "urban"),
    ("Sud", "Ștefan Vodă", "Purcari", "rural"),
    ("Gagauzia", "UTA Găgăuzia", "Comrat", "urban"),
    ("Gagauzia", "UTA Găgăuzia", "Congaz", "rural"),
]
NAMES = {
    "female": [
        "Maria",
        "Ana",
        "Elena",
        "Natalia",
        "Tatiana",
        "Olga",
        "Svetlana",
        "Ecaterina",
        "Irina",
        "Valentina",
    ],
    "male": [
        "Ion",
        "Vasile",
        "Gheorghe",
        "Nicolae",
        "Sergiu",
        "Andrei",
        "Mihai",
        "Dumitru",
        "Alexandru",
        "Victor",
    ],
}
JOBS = {
    2: ("profesor", "profesoară"),
    5: ("vânzător", "vânzătoare"),
    7: ("sudor", "croitoreasă"),
    6: ("viticultor", "agricultoare"),
    3: ("tehnician", "asistentă medicală"),
    9: ("muncitor necalificat", "îngrijitoare"),
    4: ("operator", "contabilă"),
}


def make_cores(n: int = 300) -> list[dict]:
    rng = random.Random(7)
    cores = []
    for i in range(n):
        sex = ("female", "male")[i % 2]
        age = 18 + (i * 37) % 78
        region, raion, locality, res = LOCALITIES[i % len(LOCALITIES)]
        status = (
            "retired"
            if age >= 63 and i % 5
            else (
                "student"
                if age < 24 and i % 3 == 0
                else rng.choice(["employed", "employed", "unemployed", "homemaker", "other_inactive"])
            )
        )
        isco = rng.choice(list(JOBS)) if status == "employed" else None
        eth, tongue = rng.choice(
            [
                ("Moldovan", "Moldovan"),
                ("Romanian", "Romanian"),
                ("Ukrainian", "Ukrainian"),
                ("Russian", "Russian"),
                ("Gagauz", "Gagauz"),
                ("Bulgarian", "Bulgarian"),
                ("Moldovan", "Russian"),
            ]
        )
        cores.append(
            {
                "persona_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"test-{i}")),
                "persona_index": i,
                "sample_seed": 1,
                "sex": sex,
                "age": age,
                "age_group": "",
                "region": region,
                "raion": raion,
                "locality": locality,
                "locality_code": "0",
                "residence_type": res,
                "ethnicity": eth,
                "mother_tongue": tongue,
                "religion": rng.choice(
                    ["Orthodox"] * 6 + ["Baptist", "No religion", "Not declared", "Old Believers"]
                ),
                "marital_status": "never_married"
                if age < 22
                else rng.choice(["married", "married", "widowed", "divorced", "never_married"]),
                "education_level": rng.choice(
                    ["primary", "lower_secondary", "upper_secondary", "vocational", "higher"]
                ),
                "employment_status": status,
                "isco_major": isco,
                "occupation": JOBS[isco][sex == "female"] if isco is not None else None,
                "occupation_type": "",
                "first_name": NAMES[sex][i % 10],
                "last_name": rng.choice(["Rusu", "Ciobanu", "Ceban", "Popa", "Lungu"]),
                **{
                    t: rng.randint(25, 75)
                    for t in ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")
                },
            }
        )
    return cores


CORES = make_cores()
PLANS = [plan_persona(c, ANCHORS, CONSTRAINTS, seed=SEED) for c in CORES]
OUTS = [
    write_fields({"core": c, "plan": p, "repair_hint": None, "attempt": 1})
    for c, p in zip(CORES, PLANS, strict=True)
]


def test_plans_shape():
    for p in PLANS:
        assert p["opening_move"] in OPENING_MOVES
        assert 1 <= len(p["constraints"]) <= 2
        assert all(c["category"] in CONSTRAINT_CATEGORIES for c in p["constraints"])
        assert 2 <= len(p["anchors"]) <= 4
        assert 3 <= len(p["behavioural_cues"]) <= 5
    assert len(OPENING_MOVES) >= 6


def test_plan_realism():
    for c, p in zip(CORES, PLANS, strict=True):
        cats = {x["category"] for x in p["constraints"]}
        if c["residence_type"] == "urban":
            assert "seasonal_farm_work" not in cats
        for a in p["anchors"]:
            assert a["scope"] in ("locality", "raion", "region", "national")


def test_fields_non_empty_and_lengths():
    for o in OUTS:
        for field, (lo, hi) in LENGTHS.items():
            lo = 1200 if field == "cultural_background" else lo
            assert lo <= len(o[field]) <= hi, (field, len(o[field]), o[field])
        for field in ("skills_and_expertise_list", "hobbies_and_interests_list"):
            assert 5 <= len(o[field]) <= 12 and all(o[field])
    assert statistics.median(len(o["cultural_background"]) for o in OUTS) >= 1500


def test_gender_agreement():
    for c, o in zip(CORES, OUTS, strict=True):
        text = " ".join(v for k, v in o.items() if isinstance(v, str))
        if c["sex"] == "female":
            assert not MASC_FOR_FEMALE.search(text), MASC_FOR_FEMALE.search(text)
        else:
            assert not FEM_FOR_MALE.search(text), FEM_FOR_MALE.search(text)
        assert "[" not in text and "{" not in text
        assert not COMPOUND_AGREEMENT.search(text), COMPOUND_AGREEMENT.search(text)


def test_compound_perfect_is_invariable():
    from moldova_personas.narration.validators import consistency

    female = {**CORES[0], "sex": "female"}
    assert female["sex"] == "female"
    good = {"persona": f"Maria s-a născut în {female['locality']} și s-a mutat apoi la oraș."}
    bad = {"persona": f"Maria s-a născută în {female['locality']} și e născută în aceeași zi cu sora ei."}
    assert consistency(good, female).score == 1.0
    check = consistency(bad, female)
    assert check.score < 0.7 and "s-a născută" in check.hint
    male = {**female, "sex": "male"}  # "o singură dată" is not an adjective about the person
    assert (
        consistency({"persona": f"A fost o singură dată la mare, din {male['locality']}."}, male).score == 1.0
    )


def test_job_title_drives_job_content():
    from moldova_personas.narration.offline.narrator import job_lines, job_skills

    assert "controlul accesului" in job_skills("agentă de pază")
    assert job_lines("muncitor agricol sezonier") != job_lines("viticultor")
    assert job_lines("astronaut") is None  # falls back to the ISCO group


def test_rural_only_anchors_stay_rural_and_chisinau_sectors_resolve():
    from moldova_personas.narration.offline.romanian import home_phrase
    from moldova_personas.narration.planning import RURAL_ONLY_NATIONAL, locality_keys

    for c, p in zip(CORES, PLANS, strict=True):
        if c["residence_type"] == "urban":
            assert not {a["text"] for a in p["anchors"]} & RURAL_ONLY_NATIONAL
    core = {"locality": "Chișinău (sectorul Rîșcani)", "raion": "mun. Chișinău", "residence_type": "urban"}
    assert locality_keys(core)[-1] == "Sectorul Rîșcani"
    assert home_phrase(core) == "sectorul Rîșcani din Chișinău"


def test_no_trait_leak_no_placeholders():
    for o in OUTS:
        for k, v in o.items():
            text = " ".join(v) if isinstance(v, list) else v
            assert not TRAIT_LEAK.search(text), (k, TRAIT_LEAK.search(text))
            assert not re.search(r"\d{3,}|@", text), (k, text)


def test_anchors_literal():
    for p, o in zip(PLANS, OUTS, strict=True):
        text = " ".join(v for v in o.values() if isinstance(v, str))
        for a in p["anchors"]:
            assert a["text"] in text, a


def test_opening_variety():
    moves = Counter(p["opening_move"] for p in PLANS)
    assert len(moves) >= 6
    for field in ("persona", "cultural_background"):
        starts = Counter(" ".join(o[field].split()[:3]) for o in OUTS)
        assert starts.most_common(1)[0][1] / len(OUTS) < 0.05, starts.most_common(3)


def test_determinism_and_repair():
    c, p = CORES[3], PLANS[3]
    assert plan_persona(c, ANCHORS, CONSTRAINTS, seed=SEED) == p
    spec = {"core": c, "plan": p, "repair_hint": None, "attempt": 1}
    assert write_fields(spec) == OUTS[3]
    second = write_fields({**spec, "attempt": 2})
    assert second != OUTS[3]
    for hint in (
        "trait_leak",
        "opening_variation",
        "pollyanna",
        "length",
        "anchor_specificity",
        "consistency",
    ):
        fixed = write_fields({**spec, "attempt": 2, "repair_hint": hint})
        assert (
            fixed["persona"] != OUTS[3]["persona"]
            or fixed["cultural_background"] != OUTS[3]["cultural_background"]
        )


@pytest.mark.parametrize("hint", ["opening_variation", "consistency"])
def test_repair_hint_effect(hint):
    c, p = CORES[10], PLANS[10]
    fixed = write_fields({"core": c, "plan": p, "repair_hint": hint, "attempt": 2})
    if hint == "opening_variation":
        assert fixed["persona"].startswith(c["first_name"])
    else:
        assert str(c["age"]) in fixed["persona"] and c["last_name"] in fixed["persona"]


def test_speed():
    start = time.perf_counter()
    for c, p in zip(CORES, PLANS, strict=True):
        write_fields({"core": c, "plan": p, "repair_hint": None, "attempt": 1})
    per = (time.perf_counter() - start) / len(CORES) * 1000
    assert per < 3.0, per


def test_every_bank_the_narrator_uses_is_in_its_data_files():
    """A bank renamed or dropped in narration/offline/data/*.yaml fails here, not in the middle of a run."""
    from moldova_personas.narration.offline import narrator
    from moldova_personas.narration.offline.banks import BANKS

    used = set(re.findall(r"\bB\.([a-z][a-z0-9_]*)\b", Path(narrator.__file__).read_text(encoding="utf-8")))
    assert used and used <= set(BANKS.names()), sorted(used - set(BANKS.names()))
    assert all(isinstance(BANKS.__getattr__(n), tuple | dict) for n in BANKS.names())
    assert "În plină caniculă de august" in BANKS.hours  # a typo once patched in code, now in the data


def test_phrase_bank_files_fail_with_the_file_named(tmp_path):
    from moldova_personas.narration.phrases import BankError, load_banks

    good = tmp_path / "a.yaml"
    good.write_text("acts:\n- merge la piață\n", encoding="utf-8")
    assert load_banks([good]).acts == ("merge la piață",)
    broken = tmp_path / "broken.yaml"
    broken.write_text("acts:\n- 'merge la piață\n", encoding="utf-8")
    with pytest.raises(BankError, match=r"broken\.yaml"):
        load_banks([broken])
    twice = tmp_path / "twice.yaml"
    twice.write_text("acts:\n- altceva\n", encoding="utf-8")
    with pytest.raises(BankError, match=r"twice\.yaml: bank 'acts' is already defined in .*a\.yaml"):
        load_banks([good, twice])
    empty = tmp_path / "empty.yaml"
    empty.write_text("acts: []\n", encoding="utf-8")
    with pytest.raises(BankError, match="non-empty"):
        load_banks([empty])
    with pytest.raises(AttributeError, match=r"no phrase bank 'hours' in a\.yaml"):
        _ = load_banks([good]).hours


def test_planning_does_not_import_the_offline_narrator():
    """The offline narrator depends on the narration contract, never the other way round."""
    import ast

    package = ROOT / "python" / "moldova_personas" / "narration"
    for module in ("planning.py", "prompts.py", "validators.py", "phrases.py"):
        tree = ast.parse((package / module).read_text(encoding="utf-8"))
        imported = [
            n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module is not None
        ] + [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not [m for m in imported if "narration.offline" in m], module


# --- what the prompt holds ------------------------------------------------------------------------
def _codes() -> set[str]:
    """English codes and internal names that a prompt must not show (Romanian words like rural excluded)."""
    from moldova_personas import schema

    codes = set(schema.ETHNICITIES + schema.MOTHER_TONGUES + schema.RELIGIONS + schema.MARITAL_STATUSES)
    codes |= set(schema.EDUCATION_LEVELS + schema.EMPLOYMENT_STATUSES + schema.BIG_FIVE_TRAITS)
    codes |= set(OPENING_MOVES + CONSTRAINT_CATEGORIES) | {"Chisinau", "Gagauzia", "persona_id", "isco_major"}
    codes |= {a.category for a in ANCHORS.national} | {"t_score", "spec"}
    return codes - {"none", "primary", "higher", "Other", "student", "contrast", "place"}  # Romanian too


def test_the_prompt_holds_only_what_the_writer_needs():
    from moldova_personas.narration.prompts import render_messages

    pattern = re.compile(r"(?<![\w\"])(" + "|".join(map(re.escape, sorted(_codes()))) + r")(?![\w\"])")
    for c, p in zip(CORES[:120], PLANS[:120], strict=True):
        for hint, attempt, failed in ((None, 1, None), ("- Scrie mai concis.", 2, ["length", "format"])):
            messages, _ = render_messages(c, p, hint, attempt, failed)
            text = "\n".join(m["content"] for m in messages)
            assert "```" not in text and "{" not in text and c["persona_id"] not in text
            assert not pattern.findall(text), pattern.findall(text)
            # raw Big Five T-scores are nowhere (the age is the only two-digit number about the person)
            numbers = set(re.findall(r"\b\d{2}\b", text.split("## Reguli")[0]))
            assert numbers <= {str(c["age"])}, numbers
            assert "(ă)" not in text  # labels agree with the person's sex


def test_every_opening_move_has_a_romanian_hint():
    from moldova_personas.narration.prompts import OPENING_HINTS_RO, render_messages

    assert set(OPENING_HINTS_RO) == set(OPENING_MOVES)
    memory = next(i for i, p in enumerate(PLANS) if p["opening_move"] == "memory")
    messages, _ = render_messages(CORES[memory], PLANS[memory])
    assert "- Deschiderea câmpului „persona”: o amintire a persoanei" in messages[1]["content"]


def test_the_prompt_alone_carries_the_person_and_the_plan():
    """A model that reads only the prompt text can recover every fact and plan item a writer needs (the
    fake server answers this way); what it cannot see is what a writer does not need."""
    from fake_openai_server import read_prompt

    from moldova_personas.narration.prompts import CORE_LABELS_RO, render_messages

    for c, p in zip(CORES, PLANS, strict=True):
        for hint, attempt in ((None, 1), ("- Folosește literal ancorele.\n- Scrie în română.", 3)):
            messages, _ = render_messages(c, p, hint, attempt, ["anchor_specificity"])
            spec = read_prompt(messages)
            core = {k: c[k] for k, _ in CORE_LABELS_RO if c.get(k) not in (None, "")}
            assert {k: spec["core"][k] for k in core} == core
            assert spec["plan"] == {
                "opening_move": p["opening_move"],
                "constraints": [
                    {k: x[k] for k in ("category", "detail", "consequence")} for x in p["constraints"]
                ],
                "anchors": [{"category": a["category"], "text": a["text"]} for a in p["anchors"]],
                "behavioural_cues": p["behavioural_cues"],
            }
            assert (spec["repair_hint"], spec["attempt"]) == (hint, attempt)


def test_the_offline_provider_reads_the_spec_from_the_call_not_the_prompt():
    import litellm

    from moldova_personas.narration import llm
    from moldova_personas.narration.offline.narrator import answer
    from moldova_personas.narration.prompts import build_spec, render_messages
    from moldova_personas.narration.settings import load_settings

    settings = load_settings({}, env={})
    gateway = llm.Gateway(settings)
    c, p = CORES[7], PLANS[7]
    messages, _ = render_messages(c, p)
    spec = build_spec(c, p, None, 1)
    result = llm.run(gateway.complete(messages, {"persona_id": c["persona_id"]}, spec=spec))
    assert result.error is None and result.model_used == "offline/narrator"
    assert result.text == answer(spec) == answer(build_spec(c, p, None, 1))  # the narrator's own text
    # tokens by litellm's tokenizer (its default for a model it does not know), not a bytes/4 estimate
    assert result.prompt_tokens == litellm.token_counter(model="narrator", messages=messages)
    assert result.completion_tokens == litellm.token_counter(
        model="narrator", text=result.text, count_response_tokens=True
    )
    assert result.completion_tokens > len(result.text.encode("utf-8")) / 4
    # without the spec the provider says what is missing instead of guessing from the prompt
    missing = llm.run(gateway.complete(messages, {"persona_id": c["persona_id"]}))
    assert missing.text is None and "needs the persona's spec in the call's metadata" in missing.error
    # ... at once: a request error, tried once per alias of the chain, not retried with backoff
    assert missing.error_class == "bad_request"
    assert len(missing.failures) == len(gateway.chain)
