"""The offline narrator: a deterministic template narrator in Romanian, used by `make run`, CI and tests.

`write_fields(spec)` turns a core + plan into the 12 narrative fields. Randomness comes only from a hash
of (persona_id, attempt, repair_hint), so output is reproducible and a repair attempt reads differently.
The sentences themselves are data (offline/data/*.yaml, one file per field, read through `banks.BANKS`);
this module only chooses, fills and joins them.
"""

from __future__ import annotations

import json

from moldova_personas.narration.offline.banks import BANKS as B
from moldova_personas.narration.offline.romanian import (
    EDUCATION_RO,
    LANGUAGE_RO,
    age_phrase,
    agree,
    cap,
    ethnicity_word,
    home_phrase,
    marital_word,
    short_place,
    town_of,
    years,
)
from moldova_personas.narration.planning import stable_rng

LENGTHS = {
    "persona": (150, 400),
    "professional_persona": (420, 900),
    "sports_persona": (400, 850),
    "arts_persona": (400, 850),
    "travel_persona": (400, 850),
    "culinary_persona": (400, 850),
    "cultural_background": (1750, 2400),
    "skills_and_expertise": (600, 1100),
    "hobbies_and_interests": (600, 1100),
    "career_goals_and_ambitions": (600, 1100),
}


class _Ctx:
    """Per-persona facts and a seeded rng; `t()` fills a template and resolves gender markers."""

    def __init__(self, core: dict, plan: dict, attempt: int, hint: str | None) -> None:
        self.core = core
        self.plan = plan
        self.hint = hint or ""
        self.rng = stable_rng(core["persona_id"], attempt, self.hint, "narrate")
        self.sex = core.get("sex") or "male"
        self.female = self.sex == "female"
        self.age = int(core["age"])
        self.status = core.get("employment_status") or "other_inactive"
        self.rural = core.get("residence_type") == "rural"
        occ = core.get("occupation")
        if occ and not (len(occ) > 1 and occ[1].isupper()):
            occ = occ[0].lower() + occ[1:]
        self.occ = occ if self.status == "employed" else None
        self.isco = core.get("isco_major")
        self.anchors = plan.get("anchors") or []
        self.constraints = plan.get("constraints") or []
        self.cues = list(plan.get("behavioural_cues") or [])
        self.used: set[str] = set()
        self.templates: set[str] = set()
        first = core.get("first_name") or "Persoana"
        self.vars = {
            "N": first,
            "F": f"{first} {core.get('last_name') or ''}".strip(),
            "age": years(self.age),
            "home": home_phrase(core),
            "place": short_place(core),
            "town": town_of(core),
            "job": self.occ or "",
            "role": self.role(),
            "jobc": self.job_clause(),
            "mar": marital_word(core.get("marital_status") or "", self.sex),
            "edu": EDUCATION_RO.get(core.get("education_level") or "", "a urmat școala din localitate"),
            "lang": LANGUAGE_RO.get(core.get("mother_tongue") or "", "limba familiei"),
            "eth": ethnicity_word(core.get("ethnicity") or "", self.sex),
        }

    def role(self) -> str:
        return {
            "retired": "[pensionar|pensionară]",
            "student": "[student|studentă]",
            "homemaker": "[casnic|casnică]",
            "unemployed": "în căutarea unui loc de muncă",
        }.get(self.status, self.occ or "angajat[|ă]")

    def job_clause(self) -> str:
        if self.occ:
            return f"lucrează ca {self.occ}"
        return {
            "employed": "are un loc de muncă cu normă întreagă",
            "retired": "e [pensionar|pensionară]",
            "student": "e [student|studentă]",
            "unemployed": "își caută de lucru",
            "homemaker": "se ocupă de casă și de gospodărie",
        }.get(self.status, "nu lucrează în prezent")

    def t(self, template: str, **extra: str) -> str:
        if extra:
            return agree(template.format_map({**self.vars, **extra}), self.sex)
        return agree(template.format_map(self.vars), self.sex)

    def pick(self, options):
        return options[self.rng.randrange(len(options))]

    def group(self) -> str:
        if self.status == "employed":
            return "employed_rural" if self.rural else "employed_urban"
        return self.status if self.status in ("retired", "student", "unemployed", "homemaker") else "other"


