"""Validators of one narrated record: pure functions returning (score 0-1, hint).

Direction of each score (thresholds live in config.ValidatorThresholds):
- trait_leak          1 = Big Five trait names/scores leak into the text (bad); pass when <= max (0).
- opening_variation   1 = the opening follows the planned move and is not a stock opener; pass when >= min.
- pollyanna           share of positive among sentiment words (1 = relentlessly positive). Healthy
                      0.5-0.7 (metrics spec); pass when <= max (0.85, the spec's critical bound).
- anchor_specificity  share of planned anchors that appear literally; pass when >= min.
- length              share of fields within their length targets (0 if any field exceeds 3x its
                      maximum: runaway output); pass when >= min.
- language            Romanian-ness of the worst text field (stopwords vs English/Russian, Cyrillic,
                      diacritics); pass when >= min.
- consistency         1 = no contradiction of the core (age, gender agreement, marital status, education,
                      locality/raion present); each contradiction costs 0.34, a missing place 0.25.
The hint is a Romanian instruction for the repair prompt (None when the score is perfect); the detail
says the same for people reading the attempt log: which field, what was found (English, short).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from moldova_personas.narration.answer import LENGTH_BOUNDS, AnswerError, parse_answer
from moldova_personas.narration.prompts import OPENING_HINTS_RO
from moldova_personas.schema import NARRATIVE_LIST_FIELDS, NARRATIVE_TEXT_FIELDS

VALIDATORS = (
    "trait_leak",
    "opening_variation",
    "pollyanna",
    "anchor_specificity",
    "length",
    "language",
    "consistency",
)
# Validators whose score must stay BELOW the threshold (all others must reach it).
UPPER_BOUNDED = ("trait_leak", "pollyanna")

# Acceptance bounds per field (characters, or items for lists): the answer schema's (answer.py).
LENGTH_TARGETS: dict[str, tuple[int, int]] = dict(LENGTH_BOUNDS)


@dataclass(frozen=True)
class Check:
    """Result of one validator."""

    score: float
    hint: str | None = None
    detail: str | None = None


def norm(text: str) -> str:
    """Lowercase, cedilla forms unified (ş->ș, ţ->ț), NFC."""
    text = unicodedata.normalize("NFC", text or "").lower()
    return text.replace("ş", "ș").replace("ţ", "ț")


_FOLD = str.maketrans("ăâîșțşţ", "aaistst")


def fold(text: str) -> str:
    """norm() without diacritics, for lenient matching."""
    return norm(text).translate(_FOLD)


WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.U)


def words(text: str) -> list[str]:
    """Lowercased word tokens."""
    return WORD_RE.findall(norm(text))


def _texts(fields: Mapping[str, Any]) -> dict[str, str]:
    return {f: str(fields.get(f) or "") for f in NARRATIVE_TEXT_FIELDS}


def _all_text(fields: Mapping[str, Any]) -> str:
    parts = list(_texts(fields).values())
    for f in NARRATIVE_LIST_FIELDS:
        parts.extend(str(v) for v in fields.get(f) or [])
    return "\n".join(parts)


class _Doc:
    """One record normalised and tokenised once, shared by every validator of `run_validators`."""

    __slots__ = ("field_tokens", "normed", "raw", "text", "tokens")

    def __init__(self, fields: Mapping[str, Any]) -> None:
        self.raw = _texts(fields)
        self.normed = {name: norm(text) for name, text in self.raw.items()}
        items = [norm(str(v)) for f in NARRATIVE_LIST_FIELDS for v in fields.get(f) or []]
        self.text = "\n".join([*self.normed.values(), *items])
        self.field_tokens = {name: WORD_RE.findall(text) for name, text in self.normed.items()}
        self.tokens = [t for toks in self.field_tokens.values() for t in toks]
        for item in items:
            self.tokens.extend(WORD_RE.findall(item))


# --- trait_leak ------------------------------------------------------------------------------------
TRAIT_PATTERNS = re.compile(
    r"\b(deschidere (?:către|spre|la) (?:experiență|experiențe|nou)|conștiinciozitate|conștiinciozității|"
    r"extraversiune|extraversie|extravertit[ăa]?|introvertit[ăa]?|agreabilitate|agreabilității|nevrotism|"
    r"neuroticism|stabilitate emoțională|big five|cei cinci factori|openness|conscientiousness|extraversion|"
    r"agreeableness|scor(?:ul)? t|t-scor|t score|trăsătur[ăi]\w* de personalitate|"
    r"(?:nivel|scor) (?:foarte )?(?:scăzut|ridicat|mediu) de \w+)\b",
    re.I,
)
# Run on norm()-ed (lowercase) text: no re.I, and only when one of these literals occurs at all.
_TRAIT_RE = re.compile(TRAIT_PATTERNS.pattern)
_TRAIT_LITERALS = (
    "deschidere", "conștiincioz", "extrav", "introvert", "agreabil", "nevrot", "neurotic", "stabilitate",
    "big five", "cinci factori", "openness", "conscientious", "agreeable", "scor", "t score", "trăsătur",
    "nivel",
)  # fmt: skip


def trait_leak(fields: Mapping[str, Any]) -> Check:
    """1 when Big Five trait names, scores or psychometric labels appear in the text."""
    return _trait_leak(_Doc(fields))


def _trait_leak(doc: _Doc) -> Check:
    text = doc.text
    if not any(lit in text for lit in _TRAIT_LITERALS):
        return Check(0.0)
    hits = sorted({m.group(0) for m in _TRAIT_RE.finditer(text)})
    if not hits:
        return Check(0.0)
    return Check(
        min(1.0, len(hits) / 2 + 0.5),
        "Elimină numele trăsăturilor de personalitate și etichetele psihologice ("
        + ", ".join(hits[:5])
        + "); arată personalitatea doar prin fapte și alegeri.",
        f"trait names or scores in the text: {', '.join(hits[:5])}",
    )


# --- opening_variation ----------------------------------------------------------------------------
def _stock_opener(first: str, core: Mapping[str, Any]) -> bool:
    name = norm(str(core.get("first_name") or ""))
    t = norm(first)
    patterns = [
        r"^(?:aceasta|acesta|iată|acest portret|persoana|personajul|el|ea) (?:este|e)\b",
        r"^(?:s-a născut|născut[ăa]? în|în vârstă de|are \d+ (?:de )?ani)",
        r"^(?:un|o) (?:bărbat|femeie|tânăr|tânără|pensionar|pensionară) (?:de|din)\b",
    ]
    if name:
        patterns.append(
            rf"^{re.escape(name)}(?: {re.escape(norm(str(core.get('last_name') or '')))})?"
            r",? (?:este|e|are \d+) "
        )
    return any(re.search(p, t) for p in patterns)


def _first_sentence(text: str) -> str:
    text = text.strip()
    match = re.search(r"^(.+?[.!?…])(?:\s|$)", text, re.S)
    return (match.group(1) if match else text)[:300]


MOVE_CHECKS = {
    "question": lambda s: "?" in s,
    "rhetorical_question": lambda s: "?" in s,
    "quote": lambda s: bool(re.match(r"^\s*[„\"«—–-]", s)),
    "dialogue": lambda s: bool(re.match(r"^\s*[„\"«—–-]", s)),
}


def opening_variation(fields: Mapping[str, Any], core: Mapping[str, Any], plan: Mapping[str, Any]) -> Check:
    """1 when 'persona' opens with the planned move and not with a stock opener ('X este un...').

    Repetition across records is measured downstream (opening entropy in the marts), so that this
    check stays pure and a re-run reproduces the same repair prompts.
    """
    first = _first_sentence(str(fields.get("persona") or ""))
    move = str(plan.get("opening_move") or "")
    if not first:
        return Check(
            0.0,
            "Câmpul „persona” lipsește; scrie-l începând cu mișcarea de deschidere cerută.",
            "persona is empty",
        )
    score, hints, details = 1.0, [], []
    if _stock_opener(first, core):
        score -= 0.6
        hints.append("nu începe cu o formulă generică de tipul „Nume este un/o...” sau „S-a născut...”")
        details.append("persona opens with a stock phrase")
    check = MOVE_CHECKS.get(move)
    if check is not None and not check(first):
        score -= 0.4
        hints.append(f"prima frază trebuie să fie {OPENING_HINTS_RO.get(move, 'deschiderea cerută')}")
        details.append(f"persona's first sentence does not follow the opening move {move}")
    if not hints:
        return Check(1.0)
    return Check(max(0.0, score), "În câmpul „persona”: " + "; ".join(hints) + ".", "; ".join(details))


# --- pollyanna ------------------------------------------------------------------------------------
POSITIVE_STEMS = (
    "minunat",
    "extraordinar",
    "excepțional",
    "perfect",
    "fericit",
    "fericir",
    "bucuros",
    "bucuri",
    "pasionat",
    "pasiune",
    "iubește",
    "iubit",
    "adoră",
    "frumos",
    "frumoas",
    "remarcabil",
    "admirabil",
    "strălucit",
    "fantastic",
    "impecabil",
    "încântat",
    "mulțumit",
    "mulțumir",
    "optimist",
    "entuziasm",
    "inspira",
    "talentat",
    "genial",
    "uimitor",
    "splendid",
    "desăvârșit",
    "armonie",
    "armonios",
    "împlinit",
    "împlinir",
    "prosper",
    "reușit",
    "succes",
    "mândru",
    "mândr",
    "apreciat",
    "respectat",
    "dedicat",
    "devotat",
    "senin",
    "cald",
    "caldă",
    "generos",
    "generoas",
    "vesel",
    "radiant",
    "zâmbet",
    "zâmbitor",
    "bucurie",
    "iubire",
    "dragoste",
    "plăcere",
    "încredere",
    "liniștit",
    "echilibrat",
    "frumusețe",
    "neobosit",
    "neprețuit",
)
NEGATIVE_STEMS = (
    "greu",
    "grea",
    "greut",
    "dificil",
    "obosit",
    "oboseal",
    "lipsă",
    "lipsa",
    "lipsi",
    "datori",
    "îngrijor",
    "frustr",
    "teamă",
    "teama",
    "frică",
    "problem",
    "stres",
    "scump",
    "costisitor",
    "renunț",
    "amân",
    "grij",
    "boal",
    "bolnav",
    "durer",
    "doare",
    "singur",
    "pierd",
    "pierdu",
    "șomaj",
    "nemulțumi",
    "neplăc",
    "critic",
    "ezit",
    "enerv",
    "irit",
    "anxi",
    "neliniș",
    "supăr",
    "trist",
    "regret",
    "tensiun",
    "conflict",
    "ceart",
    "dor ",
    "dorul",
    "plecat",
    "emigr",
    "sărăc",
    "nesigur",
    "incert",
    "compromis",
    "sacrific",
    "rigid",
    "încăpățân",
    "nerăbd",
    "întârzi",
    "refuz",
    "plictis",
    "epuiz",
    "nu-și permite",
    "nu își permite",
    "lent",
    "puțin",
    "insuficient",
    "modest",
    "strâmtor",
    "restrâns",
    "nerezolvat",
    "limit",
)

_NEG_WORD_STEMS = tuple(s for s in NEGATIVE_STEMS if " " not in s)
_NEG_PHRASES = tuple(s for s in NEGATIVE_STEMS if " " in s)


def _by_prefix(stems: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for stem in stems:
        out.setdefault(stem[:4], []).append(stem)
    return {k: tuple(v) for k, v in out.items()}


# every stem has >= 4 letters: a token can only start with the stems sharing its first 4 letters
_POS_BY4 = _by_prefix(POSITIVE_STEMS)
_NEG_BY4 = _by_prefix(_NEG_WORD_STEMS)


def pollyanna(fields: Mapping[str, Any]) -> Check:
    """Share of positive among sentiment-bearing words (1 = only positive, 0.5 = balanced)."""
    return _pollyanna(_Doc(fields))


def _pollyanna(doc: _Doc) -> Check:
    pos = neg = 0
    for w, n in Counter(doc.tokens).items():
        key = w[:4]
        stems = _POS_BY4.get(key)
        if stems and w.startswith(stems):
            pos += n
        stems = _NEG_BY4.get(key)
        if stems and w.startswith(stems):
            neg += n
    text = doc.text
    neg += sum(text.count(s) for s in _NEG_PHRASES)
    # Laplace prior of one word each way: a short neutral text scores 0.5.
    score = (pos + 1) / (pos + neg + 2)
    if score <= 0.7:
        return Check(round(score, 4))
    return Check(
        round(score, 4),
        "Tonul e prea idealizat: redu superlativele și laudele, arată și greutăți concrete, compromisuri și "
        "consecințele constrângerilor în viața de zi cu zi.",
        f"{pos} positive vs {neg} negative sentiment words (positive share {score:.2f})",
    )


# --- anchor_specificity ---------------------------------------------------------------------------
def planned_anchors(plan: Mapping[str, Any]) -> list[str]:
    """Anchor strings of the plan."""
    out = []
    for anchor in plan.get("anchors") or []:
        if isinstance(anchor, Mapping):
            anchor = anchor.get("text") or anchor.get("anchor") or anchor.get("name") or anchor.get("value")
        if anchor:
            out.append(str(anchor))
    return out


def anchors_present(fields: Mapping[str, Any], plan: Mapping[str, Any]) -> list[str]:
    """Planned anchors found literally (case- and cedilla-insensitive) in the text."""
    return _anchors_present(_Doc(fields), plan)


def _anchors_present(doc: _Doc, plan: Mapping[str, Any]) -> list[str]:
    return [a for a in planned_anchors(plan) if norm(a) in doc.text]


def anchor_specificity(fields: Mapping[str, Any], plan: Mapping[str, Any]) -> Check:
    """Share of planned anchors that appear literally."""
    return _anchor_specificity(_Doc(fields), plan)


def _anchor_specificity(doc: _Doc, plan: Mapping[str, Any]) -> Check:
    anchors = planned_anchors(plan)
    if not anchors:
        return Check(1.0)
    present = _anchors_present(doc, plan)
    missing = [a for a in anchors if a not in present]
    if not missing:
        return Check(1.0)
    return Check(
        round(len(present) / len(anchors), 4),
        "Folosește literal, exact cum sunt scrise, ancorele lipsă: "
        + ", ".join(f"„{a}”" for a in missing)
        + ".",
        "planned anchors missing: " + ", ".join(f"„{a}”" for a in missing),
    )


# --- length ---------------------------------------------------------------------------------------
def length(fields: Mapping[str, Any], targets: Mapping[str, tuple[int, int]] = LENGTH_TARGETS) -> Check:
    """Share of fields within their targets (characters for texts, items for lists)."""
    bad, details, runaway = [], [], False
    for name, (low, high) in targets.items():
        value = fields.get(name)
        size = len(value or []) if name.endswith("_list") else len(str(value or "").strip())
        if not low <= size <= high:
            unit = "elemente" if name.endswith("_list") else "caractere"
            bad.append(f"„{name}” are {size} {unit}, ținta este {low}-{high}")
            unit_en = "items" if name.endswith("_list") else "chars"
            bound = f"> max {high}" if size > high else f"< min {low}"
            details.append(f"{name} {size} {unit_en} {bound}" + (" (runaway)" if size > 3 * high else ""))
            runaway = runaway or size > 3 * high  # runaway generation: fail the record outright
    score = 0.0 if runaway else 1 - len(bad) / len(targets)
    if not bad:
        return Check(round(score, 4))
    return Check(round(score, 4), "Ajustează lungimile: " + "; ".join(bad) + ".", "; ".join(details))


# --- language -------------------------------------------------------------------------------------
RO_STOP = frozenset(
    [
        "și",
        "în",
        "de",
        "la",
        "cu",
        "pe",
        "este",
        "un",
        "o",
        "care",
        "din",
        "pentru",
        "nu",
        "se",
        "să",
        "mai",
        "ca",
        "a",
        "al",
        "ale",
        "lui",
        "ei",
        "sau",
        "dar",
        "când",
        "după",
        "fost",
        "are",
        "sunt",
        "acest",
        "această",
        "își",
        "îi",
        "îl",
        "le",
        "din",
        "spre",
        "până",
        "doar",
        "prin",
        "fiecare",
        "foarte",
        "mult",
        "când",
        "unde",
        "cum",
        "ce",
        "iar",
        "ori",
        "tot",
        "toate",
        "acum",
        "încă",
        "deja",
        "lor",
        "sa",
        "său",
        "sale",
        "ani",
        "zi",
        "casă",
        "satul",
        "orașul",
        "fiindcă",
        "pentru",
        "deși",
        "avea",
        "era",
        "au",
        "fi",
    ]
)
EN_STOP = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "in",
        "is",
        "with",
        "for",
        "that",
        "his",
        "her",
        "he",
        "she",
        "it",
        "was",
        "on",
        "as",
        "at",
        "by",
        "from",
        "this",
        "an",
        "be",
        "are",
        "has",
        "have",
        "had",
        "who",
        "which",
        "their",
        "they",
        "not",
        "but",
        "or",
        "works",
        "lives",
        "loves",
        "year",
        "years",
    ]
)
RU_STOP = frozenset(
    [
        "и",
        "в",
        "не",
        "на",
        "что",
        "с",
        "по",
        "это",
        "как",
        "он",
        "она",
        "его",
        "её",
        "из",
        "для",
        "же",
        "от",
        "за",
    ]
)
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
RO_DIACRITICS = re.compile(r"[ăâîșț]")


def language_score(text: str) -> float:
    """Romanian-ness of one text: stopword share vs English/Russian, Cyrillic and diacritics penalties."""
    return _language_score(words(text), len(text), norm(text))


def _language_score(toks: list[str], raw_len: int, normed: str) -> float:
    if len(toks) < 5:
        return 1.0
    ro = sum(1 for w in toks if w in RO_STOP)
    en = sum(1 for w in toks if w in EN_STOP)
    cyr_words = sum(1 for w in toks if CYRILLIC.search(w))
    ru = sum(1 for w in toks if w in RU_STOP) + cyr_words
    score = (ro + 0.5) / (ro + en + ru + 1)
    if raw_len > 150 and not RO_DIACRITICS.search(normed):
        score *= 0.8  # Romanian written without diacritics
    return round(min(1.0, score), 4)


def language(fields: Mapping[str, Any]) -> Check:
    """Worst Romanian-ness over the text fields."""
    return _language(_Doc(fields))


def _language(doc: _Doc) -> Check:
    scores = {
        name: _language_score(doc.field_tokens[name], len(text), doc.normed[name])
        for name, text in doc.raw.items()
    }
    worst = min(scores, key=scores.get)
    if scores[worst] >= 0.9:
        return Check(scores[worst])
    weak = sorted((s, name) for name, s in scores.items() if s < 0.9)
    detail = ", ".join(f"{name} {s:.2f} ({_what_language(doc, name)})" for s, name in weak[:4])
    return Check(
        scores[worst],
        f"Scrie totul în limba română literară, cu diacritice; câmpul „{worst}” nu pare scris în română.",
        f"Romanian score < 0.9 in {len(weak)} field(s): {detail}{', ...' if len(weak) > 4 else ''}",
    )


def _what_language(doc: _Doc, name: str) -> str:
    """What a field that does not read as Romanian looks like, for the log."""
    toks = doc.field_tokens[name]
    if sum(1 for w in toks if CYRILLIC.search(w)) > len(toks) / 4:
        return "Cyrillic"
    if sum(1 for w in toks if w in EN_STOP) > sum(1 for w in toks if w in RO_STOP):
        return "English words"
    if not RO_DIACRITICS.search(doc.normed[name]):
        return "no diacritics"
    return "few Romanian function words"


# --- consistency ----------------------------------------------------------------------------------
GENDERED = (
    ("născut", "născută"),
    ("căsătorit", "căsătorită"),
    ("pensionat", "pensionată"),
    ("divorțat", "divorțată"),
    ("mutat", "mutată"),
    ("angajat", "angajată"),
    ("stabilit", "stabilită"),
    ("crescut", "crescută"),
    ("obișnuit", "obișnuită"),
    ("mândru", "mândră"),
    ("pasionat", "pasionată"),
    ("convins", "convinsă"),
    ("hotărât", "hotărâtă"),
    ("nevoit", "nevoită"),
    ("dornic", "dornică"),
    ("atent", "atentă"),
    ("ocupat", "ocupată"),
    ("obosit", "obosită"),
    ("văduv", "văduvă"),
    ("implicat", "implicată"),
    ("preocupat", "preocupată"),
    ("format", "formată"),
    ("singur", "singură"),
    ("întors", "întoarsă"),
    ("rămas", "rămasă"),
    ("plecat", "plecată"),
    ("retras", "retrasă"),
    ("calificat", "calificată"),
    ("specializat", "specializată"),
    ("încăpățânat", "încăpățânată"),
    ("ambițios", "ambițioasă"),
    ("meticulos", "meticuloasă"),
    ("pensionar", "pensionară"),
    ("șomer", "șomeră"),
)
COPULA = r"(?:este|e|era|fiind|a fost|fusese|a rămas|rămâne|a devenit|devenise|se simte|pare|părea)"
SPOUSE = re.compile(r"\b(?:soțul|soția|soțului|soției|soț|soție)\b")
EX_SPOUSE = re.compile(
    r"\b(?:fostul soț|fosta soție|fostului soț|fostei soții|răposatul|răposata|regretatul|regretata|"
    r"defunctul|defuncta)\b"
)
HIGHER_ED = re.compile(
    r"\b(?:a absolvit|absolvent[ăa]?|licențiat[ăa]?|diploma de)\b[^.]{0,60}\b(?:facultat|universit"
    r"|licenț|masterat|doctorat|academi)"
)
AGE_RE = re.compile(
    r"\b(?:are|avea acum|în vârstă de|la cei|împlinit|împlinește)\s+(\d{2,3})\s*(?:de\s+)?ani\b"
)


_WRONG_WORDS = {
    "female": frozenset(m for m, _ in GENDERED),
    "male": frozenset(f for _, f in GENDERED),
}
# the optional word between copula and adjective is never an article: "e o singură dată" is no agreement
_COPULA_BEFORE = re.compile(rf"(?<![\w-]){COPULA}\s+(?:(?!(?:o|un|una|unui|unei)\s)\w+\s+)?$")
# Compound perfect ("perfectul compus"): the participle after the auxiliary never agrees
# ("Doina s-a născut", never "s-a născută"); the feminine form is only an adjective ("e născută").
_PARTICIPLES_F = frozenset(
    f for _, f in GENDERED if f.endswith(("tă", "să")) and f not in ("mândră", "dornică", "văduvă")
)
_AUX_BEFORE = re.compile(
    r"(?<![\w-])(?:s-a|s-au|și-a|și-au|a|au|am|ai|ați|ne-am|v-ați)\s+(?:mai\s+|și\s+|tot\s+)?$"
)


def _hits_after(text: str, tokens: set[str], wanted: frozenset[str], before: re.Pattern[str]) -> list[str]:
    """Words of `wanted` in `text` whose preceding 60 characters end with the `before` pattern."""
    hits = []
    for word in tokens & wanted:
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            if (
                (start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "-"))
                and (end == len(text) or not (text[end].isalnum() or text[end] == "-"))
                and before.search(text, max(0, start - 60), start)
            ):
                hits.append(word)
                break
            start = text.find(word, end)
    return sorted(hits)


def consistency(fields: Mapping[str, Any], core: Mapping[str, Any]) -> Check:
    """Q&A-style contradiction check of the text against the core."""
    return _consistency(_Doc(fields), core)


def _consistency(doc: _Doc, core: Mapping[str, Any]) -> Check:
    text = doc.text
    token_set = set(doc.tokens)
    problems: list[str] = []
    details: list[str] = []
    # Age stated
    age = int(core.get("age") or 0)
    for match in AGE_RE.finditer(text):
        stated = int(match.group(1))
        if age and abs(stated - age) > 1:
            problems.append(f"vârsta declarată {stated} contrazice vârsta reală de {age} ani")
            details.append(f"age {stated} stated, {age} in the core")
            break
    # Gender agreement after a copula (participles/adjectives about the person)
    sex = core.get("sex")
    if sex in ("female", "male"):
        hits = _hits_after(text, token_set, _WRONG_WORDS[sex], _COPULA_BEFORE)
        # a feminine subject can still say "s-a născut" etc. only with -ă; masculine forms after the
        # person's own copula are the error. Drop hits inside a sentence about another person.
        hits = [h for h in hits if not _about_other_person(text, h)]
        if hits:
            gen = "feminin" if sex == "female" else "masculin"
            problems.append(f"acord greșit de gen ({', '.join(hits[:4])}); persoana este de gen {gen}")
            details.append(f"gender agreement: {', '.join(hits[:4])} for a {sex} person")
    compound = _hits_after(text, token_set, _PARTICIPLES_F, _AUX_BEFORE)
    if compound:
        problems.append(
            "la perfectul compus participiul nu se acordă: „s-a născut”, „s-a mutat”, nu „s-a "
            + compound[0]
            + "”"
        )
        details.append(f"agreeing participle in a compound perfect: {compound[0]}")
    # Marital status
    marital = core.get("marital_status")
    if marital == "never_married" and (SPOUSE.search(text) or EX_SPOUSE.search(text)):
        problems.append("persoana nu a fost niciodată căsătorită, dar textul pomenește un soț/o soție")
        details.append("a spouse for a never-married person")
    # Education
    if core.get("education_level") in ("none", "primary", "lower_secondary") and HIGHER_ED.search(text):
        problems.append(
            f"textul pomenește studii superioare, dar persoana are studii {core.get('education_level')}"
        )
        details.append(f"higher education for education_level {core.get('education_level')}")
    # Employment
    if core.get("employment_status") == "retired" and re.search(r"\bnu (?:este|e) încă la pensie\b", text):
        problems.append("persoana este pensionară, dar textul spune că nu e la pensie")
        details.append("a retired person said not to be retired")
    score = 1.0 - 0.34 * len(problems)
    # Place
    place_terms = [core.get("locality"), core.get("raion")]
    place_terms = [fold(str(p)).split(" (")[0] for p in place_terms if p]
    place_hint = None
    if place_terms and not any(_place_in(p, text, normed=True) for p in place_terms):
        score -= 0.25
        place_hint = f"menționează localitatea ({core.get('locality')}) sau raionul ({core.get('raion')})"
        details.append(f"neither locality {core.get('locality')} nor raion {core.get('raion')} named")
    if not problems and place_hint is None:
        return Check(1.0)
    hint_parts = problems + ([place_hint] if place_hint else [])
    return Check(
        round(max(0.0, score), 4),
        "Corectează neconcordanțele cu datele persoanei: " + "; ".join(hint_parts) + ".",
        "; ".join(details),
    )


_FOLD_CLASS = {"a": "[aăâ]", "i": "[iî]", "s": "[sșş]", "t": "[tțţ]"}


@lru_cache(maxsize=4096)
def _place_re(place: str) -> re.Pattern[str] | None:
    for prefix in ("municipiul ", "mun. ", "orașul ", "or. ", "satul ", "s. ", "comuna ", "raionul ", "r. "):
        if place.startswith(prefix):
            place = place[len(prefix) :]
    place = place.strip()
    if not place:
        return None
    stem = place[: max(4, len(place) - 2)]
    return re.compile("".join(_FOLD_CLASS.get(ch, re.escape(ch)) for ch in stem))


def _place_in(place: str, text: str, normed: bool = False) -> bool:
    """`place` (folded) occurs in `text` (folded, or norm()-ed with diacritics when `normed`)."""
    pattern = _place_re(place)
    if pattern is None:
        return False
    return bool(pattern.search(text if normed else fold(text)))


def _about_other_person(text: str, word: str) -> bool:
    """True when every sentence containing `word` also names a relative (the subject is someone else)."""
    relatives = re.compile(
        r"\b(?:soț|soți|fiu|fiul|fiica|fiică|frate|fratele|sora|tată|tatăl|mama|mamă|bunic|"
        r"bunica|nepot|nepoat|vecin|vecina|prieten|prietena|copil|copiii|coleg|colega)\w*"
    )
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if re.search(rf"\b{re.escape(word)}\b", s)]
    return bool(sentences) and all(relatives.search(s) for s in sentences)


# --- all ------------------------------------------------------------------------------------------
def run_validators(
    fields: Mapping[str, Any], core: Mapping[str, Any], plan: Mapping[str, Any]
) -> dict[str, Check]:
    """Every validator on one record."""
    doc = _Doc(fields)
    return {
        "trait_leak": _trait_leak(doc),
        "opening_variation": opening_variation(fields, core, plan),
        "pollyanna": _pollyanna(doc),
        "anchor_specificity": _anchor_specificity(doc, plan),
        "length": length(fields),
        "language": _language(doc),
        "consistency": _consistency(doc, core),
    }


def failing(checks: Mapping[str, Check], thresholds: Any) -> list[str]:
    """Names of validators that miss their threshold (thresholds: config.ValidatorThresholds)."""
    failed = []
    for name, check in checks.items():
        if name in UPPER_BOUNDED:
            if check.score > getattr(thresholds, f"{name}_max"):
                failed.append(name)
        elif check.score < getattr(thresholds, f"{name}_min"):
            failed.append(name)
    return failed


def repair_hint(checks: Mapping[str, Check], failed: list[str]) -> str:
    """Hints of the failing validators, one per line."""
    return "\n".join(f"- {checks[name].hint or name}" for name in failed)


def describe(checks: Mapping[str, Check], failed: list[str]) -> str:
    """Field-level reasons of the failing validators for the attempt log, e.g.
    'length: cultural_background 51272 chars > max 2800 (runaway); language: not Romanian: ...'."""
    return "; ".join(
        f"{name}: {checks[name].detail}" if checks[name].detail else name for name in failed if name in checks
    )


def evaluate(
    text: str, core: Mapping[str, Any], plan: Mapping[str, Any], thresholds: Any
) -> tuple[dict[str, Any] | None, dict[str, Check], list[str], str | None, list[str], str | None]:
    """Parse and validate one completion (runs in the worker pool).

    Returns (fields or None, checks, failed validators, repair hint, anchors used, parse error); the parse
    error names every problem of the answer's shape, field by field (missing, extra, wrong type, not JSON).
    """
    try:
        fields = parse_answer(text)
    except AnswerError as exc:
        return None, {}, ["format"], None, [], str(exc)
    checks = run_validators(fields, core, plan)
    failed = failing(checks, thresholds)
    hint = repair_hint(checks, failed) if failed else None
    return fields, checks, failed, hint, _anchors_present(_Doc(fields), plan), None
