"""Narration planning: opening move, life constraints, local anchors and behavioural cues per persona.

Everything is a pure function of (persona_id, seed) and the seed tables, so sharded or resumed runs plan
identically. Anchor selection is uniform over the anchors eligible for the person's locality and raion,
plus (sometimes) one of the region and one or two national anchors, so that no anchor dominates.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from moldova_personas.narration.phrases import Banks, agree, load_banks

CUES_FILE = Path(__file__).parent / "data" / "cues.yaml"

OPENING_MOVES: tuple[str, ...] = (
    "situational_hook",
    "routine",
    "place",
    "memory",
    "contrast",
    "quote",
    "question",
    "object",
)
CONSTRAINT_CATEGORIES: tuple[str, ...] = (
    "time_pressure",
    "family_duty",
    "relatives_abroad",
    "commuting",
    "seasonal_farm_work",
    "health",
    "money",
)
ANCHOR_SCOPES = ("locality", "raion", "region", "national")
_CHILD_WORDS = ("fiu", "fiică", "nepoți", "copil", "copiii", "adolescenți")
_SPOUSE_WORDS = ("soției", "soțului", "soția", "soțul")
# Relatives who need the persona to be old enough (any constraint: abroad, or grandchildren left behind):
# a son or daughter working abroad is 18+ and was born when the parent was about 20 or older (NBS: mean
# age of mothers at first birth ~25), hence 38; grandchildren need one more generation, hence 45.
# Word in the constraint's detail -> youngest persona age.
_KIN_ABROAD_MIN_AGE = {"un fiu": 38, "o fiică": 38, "nepoți": 45}


def stable_rng(*parts: object) -> random.Random:
    """A Random seeded from a hash of `parts` (independent of PYTHONHASHSEED and of call order)."""
    digest = hashlib.blake2b("|".join(str(p) for p in parts).encode("utf-8"), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


@dataclass(frozen=True)
class Anchor:
    anchor_id: str
    scope: str
    region: str
    raion: str
    locality: str
    category: str
    text: str

    def as_dict(self) -> dict:
        return {
            "anchor_id": self.anchor_id,
            "text": self.text,
            "category": self.category,
            "scope": self.scope,
        }


@dataclass
class AnchorIndex:
    by_locality: dict[tuple[str, str], list[Anchor]] = field(default_factory=dict)
    by_raion: dict[str, list[Anchor]] = field(default_factory=dict)
    by_region: dict[str, list[Anchor]] = field(default_factory=dict)
    national: list[Anchor] = field(default_factory=list)

    def __len__(self) -> int:
        return (
            sum(map(len, self.by_locality.values()))
            + sum(map(len, self.by_raion.values()))
            + sum(map(len, self.by_region.values()))
            + len(self.national)
        )


@dataclass(frozen=True)
class Constraint:
    constraint_id: str
    category: str
    residence: str
    min_age: int
    max_age: int
    employment: str
    detail: tuple[str, str]  # (male, female)
    consequence: tuple[str, str]


@dataclass
class ConstraintBank:
    constraints: list[Constraint] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.constraints)


def load_anchors(rows: list[dict]) -> AnchorIndex:
    """Index the rows of seeds/narration/anchors.csv by scope."""
    index = AnchorIndex()
    for row in rows:
        a = Anchor(
            anchor_id=str(row["anchor_id"]),
            scope=str(row["scope"]),
            region=str(row.get("region") or ""),
            raion=str(row.get("raion") or ""),
            locality=str(row.get("locality") or ""),
            category=str(row["category"]),
            text=str(row["text"]),
        )
        if a.scope == "locality":
            index.by_locality.setdefault((a.raion, a.locality), []).append(a)
        elif a.scope == "raion":
            index.by_raion.setdefault(a.raion, []).append(a)
        elif a.scope == "region":
            index.by_region.setdefault(a.region, []).append(a)
        elif a.scope == "national":
            index.national.append(a)
        else:
            raise ValueError(f"unknown anchor scope {a.scope!r} for {a.anchor_id}")
    return index


def load_constraints(rows: list[dict]) -> ConstraintBank:
    """Parse the rows of seeds/narration/constraints.csv."""
    bank = ConstraintBank()
    for row in rows:
        if row["category"] not in CONSTRAINT_CATEGORIES:
            raise ValueError(f"unknown constraint category {row['category']!r}")
        bank.constraints.append(
            Constraint(
                constraint_id=str(row["constraint_id"]),
                category=str(row["category"]),
                residence=str(row["residence"]),
                min_age=int(row["min_age"]),
                max_age=int(row["max_age"]),
                employment=str(row["employment"]),
                detail=(str(row["detail_male"]), str(row["detail_female"])),
                consequence=(str(row["consequence_male"]), str(row["consequence_female"])),
            )
        )
    return bank


def _employment_ok(rule: str, status: str) -> bool:
    if rule == "any":
        return True
    if rule == "not_employed":
        return status != "employed"
    return rule == status


def _constraint_ok(c: Constraint, core: dict) -> bool:
    age = int(core["age"])
    if not (c.min_age <= age <= c.max_age):
        return False
    if c.residence != "any" and c.residence != core.get("residence_type"):
        return False
    if not _employment_ok(c.employment, core.get("employment_status") or ""):
        return False
    detail = c.detail[0] + " " + c.detail[1]
    if any(w in detail for w in _SPOUSE_WORDS) and core.get("marital_status") != "married":
        return False
    if any(w in detail and age < floor for w, floor in _KIN_ABROAD_MIN_AGE.items()):
        return False
    return not (
        core.get("marital_status") == "never_married" and age < 45 and any(w in detail for w in _CHILD_WORDS)
    )


def _constraint_weight(c: Constraint, core: dict) -> float:
    age = int(core["age"])
    weight = 1.0
    if c.category == "relatives_abroad":
        weight = 1.6
    elif c.category == "health":
        weight = 2.2 if age >= 65 else (1.0 if age >= 50 else 0.5)
    elif c.category == "seasonal_farm_work":
        weight = 1.3
    elif c.category == "commuting" and core.get("residence_type") == "rural":
        weight = 1.6
    return weight


def _pick_constraints(core: dict, bank: ConstraintBank, rng: random.Random) -> list[dict]:
    eligible = [c for c in bank.constraints if _constraint_ok(c, core)]
    n = 2 if rng.random() < 0.55 else 1
    chosen: list[Constraint] = []
    for _ in range(n):
        pool = [c for c in eligible if c.category not in {x.category for x in chosen}]
        if not pool:
            break
        weights = [_constraint_weight(c, core) for c in pool]
        chosen.append(rng.choices(pool, weights=weights, k=1)[0])
    female = core.get("sex") == "female"
    return [
        {
            "category": c.category,
            "constraint_id": c.constraint_id,
            "detail": c.detail[1] if female else c.detail[0],
            "consequence": c.consequence[1] if female else c.consequence[0],
        }
        for c in chosen
    ]


# National anchors that only make sense for villagers (a city dweller has no well sweep or roadside stall
# of their own), and ones that need an older person.
RURAL_ONLY_NATIONAL = frozenset(
    {
        "fântânile cu cumpănă",
        "tarabele cu legume de la marginea drumului",
        "hramul satului",
        "pâinea coaptă în cuptorul din curte",
        "nucile din curte",
        "livada de nuci",
        "clăcile de la culesul viei",
        "horele de la hram",
    }
)
MIN_AGE_NATIONAL = {"cimitirul unde sunt îngropați părinții": 50, "pomenile de sâmbăta morților": 35}
REGION_PROBABILITY = 0.2  # region anchors are few per region: rarely, so that none exceeds ~2% of people
_SECTOR_RE = re.compile(r"^Chișinău \(sectorul (.+)\)$")


def locality_keys(core: dict) -> list[str]:
    """Locality names to look anchors up by ('Chișinău (sectorul Centru)' is also 'Sectorul Centru')."""
    loc = str(core.get("locality") or "")
    m = _SECTOR_RE.match(loc)
    return [loc, f"Sectorul {m.group(1)}"] if m else [loc]


def _national_ok(a: Anchor, core: dict) -> bool:
    if a.text in RURAL_ONLY_NATIONAL and core.get("residence_type") != "rural":
        return False
    return int(core.get("age") or 0) >= MIN_AGE_NATIONAL.get(a.text, 0)


def _pick_anchors(core: dict, index: AnchorIndex, rng: random.Random) -> list[dict]:
    raion = core.get("raion") or ""
    local: list[Anchor] = []
    for key in locality_keys(core):
        local += index.by_locality.get((raion, key), ())
    local += index.by_raion.get(raion, ())
    region = index.by_region.get(core.get("region") or "", [])
    picked: list[Anchor] = []
    if local:
        picked += rng.sample(local, min(len(local), 2))
    if region and (rng.random() < REGION_PROBABILITY or len(picked) < 1):
        picked.append(rng.choice(region))
    n_nat = 1 if len(picked) >= 2 else 2
    if rng.random() < 0.15 and len(picked) + n_nat < 4:
        n_nat += 1
    national = [a for a in index.national if _national_ok(a, core)]
    picked += rng.sample(national, min(len(national), n_nat))
    seen: set[str] = set()
    out = []
    for a in picked:
        if a.text not in seen:
            seen.add(a.text)
            out.append(a.as_dict())
    return out[:4]


@lru_cache(maxsize=1)
def cue_banks() -> Banks:
    """Behavioural cues per Big Five trait (cues_high, cues_low) and neutral fillers (cues_neutral)."""
    return load_banks([CUES_FILE])


def _pick_cues(core: dict, rng: random.Random) -> list[str]:
    cues_bank = cue_banks()
    traits = ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")
    scored = sorted(traits, key=lambda t: (-abs(int(core.get(t) or 50) - 50), t))
    cues: list[str] = []
    for trait in scored:
        t = int(core.get(trait) or 50)
        dev = abs(t - 50)
        if dev < 4 and len(cues) >= 3:
            continue
        bank = cues_bank.cues_high[trait] if t >= 50 else cues_bank.cues_low[trait]
        k = 2 if dev >= 15 and len(cues) < 3 else 1
        cues += rng.sample(bank, k)
        if len(cues) >= 5:
            break
    while len(cues) < 3:
        extra = rng.choice(cues_bank.cues_neutral)
        if extra not in cues:
            cues.append(extra)
    sex = core.get("sex") or "male"
    return [agree(c, sex) for c in cues[: rng.choice((3, 4, 4, 5))]]


def plan_persona(core: dict, anchors: AnchorIndex, constraints: ConstraintBank, *, seed: int) -> dict:
    """Plan one narration: opening move, 1-2 constraints, 2-4 anchors and 3-5 behavioural cues."""
    pid = core["persona_id"]
    return {
        "opening_move": OPENING_MOVES[stable_rng(pid, seed, "opening").randrange(len(OPENING_MOVES))],
        "constraints": _pick_constraints(core, constraints, stable_rng(pid, seed, "constraints")),
        "anchors": _pick_anchors(core, anchors, stable_rng(pid, seed, "anchors")),
        "behavioural_cues": _pick_cues(core, stable_rng(pid, seed, "cues")),
    }