def _compose(parts: list[str], fillers: list[str], lo: int, hi: int, keep: int = 1) -> str:
    """Join sentences; add fillers until `lo` chars, drop optional tail sentences above `hi`."""
    parts = [p for p in parts if p]
    text = " ".join(parts)
    fi = 0
    while len(text) < lo and fi < len(fillers):
        if fillers[fi] and fillers[fi] not in parts:
            parts.append(fillers[fi])
            text = " ".join(parts)
        fi += 1
    for pad in B.pads:
        if len(text) >= lo:
            break
        parts.append(pad)
        text = " ".join(parts)
    while len(text) > hi and len(parts) > keep:
        # drop the longest optional sentence that does not carry an anchor
        idx = max(range(keep, len(parts)), key=lambda i: (not parts[i].startswith("\x00"), len(parts[i])))
        parts.pop(idx)
        text = " ".join(parts)
    text = text.replace("\x00", "")
    for pad in B.pads:
        if len(text) >= lo or len(text) + len(pad) + 1 > hi:
            break
        if pad not in text:
            text = f"{text} {pad}"
    return text


def _by_title(table: tuple[dict, ...], key: str, title: str | None, isco: int | None):
    """`key` of the first entry whose keywords occur in the job title, else None. An entry limited to
    some ISCO major groups (isco_majors: manual work) gives None for a title of another group: with
    1,100 titles a keyword also hits "inginer-șef în construcții", who gets the ISCO group's lines."""
    t = (title or "").lower()
    for entry in table:
        if any(k in t for k in entry["keywords"]):
            majors = entry.get("isco_majors")
            fits = majors is None or not isinstance(isco, int) or isco in majors
            return entry[key] if fits else None
    return None


def job_lines(title: str | None, isco: int | None = None) -> tuple[str, ...] | None:
    """Lines for the job title's first matching keyword, else None (use the ISCO group's lines)."""
    return _by_title(B.job_title_lines, "lines", title, isco)


def job_skills(title: str | None, isco: int | None = None) -> tuple[str, ...] | None:
    """Skill items for the job title's first matching keyword, else None (use the ISCO group's items)."""
    return _by_title(B.job_title_skills, "skills", title, isco)


def _anchor_line(ctx: _Ctx, anchor: dict, bank: dict) -> str:
    cat = anchor["category"]
    options = bank.get(cat) or bank["any"]
    fresh = [t for t in options if t not in ctx.templates] or list(options)
    tpl = ctx.pick(fresh)
    ctx.templates.add(tpl)  # never the same anchor sentence twice for one person
    ctx.used.add(anchor["text"])
    return "\x00" + ctx.t(tpl, a=anchor["text"])


def _anchors_of(ctx: _Ctx, cats: tuple[str, ...]) -> list[dict]:
    return [a for a in ctx.anchors if a["category"] in cats]


def _constraint_line(ctx: _Ctx, c: dict) -> str:
    tpl = ctx.pick(B.constraint_lines)
    return ctx.t(tpl, d=c["detail"], q=c["consequence"])


def _cue_line(ctx: _Ctx, cues: list[str]) -> str:
    if not cues:
        return ""
    if len(cues) == 1:
        return ctx.t(ctx.pick(B.cue_one), c1=cues[0])
    return ctx.t(ctx.pick(B.cue_two), c1=cues[0], c2=cues[1])


def _opening(ctx: _Ctx, move: str, field: str) -> str:
    rng = ctx.rng
    act = ctx.pick(B.acts[ctx.group()])
    if ctx.hint == "opening_variation" and field == "persona":
        # a repair opening: name first, so the first words follow the name, never a shared stock phrase
        return ctx.t(ctx.pick(B.name_first), act=act)
    if move == "situational_hook":
        hour = ctx.pick(B.hours)
        return ctx.t("{h}, {N} {act}.", h=hour, act=act)
    if move == "routine":
        return ctx.t(ctx.pick(B.routine), act=act)
    if move == "place":
        return ctx.t(ctx.pick(B.place_rural if ctx.rural else B.place_urban))
    if move == "memory":
        mem = ctx.pick(B.memories_old if ctx.age >= 50 else B.memories_young)
        return ctx.t(ctx.pick(B.memory), m=mem)
    if move == "contrast":
        return ctx.t(ctx.pick(B.contrast.get(ctx.group(), ()) + B.contrast["any"]))
    if move == "quote":
        q = ctx.pick(B.quotes)
        if q in B.quote_gender:
            q = B.quote_gender[q]["female" if ctx.female else "male"]
        return ctx.t(ctx.pick(B.quote), q=q)
    if move == "question":
        return ctx.t(ctx.pick(B.questions))
    obj = B.objects[rng.randrange(len(B.objects))]
    return ctx.t(ctx.pick(B.object), o=obj["object"], w=obj["where"])


