"""Rebuild seeds/reference/names_first.csv and names_last.csv from the cited name sources.

Run from the repository root (needs ../shared/reference_sources beside the clone):

    python scripts/build_name_seeds.py

Inputs and what is taken from each (full provenance in seeds/reference/_reference__seeds.yml):
- ../shared/reference_sources/first_names_jmichael_freq_class_md_ro_ru_ua_bg.csv: frequency class of each
  first name in Moldova (MD), Romania (RO), Russia (RU), Ukraine (UA) and Bulgaria (BG) (J. Michael 2007);
- ../shared/reference_sources/first_name_register_count_anchors_moldova.csv: register counts (Ion, Vasile,
  Gheorghe, Ivan, Vasilița, ...), which replace the class midpoint where they exist;
- ../shared/reference_sources/surnames_moldova_top15.csv: bearers of the 15 most common surnames;
- scripts/name_sources/zhuravlev_2005_russian_surnames.csv: Zhuravlev (2005) 500 most frequent Russian
  surnames, male and female forms, frequency relative to Smirnov (R package rulexicon, public domain);
- scripts/name_sources/faker_40_54_0_person_lists.csv: Cyrillic first names (ru_RU, uk_UA) and Ukrainian
  surnames (uk_UA, from uk.wikipedia "Категорія:Українські прізвища") of Faker 40.54.0 (MIT);
- scripts/name_sources/wiktionary_surnames_names_by_culture.csv: Wiktionary categories "Romanian surnames"
  (9,482), "Russian surnames", "Ukrainian surnames" and "Bulgarian surnames" (Cyrillic lemmas), as pulled by
  GitHub jgwoolley/Names-by-Culture (Apache-2.0; Wiktionary text CC BY-SA); no frequencies: tail weights;
- scripts/name_sources/first_name_spelling_map.csv: source spellings mapped to Moldovan document spellings.
Curated inventories with no frequency table (more Moldovan, Gagauz and Roma surnames) are assumption seeds
(seeds/assumptions/assumption_surnames_curated.csv) and are combined in dbt, not here.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "scripts" / "name_sources"
SHARED = ROOT.parent / "shared" / "reference_sources"
if not SHARED.exists():
    SHARED = Path("/work/shared/reference_sources")

# Assumed number of male and female records in the population register (about 3.4 million records,
# about half of each sex); only used to turn the quoted register counts into shares.
REGISTER_PER_SEX = 1_700_000


def class_share_pct(freq_class: int) -> float:
    """Geometric midpoint of J. Michael's class band: class 7 = 0.25-0.5 %, doubling per class."""
    return 0.25 * math.sqrt(2) * 2.0 ** (int(freq_class) - 7)


# -- Cyrillic to the Romanian-alphabet spelling used in Moldovan documents -----------------------

_SIMPLE = {
    "а": "a",
    "б": "b",
    "в": "v",
    "д": "d",
    "з": "z",
    "и": "i",
    "й": "i",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "h",
    "ц": "ț",
    "ш": "ș",
    "щ": "șc",
    "ъ": "",
    "ы": "î",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
    "ё": "io",
    "ж": "j",
    "е": "e",
    "і": "i",
    "ї": "ii",
    "є": "ie",
    "ґ": "g",
    "ʼ": "",
    "'": "",
    "’": "",
}
_FRONT = set("еиіїєэюяё")  # before these, Romanian writes ch/gh and c (not ci) for ч


def cyr_to_ro(word: str) -> str:
    """Transliterate a Russian/Ukrainian name the way Moldovan civil documents write it.

    к -> c (ch before e/i), г -> g (gh before e/i), ч -> c before e/i else ci, кс -> x,
    -ий after к/г -> -i (Covalschi), other -ий -> -ii (Evghenii), я -> ia, ю -> iu.
    """
    w = word.strip().lower()
    w = re.sub(r"(?<=[кг])ий$", "и", w)  # -ский -> -schi, not -schii
    out = []
    i = 0
    while i < len(w):
        ch = w[i]
        nxt = w[i + 1] if i + 1 < len(w) else ""
        if ch == "к" and nxt == "с":
            out.append("x")
            i += 2
            continue
        if ch == "к":
            out.append("ch" if nxt in _FRONT else "c")
        elif ch == "г":
            out.append("gh" if nxt in _FRONT else "g")
        elif ch == "ч":
            out.append("c" if nxt in _FRONT else "ci")
        elif ch == "я" and i > 0 and w[i - 1] not in "аеёиоуыэюяіїєьъ" and nxt:
            out.append("ea")  # Вячеслав -> Veaceslav, Рябов -> Reabov (final я stays ia: Илья -> Ilia)
        elif ch in ("ь", "ъ") and nxt in ("я", "ю", "е", "ё", "и"):
            out.append("")  # Наталья -> Natalia, Ильич -> Ilici
        else:
            out.append(_SIMPLE.get(ch, ch))
        i += 1
    s = re.sub(r"ii(?=[aeou])", "i", "".join(out)).replace("iii", "ii")  # Мария -> Maria; Андріїшин
    return s[:1].upper() + s[1:]


