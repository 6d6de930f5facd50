"""Shared fixtures of the narration runtime tests: import path, sample cores, the fake OpenAI server."""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
for p in (ROOT / "python", ROOT / "python" / "tests"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("LITELLM_LOG", "CRITICAL")


def sample_fields(spec: dict) -> dict:
    """A clean, valid record for validator tests (what a well-behaved writer returns)."""
    core, plan = spec["core"], spec["plan"]
    female = core.get("sex") == "female"
    a = "ă" if female else ""
    name, age, loc = core["first_name"], core["age"], core["locality"]
    anchors = [x["text"] if isinstance(x, dict) else x for x in plan.get("anchors", [])]
    anch = ", ".join(anchors) or "piața din centru"
    cons = "; ".join(c.get("detail", "") for c in plan.get("constraints", []))
    move = plan.get("opening_move")
    first = (
        "Oare mai are rost să plece dimineața la piață?"
        if move == "question"
        else (
            "„Mai întâi cafeaua, apoi restul”, spune de obicei."
            if move == "quote"
            else f"Dimineața, în {loc}, drumul spre lucru trece pe lângă "
            f"{anchors[0] if anchors else 'piață'}."
        )
    )
    persona = (
        f"{first} {name} are {age} de ani și locuiește în {loc}, unde își împarte ziua între casă și "
        f"muncă, fără să se plângă prea des."
    )[:390]
    para = (
        f"{name} este obișnuit{a} cu un ritm strâns: {cons or 'zilele sunt pline'}. Din cauza asta amână "
        f"unele planuri și își face griji pentru bani, dar se descurcă cu ce are. În {loc} toată lumea "
        f"cunoaște {anch}. "
    )
    cb = (
        f"{name} a crescut în {loc}, într-o familie în care limba, sărbătorile și munca la pământ au contat "
        f"mult. Locurile pe care le pomenește des sunt {anch}. "
    ) * 8
    fields = {
        "persona": persona,
        "professional_persona": para * 2,
        "sports_persona": para,
        "arts_persona": para,
        "travel_persona": para,
        "culinary_persona": para,
        "cultural_background": cb[:1900],
        "skills_and_expertise": para * 2,
        "hobbies_and_interests": para,
        "career_goals_and_ambitions": para,
        "skills_and_expertise_list": ["gătit", "grădinărit", "reparații mărunte", "contabilitate", "condus"],
        "hobbies_and_interests_list": ["lectură", "pescuit", "muzică populară", "plimbări", "șah"],
    }
    return fields


PLACES = (
    ("Chisinau", "mun. Chișinău", "Sectorul Botanica", "urban"),
    ("Chisinau", "mun. Chișinău", "Durlești", "urban"),
    ("Gagauzia", "UTA Găgăuzia", "Comrat", "urban"),
    ("Gagauzia", "UTA Găgăuzia", "Ceadîr-Lunga", "urban"),
    ("Chisinau", "mun. Chișinău", "Cricova", "urban"),
)
FEMALE = ("Ana", "Maria", "Elena", "Natalia", "Tatiana")
MALE = ("Ion", "Vasile", "Sergiu", "Andrei", "Mihai")


def make_cores(n: int, seed: int = 7) -> list[dict]:
    """Deterministic rows shaped like the tier models' cores (the sampler is not a dependency here)."""
    out = []
    for i in range(n):
        region, raion, locality, res = PLACES[i % len(PLACES)]
        female = i % 2 == 0
        age = 19 + (i * 7) % 60
        employed = 22 <= age < 63
        out.append(
            {
                "persona_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{seed}:{i}")),
                "persona_index": i,
                "sample_seed": seed,
                "sex": "female" if female else "male",
                "age": age,
                "age_group": "x",
                "region": region,
                "raion": raion,
                "locality": locality,
                "locality_code": f"{i:04d}",
                "residence_type": res,
                "ethnicity": "Moldovan",
                "mother_tongue": "Romanian",
                "religion": "Orthodox",
                "marital_status": ("married", "never_married", "widowed", "divorced")[i % 4],
                "education_level": ("upper_secondary", "higher", "vocational")[i % 3],
                "employment_status": "employed" if employed else ("student" if age < 22 else "retired"),
                "isco_major": 5 if employed else None,
                "occupation": ("vânzătoare" if female else "vânzător") if employed else None,
                "occupation_type": "service" if employed else "not_working",
                "first_name": (FEMALE if female else MALE)[i % 5],
                "last_name": "Rusu",
                "openness": 40 + i % 30,
                "conscientiousness": 55,
                "extraversion": 35 + i % 40,
                "agreeableness": 60,
                "neuroticism": 45,
            }
        )
    return out


def fake_provider_settings(
    server, dirs, *, max_concurrency: int = 2, progress: bool = True, alias: dict | None = None, **overrides
) -> dict:
    """Narration settings with one real alias, `creative`, on the fake server (`alias` overrides its
    fields); its key is read from MOLDOVA_FAKE_KEY (each test module sets its own value, so a leak
    names the module)."""
    return {
        "creative": {
            "model": "openai/creative-m",
            "api_base": server.url,
            "api_key_env": "MOLDOVA_FAKE_KEY",
            "timeout_s": 5,
            **(alias or {}),
        },
        "fallback_order": ["creative"],
        "progress": progress,
        "max_concurrency": max_concurrency,
        "backoff_base_s": 0.05,
        **dirs,
        **overrides,
    }


@pytest.fixture(scope="session")
def fake_server():
    from fake_openai_server import FakeOpenAIServer

    server = FakeOpenAIServer().start()
    yield server
    server.stop()


@pytest.fixture()
def server(fake_server):
    fake_server.reset()
    fake_server.delay = 0.0
    yield fake_server
    fake_server.reset()


# One line per real-model test outcome (statuses, calls, tokens, time), printed at the end of the run so
# that CI's log shows what the real model did.
REALMODEL_OUTCOMES: list[str] = []


def pytest_terminal_summary(terminalreporter):
    if REALMODEL_OUTCOMES:
        terminalreporter.section("real model")
        for line in REALMODEL_OUTCOMES:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def real_llm():
    """Gemma 3 270M served by llama-cpp-python on 127.0.0.1 (see local_llm_server.py), one per session.

    Never skipped: without the `realmodel` extra the tests using it fail, naming `make realmodel`.
    """
    from local_llm_server import LocalLLMServer

    server = LocalLLMServer().start()
    yield server
    server.stop()


@pytest.fixture()
def dirs(tmp_path):
    return {"state_dir": str(tmp_path / "state"), "log_dir": str(tmp_path / "logs")}