def _persona(ctx: _Ctx, move: str) -> str:
    first = _opening(ctx, move, "persona")
    ident = ctx.t(ctx.pick(B.identity))
    if ctx.core.get("marital_status") and ctx.hint == "consistency":
        ident = ctx.t("{F} {a}, e {mar} și {jobc}, în {home}.", a=age_phrase(ctx.age, 0))
    extra = []
    if ctx.constraints:
        c = ctx.constraints[0]
        extra.append(ctx.t(ctx.pick(B.persona_constraint), d=c["detail"], q=c["consequence"]))
    if ctx.cues:
        extra.append(ctx.t("De obicei {c}.", c=ctx.cues[0]))
    if ctx.hint == "anchor_specificity" and ctx.anchors:
        extra.insert(0, _anchor_line(ctx, ctx.anchors[0], B.anchor_short))
    text = f"{first} {ident}"
    for e in extra:
        e = e.replace("\x00", "")
        if len(text) + 1 + len(e) <= 400:
            text = f"{text} {e}"
            break
    if len(text) < 150:
        text = f"{text} {ctx.t(ctx.pick(B.persona_pad))}"
    if len(text) > 400:
        text = text[:400].rsplit(". ", 1)[0] + "."
    return text


def _professional(ctx: _Ctx) -> str:
    g = ctx.group()
    opening = B.pro_open_new if ctx.status == "employed" and ctx.age < 24 else B.pro_open[g]
    parts = [ctx.t(ctx.pick(opening))]
    if ctx.status == "employed":
        bank = job_lines(ctx.core.get("occupation"), ctx.isco) or B.pro_isco.get(
            ctx.isco if isinstance(ctx.isco, int) else -1, B.pro_isco[-1]
        )
        parts += [ctx.t(s) for s in ctx.rng.sample(bank, min(3, len(bank)))]
    else:
        parts += [ctx.t(s) for s in ctx.rng.sample(B.pro_notwork[g], 2)]
    parts.append(ctx.t(ctx.pick(B.pro_friction[g])))
    for a in _anchors_of(ctx, ("institution",))[:1]:
        parts.append(_anchor_line(ctx, a, B.anchor_any))
    fill = [_cue_line(ctx, ctx.cues[1:2])] + [ctx.t(x) for x in ctx.rng.sample(B.pro_fill, 3)]
    return _compose(parts, fill, *LENGTHS["professional_persona"])


def _sports(ctx: _Ctx) -> str:
    band = "old" if ctx.age >= 65 else ("mid" if ctx.age >= 40 else "young")
    parts = [ctx.t(s) for s in ctx.rng.sample(B.sport[band], 2)]
    for a in _anchors_of(ctx, ("nature", "place"))[:1]:
        parts.append(_anchor_line(ctx, a, B.anchor_outdoor))
    parts.append(ctx.t(ctx.pick(B.sport_friction[band])))
    return _compose(parts, [ctx.t(x) for x in ctx.rng.sample(B.sport_fill, 5)], *LENGTHS["sports_persona"])


def _arts(ctx: _Ctx) -> str:
    tongue = ctx.core.get("mother_tongue") or ""
    parts = [
        ctx.t(ctx.pick(B.arts_music)),
        ctx.t(ctx.pick(B.arts_books.get(tongue, B.arts_books["default"]))),
    ]
    for a in _anchors_of(ctx, ("custom", "event", "craft", "institution"))[:2]:
        if a["text"] not in ctx.used:
            parts.append(_anchor_line(ctx, a, B.anchor_culture))
    parts.append(ctx.t(ctx.pick(B.arts_friction)))
    return _compose(parts, [ctx.t(x) for x in ctx.rng.sample(B.arts_fill, 5)], *LENGTHS["arts_persona"])


def _travel(ctx: _Ctx) -> str:
    parts = [ctx.t(ctx.pick(B.travel_open["old" if ctx.age >= 70 else "any"]))]
    for a in _anchors_of(ctx, ("place", "nature"))[:2]:
        parts.append(_anchor_line(ctx, a, B.anchor_outdoor))
    abroad = [c for c in ctx.constraints if c["category"] == "relatives_abroad"]
    if abroad:
        parts.append(ctx.t(ctx.pick(B.travel_abroad_rel)))
    else:
        parts.append(ctx.t(ctx.pick(B.travel_abroad)))
    parts.append(ctx.t(ctx.pick(B.travel_friction)))
    return _compose(parts, [ctx.t(x) for x in ctx.rng.sample(B.travel_fill, 5)], *LENGTHS["travel_persona"])