def match_key(name: str) -> str:
    """Loose key for matching one name across transliteration systems (Sergey, Sergej, Serghei)."""
    s = unicodedata.normalize("NFKD", name.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    for a, b in (
        ("kh", "h"),
        ("gh", "g"),
        ("ch", "c"),
        ("sch", "sc"),
        ("sh", "s"),
        ("zh", "j"),
        ("ts", "t"),
        ("tz", "t"),
        ("ks", "x"),
        ("k", "c"),
        ("w", "v"),
        ("y", "i"),
        ("j", "i"),
        ("ii", "i"),
    ):
        s = s.replace(a, b)
    return re.sub(r"(.)\1", r"\1", s)


def latin_bg_to_ro(name: str) -> str:
    """Bulgarian name in Latin transliteration (Georgi, Stoyan, Jordanka) to Romanian spelling."""
    s = name.lower()
    for a, b in (
        ("sht", "șt"),
        ("zh", "j"),
        ("sh", "ș"),
        ("ts", "ț"),
        ("tz", "ț"),
        ("ya", "ia"),
        ("yu", "iu"),
        ("ja", "ia"),
        ("ju", "iu"),
        ("y", "i"),
        ("w", "v"),
    ):
        s = s.replace(a, b)
    s = re.sub(r"^j(?=[aou])", "i", s)  # Jordan -> Iordan; Jivko (French-style ж) keeps j
    s = s.replace("j", "i")
    s = re.sub(r"ch(?=[ei])", "c", s)
    s = s.replace("ch", "ci")
    s = re.sub(r"k(?=[ei])", "ch", s)
    s = s.replace("k", "c")
    s = re.sub(r"g(?=[ei])", "gh", s)
    s = re.sub(r"ii(?=[aeou])", "i", s.replace("ss", "s"))  # Mariya -> Maria; Dessislava -> Desislava
    return s[:1].upper() + s[1:]


# -- readers --------------------------------------------------------------------------------------


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def jmichael() -> dict[str, list[dict]]:
    by_country = defaultdict(list)
    for row in read_csv(SHARED / "first_names_jmichael_freq_class_md_ro_ru_ua_bg.csv"):
        by_country[row["country"]].append(row)
    return by_country


def sex_of(code: str) -> str | None:
    code = code.strip()
    if code in ("M", "1M", "?M"):
        return "male"
    if code in ("F", "1F", "?F"):
        return "female"
    return None


# -- first names --------------------------------------------------------------------------------


def moldovan_first(jm: dict) -> list[tuple]:
    """MD list (J. Michael), spellings normalised, register counts where quoted, + RO long tail."""
    spelling = {
        r["source_form"]: r["document_form"] for r in read_csv(SOURCES / "first_name_spelling_map.csv")
    }
    shares: dict[tuple, float] = defaultdict(float)
    notes: dict[tuple, str] = {}
    for row in jm["MD"]:
        sex = sex_of(row["gender_code"])
        name = row["first_name_corrected"] or row["first_name_as_in_source"]
        name = spelling.get(name, name)
        if not sex or not name or (name == "Sava" and sex == "female"):
            continue
        key = (sex, name)
        shares[key] += class_share_pct(int(row["freq_class"]))
        notes[key] = f"JMICHAEL_NAMDICT_2007 MD class {row['freq_class']}: midpoint share"
    anchors = read_csv(SHARED / "first_name_register_count_anchors_moldova.csv")
    for a in anchors:
        sex = a["sex"] if a["sex"] in ("male", "female") else {"M": "male", "F": "female"}.get(a["sex"])
        if a["first_name"] == "Ivan":
            sex = "male"  # quoted without sex; Ivan is a male name
        key = (sex, a["first_name"])
        if sex and key in shares:
            shares[key] = int(a["bearers_count"]) / REGISTER_PER_SEX * 100
            notes[key] = (
                f"{a['source_id']}: register count {a['bearers_count']} ({a['count_qualifier']}) "
                f"/ {REGISTER_PER_SEX:,} records of that sex (assumption)"
            )
    md_keys = {match_key(n) for (_, n) in shares}
    ro_class = {}
    for row in jm["RO"]:
        sex = sex_of(row["gender_code"])
        if sex:
            k = (sex, match_key(row["first_name_as_in_source"]))
            ro_class[k] = max(ro_class.get(k, 0), int(row["freq_class"]))
    faker_ro = _faker_ro_first_names()
    for sex, name in faker_ro:
        if match_key(name) in md_keys:
            continue
        cls = ro_class.get((sex, match_key(name)), 1)
        # Romanian-only names are far rarer in Moldova than in Romania: a quarter of the RO share.
        shares[(sex, name)] = class_share_pct(cls) / 4
        notes[(sex, name)] = (
            f"FAKER_RO_RO (ro.wikipedia Listă de prenume românești); JMICHAEL_NAMDICT_2007 RO class {cls} "
            "midpoint / 4 (assumption: Romania-only name, rarer in Moldova)"
        )
    return [("moldovan", s, n, shares[(s, n)], notes[(s, n)]) for (s, n) in sorted(shares)]


def _faker_ro_first_names() -> list[tuple[str, str]]:
    rows = read_csv(SOURCES / "faker_ro_RO_first_names.csv")
    return [(r["sex"], r["name"]) for r in rows]


def cyrillic_first(jm: dict, list_id: str, country: str, pool: str) -> list[tuple]:
    classes = {}
    for row in jm[country]:
        sex = sex_of(row["gender_code"])
        if sex:
            k = (sex, match_key(row["first_name_as_in_source"]))
            classes[k] = max(classes.get(k, 0), int(row["freq_class"]))
    out = {}
    for row in read_csv(SOURCES / "faker_40_54_0_person_lists.csv"):
        if row["list_id"] != list_id or row["kind"] != "first":
            continue
        sex, name = row["tag"], cyr_to_ro(row["name"])
        cls = classes.get((sex, match_key(name)), 1)
        note = (
            f"FAKER_{list_id[6:].upper()} (Cyrillic list) transliterated; JMICHAEL_NAMDICT_2007 {country} "
            f"class {cls} midpoint"
            + ("" if (sex, match_key(name)) in classes else " (not in the class list: class 1)")
        )
        key = (sex, name)
        share = class_share_pct(cls)
        if key not in out or out[key][0] < share:
            out[key] = (share, note)
    return [(pool, s, n, out[(s, n)][0], out[(s, n)][1]) for (s, n) in sorted(out)]


def bulgarian_first(jm: dict) -> list[tuple]:
    out = {}
    for row in jm["BG"]:
        sex, cls = sex_of(row["gender_code"]), int(row["freq_class"])
        if not sex or cls < 4:  # the long BG tail holds many one-off spellings
            continue
        name = latin_bg_to_ro(row["first_name_as_in_source"])
        share = class_share_pct(cls)
        if (sex, name) not in out or out[(sex, name)][0] < share:
            out[(sex, name)] = (
                share,
                f"JMICHAEL_NAMDICT_2007 BG class {cls} midpoint; Latin -> Romanian spelling",
            )
    return [("bulgarian", s, n, v[0], v[1]) for (s, n), v in sorted(out.items())]


# -- surnames -----------------------------------------------------------------------------------


def moldovan_last() -> list[tuple]:
    rows = read_csv(SHARED / "surnames_moldova_top15.csv")
    return [
        (
            "moldovan",
            r["surname"],
            r["surname"],
            float(r["bearers_count"]),
            f"{r['source_id']}: {r['bearers_count']} bearers (rank {r['rank']}); invariant",
        )
        for r in rows
    ]


def russian_last() -> list[tuple]:
    rows = read_csv(SOURCES / "zhuravlev_2005_russian_surnames.csv")
    male = [r for r in rows if r["sex"] == "male"]
    female = {r["surname"]: r for r in rows if r["sex"] == "female"}
    out = []
    for r in male:
        fem = next((f for f in (r["surname"] + "а",) if f in female), None)
        if fem is None:  # -ой/-ий adjectival forms: Толстой / Толстая
            fem = next((f for f in female if f[:-2] == r["surname"][:-2] and f.endswith("ая")), r["surname"])
        out.append(
            (
                "russian",
                cyr_to_ro(r["surname"]),
                cyr_to_ro(fem),
                float(r["freq"]) * 100_000,
                f"ZHURAVLEV_2005 via rulexicon: frequency {r['freq']} relative to Smirnov (x 100,000)",
            )
        )
    return out


UA_TOP = {  # Ridni genealogical society counts quoted in the press (2023-2025); see the seed yml
    "Мельник": 107_878,
    "Шевченко": 106_340,
    "Коваленко": 88_632,
    "Бойко": 83_195,
}
UA_TOP_ORDER = [
    "Мельник",
    "Шевченко",
    "Коваленко",
    "Бондаренко",
    "Бойко",
    "Ткаченко",
    "Кравченко",
    "Ковальчук",
    "Коваль",
    "Олійник",
]


def ukrainian_female(male: str) -> str:
    for a, b in (("ський", "ська"), ("цький", "цька"), ("зький", "зька"), ("ий", "а"), ("ій", "я")):
        if male.endswith(a) and len(male) > len(a) + 2:
            return male[: -len(a)] + b
    if re.search(r"(ов|ев|єв|ін|ин|їн)$", male):
        return male + "а"
    return male


def ukrainian_last() -> list[tuple]:
    rows = [r for r in read_csv(SOURCES / "faker_40_54_0_person_lists.csv") if r["list_id"] == "faker_uk_UA"]
    female_only = {r["name"] for r in rows if r["kind"] == "last_female"} - {
        r["name"] for r in rows if r["kind"] == "last_male"
    }
    common = {r["name"] for r in rows if r["tag"] == "common"}
    out = {}
    for r in rows:
        name = r["name"]
        if r["kind"] != "last_any" or (name in female_only and name != ukrainian_female(name)):
            continue
        if re.search(r"(ська|цька|зька)$", name):
            continue  # feminine forms are paired with their masculine row
        if name in UA_TOP:
            weight, note = UA_TOP[name], f"RIDNI_2025: {UA_TOP[name]} bearers in Ukraine"
        elif name in UA_TOP_ORDER:
            rank = UA_TOP_ORDER.index(name) + 1
            weight = round(107_878 * rank**-0.17)
            note = f"RIDNI_2025 top-10 rank {rank}, count not quoted: 107,878 x rank^-0.17 (assumption)"
        elif name in common:
            weight, note = (
                15_000,
                "FAKER_UK_UA common list (uk.wikipedia category): 15,000 bearers (assumption)",
            )
        else:
            weight, note = (
                4_000,
                "FAKER_UK_UA (uk.wikipedia Category:Ukrainian surnames): 4,000 bearers (assumption)",
            )
        out[name] = ("ukrainian", cyr_to_ro(name), cyr_to_ro(ukrainian_female(name)), float(weight), note)
    return list(out.values())


# Bulgarian surnames were fixed from a grandfather's or father's given name over several generations,
# alongside nickname and trade surnames (Cara-, -ski, Moldovan and Gagauz forms in Bessarabia), so their
# frequencies are flatter than the given names they come from: a derived share is the given name's share
# to this power (assumption). 0.7 brings Ivanov, the commonest Bulgarian surname (NSI's yearly name
# statistics rank Ivanov/Ivanova, Georgiev/Georgieva, Dimitrov/Dimitrova first), to ~3 % of the pool, as
# the commonest surname of the other pools (Rusu in the Moldovan register list); the raw shares made it 6 %.
BG_SURNAME_FLATTENING = 0.7


def bulgarian_last(jm: dict) -> list[tuple]:
    """Bulgarian surnames are fathers' names + -ov/-ev (Ivanov, Gheorghiev): derived from BG male names,
    their shares flattened (BG_SURNAME_FLATTENING)."""
    out = {}
    for row in jm["BG"]:
        if sex_of(row["gender_code"]) != "male" or int(row["freq_class"]) < 4:
            continue
        given = latin_bg_to_ro(row["first_name_as_in_source"])
        male = _bg_patronymic(given)
        if not male:
            continue
        share = class_share_pct(int(row["freq_class"])) ** BG_SURNAME_FLATTENING
        if male not in out or out[male][3] < share:
            out[male] = (
                "bulgarian",
                male,
                male + "a",
                share,
                f"derived: patronymic of BG male name {given} (JMICHAEL_NAMDICT_2007 BG class "
                f"{row['freq_class']} midpoint share ^ {BG_SURNAME_FLATTENING}); Bulgarian -ov/-ev surnames "
                "take -a for women",
            )
    return list(out.values())


def _bg_patronymic(given: str) -> str | None:
    g = given
    if len(g) < 3 or not g[-1].isalpha():
        return None
    if g.endswith("cio"):
        return g[:-3] + "cev"  # Mincho -> Mincev, Stoicho -> Stoicev
    if g.endswith("ia"):
        return g[:-1] + "ev"  # Ilia -> Iliev
    if re.search(r"[bdgcptv]ar$", g):
        return g[:-2] + "rov"  # Dimitar -> Dimitrov, Petar -> Petrov (the vowel of -ăr drops)
    if g.endswith(("ai", "ei", "ii")):
        return g[:-1] + "ev"  # Nicolai -> Nicolaev
    if g.endswith("i"):
        return g + "ev"  # Gheorghi -> Gheorghiev
    if g.endswith(("a", "o", "e")):
        return g[:-1] + "ov"  # Hristo -> Hristov, Petco? -> Petcov
    if g.endswith(("ci", "ș", "j", "ț")):
        return g + "ev"
    return g + "ov"  # Ivan -> Ivanov, Todor -> Todorov


# Tail weights for inventory-only surnames (bearers per pool, assumption; see the seed yml):
TAIL_WEIGHT = {
    "moldovan": 60.0,  # rare Romanian surname: ~60 bearers; the 9,482 together hold ~15-20 % of the pool
    "russian": 0.009 * 100_000,  # half of the rarest Zhuravlev frequency (0.019 of Smirnov)
    "ukrainian": 4_000.0,  # as the non-common uk.wikipedia names
    "bulgarian": class_share_pct(4) ** BG_SURNAME_FLATTENING,
}
ESCU_FACTOR = 0.2  # -escu surnames are typical of Wallachia; rare in Bessarabia (assumption)


def russian_female(male: str) -> str:
    for a, b in (
        ("ский", "ская"),
        ("цкий", "цкая"),
        ("ской", "ская"),
        ("ой", "ая"),
        ("ый", "ая"),
        ("ий", "яя"),
    ):
        if male.endswith(a):
            return male[: -len(a)] + b
    if re.search(r"(ов|ев|ёв|ин|ын)$", male):
        return male + "а"
    return male


def bulgarian_female(male: str) -> str:
    if re.search(r"(ов|ев|ин)$", male):
        return male + "а"
    if male.endswith("ски"):
        return male[:-1] + "а"
    return male


def wiktionary_last(existing: set) -> list[tuple]:
    out = []
    for r in read_csv(SOURCES / "wiktionary_surnames_names_by_culture.csv"):
        lang, name = r["language_id"], r["surname"]
        category = r["wiktionary_category"]
        note = f"WIKTIONARY_NAMES_BY_CULTURE: {category} (inventory only, tail weight assumption)"
        if lang == "ron":
            if " " in name or "-" in name:
                continue
            w = TAIL_WEIGHT["moldovan"] * (ESCU_FACTOR if name.endswith("escu") else 1.0)
            # Moldovan documents write î inside words (Sîrbu, Pînzari), not the â of Romania's 1993 spelling
            doc = name[:1] + name[1:].replace("â", "î")
            row = ("moldovan", doc, doc, w, note + ("; -escu x0.2" if name.endswith("escu") else ""))
        elif lang == "rus":
            if re.search(r"(ова|ева|ина|ая)$", name):
                continue  # feminine lemma; the masculine row carries it
            row = ("russian", cyr_to_ro(name), cyr_to_ro(russian_female(name)), TAIL_WEIGHT["russian"], note)
        elif lang == "ukr":
            row = (
                "ukrainian",
                cyr_to_ro(name),
                cyr_to_ro(ukrainian_female(name)),
                TAIL_WEIGHT["ukrainian"],
                note,
            )
        else:
            row = (
                "bulgarian",
                cyr_to_ro(name),
                cyr_to_ro(bulgarian_female(name)),
                TAIL_WEIGHT["bulgarian"],
                note,
            )
        if (row[0], row[1]) not in existing:
            existing.add((row[0], row[1]))
            out.append(row)
    return out


def write(path: Path, header: list[str], rows: list[tuple]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([f"{v:.6g}" if isinstance(v, float) else v for v in r])


def main() -> None:
    jm = jmichael()
    first = moldovan_first(jm)
    first += cyrillic_first(jm, "faker_ru_RU", "RU", "russian")
    first += cyrillic_first(jm, "faker_uk_UA", "UA", "ukrainian")
    first += bulgarian_first(jm)
    last = moldovan_last() + russian_last() + ukrainian_last() + bulgarian_last(jm)
    seen: set = set()
    last = [r for r in last if not ((r[0], r[1]) in seen or seen.add((r[0], r[1])))]
    last += wiktionary_last(seen)
    write(
        ROOT / "seeds/reference/names_first.csv",
        ["name_pool", "sex", "first_name", "weight", "source"],
        first,
    )
    write(
        ROOT / "seeds/reference/names_last.csv",
        ["name_pool", "last_name_male", "last_name_female", "weight", "source"],
        last,
    )
    print(f"first names: {len(first)} rows, {len({r[2] for r in first})} distinct")
    print(f"surnames: {len(last)} rows, {len({r[1] for r in last})} distinct")


if __name__ == "__main__":
    main()