def _culinary(ctx: _Ctx) -> str:
    parts = [ctx.t(ctx.pick(B.food_open))]
    for a in _anchors_of(ctx, ("food", "market"))[:2]:
        parts.append(_anchor_line(ctx, a, B.anchor_food))
    eth = ctx.core.get("ethnicity") or ""
    if eth in B.food_ethnic and ctx.rng.random() < 0.5:
        parts.append(ctx.t(ctx.pick(B.food_ethnic[eth])))
    parts.append(ctx.t(ctx.pick(B.food_dish)))
    parts.append(ctx.t(ctx.pick(B.food_friction)))
    return _compose(
        parts,
        [ctx.t(x) for x in ctx.rng.sample(B.food_dish, 2) + ctx.rng.sample(B.food_fill, 4)],
        *LENGTHS["culinary_persona"],
    )


def _decade(year: int) -> str:
    d = (year // 10) % 10
    part = ("la începutul", "la mijlocul", "la sfârșitul")[min((year % 10) // 4, 2)]
    name = (
        "anilor două mii",
        "anilor zece",
        "anilor douăzeci",
        "anilor treizeci",
        "anilor patruzeci",
        "anilor cincizeci",
        "anilor șaizeci",
        "anilor șaptezeci",
        "anilor optzeci",
        "anilor nouăzeci",
    )[d]
    if year >= 2000:
        name = "anilor două mii" if year < 2010 else "anilor două mii zece"
    return f"{part} {name}"


def _cultural(ctx: _Ctx, move: str) -> str:
    core = ctx.core
    born = 2024 - ctx.age
    parts = [_opening(ctx, move, "cultural_background")]
    parts.append(ctx.t(ctx.pick(B.birth_same if ctx.rng.random() < 0.6 else B.birth_else), dec=_decade(born)))
    parts.append(ctx.t(ctx.pick(B.era_soviet if born < 1975 else (B.era_90s if born < 1995 else B.era_new))))
    tongue = core.get("mother_tongue") or ""
    parts.append(ctx.t(ctx.pick(B.lang.get(tongue, B.lang["default"]))))
    eth = core.get("ethnicity") or ""
    if eth in B.ethnic_lines:
        parts.append(ctx.t(ctx.pick(B.ethnic_lines[eth])))
    parts.append(ctx.t(ctx.pick(B.edu_lines)))
    parts.append(ctx.t(ctx.pick(B.family.get(core.get("marital_status") or "", B.family["never_married"]))))
    rel = core.get("religion") or ""
    parts.append(ctx.t(ctx.pick(B.religion.get(rel, B.religion["Other religion"]))))
    for a in ctx.anchors:
        parts.append(_anchor_line(ctx, a, B.anchor_any if a["text"] not in ctx.used else B.anchor_short))
    for c in ctx.constraints:
        parts.append(_constraint_line(ctx, c))
    parts.append(_cue_line(ctx, ctx.cues[:2]))
    parts.append(ctx.t(ctx.pick(B.frictions)))
    if ctx.hint == "pollyanna":
        parts.append(ctx.t(ctx.pick([f for f in B.frictions if f not in parts])))
    parts.append(ctx.t(ctx.pick(B.cb_close)))
    more = [m for m in B.cb_more if ctx.rural or "{town}" not in m]
    parts[3:3] = [ctx.t(m) for m in ctx.rng.sample(more, 2)]
    fill = [ctx.t(s) for s in ctx.rng.sample(more, 4) if ctx.t(s) not in parts]
    fill += [ctx.t(s) for s in ctx.rng.sample(B.cb_fill, 3)] + [_cue_line(ctx, ctx.cues[2:4])]
    return _compose(parts, fill, *LENGTHS["cultural_background"])


def _skills(ctx: _Ctx) -> tuple[str, list[str]]:
    g = ctx.group()
    isco = ctx.isco if isinstance(ctx.isco, int) and ctx.status == "employed" else None
    job_items = list(B.skill_items.get(isco if isco is not None else g, B.skill_items["other"]))
    by_title = job_skills(ctx.core.get("occupation"), ctx.isco) if ctx.status == "employed" else None
    if by_title:
        job_items = list(by_title) + [i for i in job_items if i not in by_title][:1]
    home_items = list(B.skill_home_rural if ctx.rural else B.skill_home_urban)
    ctx.rng.shuffle(job_items)
    ctx.rng.shuffle(home_items)
    langs = B.skill_lang.get(ctx.core.get("mother_tongue") or "", ("limba rusă",))
    items = job_items[:4] + home_items[:3] + list(langs[:1])
    if ctx.age < 50:
        items.append(ctx.pick(B.skill_digital))
    parts = [
        ctx.t(ctx.pick(B.skill_open[g if g in B.skill_open else "other"])),
        ctx.t("Se pricepe mai ales la {a} și la {b}.", a=job_items[0], b=job_items[1]),
        ctx.t(ctx.pick(B.skill_home_line), a=home_items[0], b=home_items[1]),
        ctx.t(ctx.pick(B.skill_lang_line), l=langs[0]),
        ctx.t(ctx.pick(B.skill_limit)),
    ]
    text = _compose(
        parts,
        [_cue_line(ctx, ctx.cues[-1:])] + [ctx.t(x) for x in ctx.rng.sample(B.skill_fill, 5)],
        *LENGTHS["skills_and_expertise"],
    )
    return text, [cap(i) for i in dict.fromkeys(items)][:12]


def _hobbies(ctx: _Ctx) -> tuple[str, list[str]]:
    band = "old" if ctx.age >= 65 else ("mid" if ctx.age >= 35 else "young")
    pool = list(B.hobby_items[band]) + list(B.hobby_items["rural" if ctx.rural else "urban"])
    ctx.rng.shuffle(pool)
    items = pool[: ctx.rng.randint(5, 8)]
    parts = [
        ctx.t(ctx.pick(B.hobby_open), a=items[0], b=items[1]),
        ctx.t(ctx.pick(B.hobby_mid), a=items[2]),
        ctx.t(ctx.pick(B.hobby_mid2), a=items[3]),
        ctx.t(ctx.pick(B.hobby_friction)),
    ]
    for a in ctx.anchors[-1:]:
        parts.append(_anchor_line(ctx, a, B.anchor_short))
    text = _compose(
        parts,
        [_cue_line(ctx, ctx.cues[1:3])] + [ctx.t(x) for x in ctx.rng.sample(B.hobby_fill, 5)],
        *LENGTHS["hobbies_and_interests"],
    )
    return text, [cap(i) for i in dict.fromkeys(items)]


def _career(ctx: _Ctx) -> str:
    g = ctx.group()
    key = g
    if g.startswith("employed"):
        key = "employed_young" if ctx.age < 35 else ("employed_late" if ctx.age >= 55 else "employed_mid")
    parts = [ctx.t(s) for s in ctx.rng.sample(B.career[key], 3)]
    parts.append(ctx.t(ctx.pick(B.career_doubt[key if key in B.career_doubt else "any"])))
    for c in ctx.constraints[1:2]:
        parts.append(_constraint_line(ctx, c))
    fill = [ctx.t(x) for x in ctx.rng.sample(B.career_fill, 7)]
    return _compose(parts, fill, *LENGTHS["career_goals_and_ambitions"])


def write_fields(spec: dict) -> dict:
    """Narrate one persona: spec = {"core", "plan", "repair_hint", "attempt"} -> the 12 narrative fields."""
    core = spec["core"]
    plan = spec["plan"]
    attempt = int(spec.get("attempt") or 1)
    ctx = _Ctx(core, plan, attempt, spec.get("repair_hint"))
    move = plan.get("opening_move") or "situational_hook"
    # the cultural background opens with the same move but its own variant; anchors go there first
    cultural = _cultural(ctx, move)
    ctx.used.clear()
    persona = _persona(ctx, move)
    skills, skills_list = _skills(ctx)
    hobbies, hobbies_list = _hobbies(ctx)
    return {
        "persona": persona,
        "professional_persona": _professional(ctx),
        "sports_persona": _sports(ctx),
        "arts_persona": _arts(ctx),
        "travel_persona": _travel(ctx),
        "culinary_persona": _culinary(ctx),
        "cultural_background": cultural,
        "skills_and_expertise": skills,
        "hobbies_and_interests": hobbies,
        "career_goals_and_ambitions": _career(ctx),
        "skills_and_expertise_list": skills_list,
        "hobbies_and_interests_list": hobbies_list,
    }


def answer(spec: dict) -> str:
    """JSON text of the offline narrator's answer to one call's spec (`prompts.build_spec`: core, plan,
    repair hint, attempt), which reaches the litellm provider with the call, never inside the prompt."""
    return json.dumps(write_fields(spec), ensure_ascii=False)
