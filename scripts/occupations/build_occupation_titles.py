"""Build the occupation title seeds from the Romanian COR list and the curated selection.

    python scripts/occupations/build_occupation_titles.py \
        --cor ../shared/reference_sources/occupations_cor_romania_isco08.csv \
        --groups ../shared/reference_sources/isco08_cor_groups_ro.csv

Inputs: the COR list (4,247 titles, ISCO-08 unit group = first 4 digits of the code, Romanian letters
ă ș ț mostly stripped), the COR/ISCO group labels, scripts/occupations/selection.txt (which titles, their
shares, education and age floors, wording edits, additions, unit-group weights) and the Romanian
lexicon of Debian's aspell-ro (`aspell -d ro dump master | aspell -l ro expand`; apt-get install
aspell-ro), used twice: to put back the stripped letters (a word is replaced by the only lexicon form
it could be stripped from; ambiguous words are decided by the rules in `restore_word` and printed for
review) and to accept a feminine form only where it is attested.

Outputs (overwritten): seeds/reference/occupation_titles.csv,
seeds/assumptions/assumption_occupation_unit_group_weights.csv, and two test fixtures in
python/tests/data/ (the feminine word forms the lexicon attested, and the stripped spellings of the
COR vocabulary that are not Romanian words).
"""

from __future__ import annotations

import argparse
import csv
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))

from moldova_personas.census.feminine import feminine_title  # noqa: E402

CLASS_WEIGHT = {"A": 100, "B": 30, "C": 10, "D": 3, "E": 1}
EDU = {
    "n": "none",
    "p": "primary",
    "l": "lower_secondary",
    "u": "upper_secondary",
    "v": "vocational",
    "h": "higher",
}
ARMED_FORCES = {
    "0110": "Ofițeri în forțele armate",
    "0210": "Subofițeri în forțele armate",
    "0310": "Alte grade militare",
    # ISCO-08 4415 "Filing and copying clerks" is missing from the COR group file (see its README)
    "4415": "Funcționari pentru arhivare și copiere",
}
STRIP = str.maketrans("ăşșţțĂŞȘŢȚ", "assstASSTT")
CEDILLA = str.maketrans("şţŞŢ", "șțȘȚ")
# Ambiguous stripped words decided once, by meaning in job titles.
PREFER = {
    "relatii": "relații",
    "stat": "stat",
    "port": "port",
    "sau": "sau",
    "al": "al",
    "aparate": "aparate",
    "componente": "componente",
    "depanator": "depanator",
    "cai": "căi",
    "par": "păr",
    "posta": "poștă",
    "asistenta": "asistență",
    "înalta": "înaltă",
    "masina": "mașina",
    "presa": "presă",
    "tura": "tură",
    "fina": "fină",
    "banca": "bancă",
    "apa": "apă",
    "sticla": "sticlă",
    "munca": "muncă",
    "mica": "mică",
    "placi": "plăci",
    "comanda": "comandă",
    "mentenanta": "mentenanță",
    "siguranta": "siguranță",
    "suprafata": "suprafață",
    "pasari": "păsări",
    "pastor": "pastor",
    "politie": "poliție",
    "print": "print",
    "recrutare": "recrutare",
    "spatii": "spații",
    "zaharului": "zahărului",
    "cantonier": "cantonier",
    "cosar": "coșar",
    "martiale": "marțiale",
    "performanta": "performanță",
    "urgenta": "urgență",
    "cusator": "cusător",
    "crosetor": "croșetor",
    "facilitati": "facilități",
    "competente": "competențe",
    "cont": "cont",
    "maturi": "mături",
    "pasare": "pasăre",
    "presuri": "preșuri",
    "roboti": "roboți",
    "gauritor": "găuritor",
    "retusier": "retușier",
    "conditioner": "condiționer",
}


def lexicon() -> set[str]:
    dump = subprocess.run(["aspell", "-d", "ro", "dump", "master"], capture_output=True, check=True)
    expanded = subprocess.run(
        ["aspell", "-l", "ro", "expand"], input=dump.stdout, capture_output=True, check=True
    )
    return {w.translate(CEDILLA) for w in expanded.stdout.decode("utf-8").split()}


def stripped_index(words: set[str]) -> dict[str, set[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for w in words:
        index[w.lower().translate(STRIP)].add(w.lower())
    return index


def restore_word(word: str, index, log) -> str:
    """Put back ă ș ț in one lowercase word."""
    word = word.translate(CEDILLA)
    if not word.isalpha() or not word.islower():
        return word
    key = word.translate(STRIP)
    if key in PREFER:
        return PREFER[key]
    cands = index.get(key, set())
    if not cands:
        log["unknown"].add(word)
        return word
    if len(cands) == 1:
        return next(iter(cands))
    if word in cands and cands == {word}:
        return word
    # a/ă: COR titles are telegraphic, so an ambiguous final a is the unarticled ă ("agent de
    # vânzări", "inginer-șef agricultură și silvicultură"); the few articled nouns are in PREFER.
    options = sorted(cands)
    breve = [c for c in options if c.endswith("ă") and c[:-1] + "a" in cands]
    if len(breve) == 1:
        log["ambiguous"].add(f"{word} -> {breve[0]} (options {options})")
        return breve[0]
    choice = word if word in cands else options[0]
    log["ambiguous"].add(f"{word} -> {choice} (options {options}) [check]")
    return choice


def restore(title: str, index, log) -> str:
    tokens = re.split(r"([\s,/()-]+)", title)
    return "".join(restore_word(tok, index, log) if tok.strip(" ,/()-") else tok for tok in tokens)


def parse_items(spec: str):
    for item in spec.split():
        m = re.fullmatch(r"(\d\d)(?:\*(\d+))?(?:@([nplhuv]))?(?:\^(\d+))?", item)
        if not m:
            raise ValueError(f"bad item {item!r}")
        yield m.group(1), int(m.group(2) or 1), m.group(3), int(m.group(4)) if m.group(4) else None


def default_min_age(edu: str) -> int:
    # a degree is held from 21 at the earliest (3-year licență after the baccalaureate at 18),
    # a college or vocational diploma from 19
    return {"higher": 21, "vocational": 19}.get(edu, 18)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cor", required=True)
    ap.add_argument("--groups", required=True)
    args = ap.parse_args()
    words = lexicon()
    index = stripped_index(words)
    log: dict[str, set] = defaultdict(set)
    with open(args.cor, encoding="utf-8") as fh:
        cor = {r["cor_code"]: r for r in csv.DictReader(fh)}
    with open(args.groups, encoding="utf-8") as fh:
        groups = {r["group_code"]: r["group_title_ro"].translate(CEDILLA) for r in csv.DictReader(fh)}
    groups.update(ARMED_FORCES)
    ugs, picks, edits, fem, masc, adds = {}, [], {}, {}, {}, []
    for raw in (ROOT / "scripts/occupations/selection.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if "|" in line and line.split("|")[0] in {"EDIT", "FEM", "MASC", "ADD"}:
            kind, *rest = line.split("|")
            if kind == "EDIT":
                edits[rest[0]] = rest[1]
            elif kind == "FEM":
                fem[rest[0]] = rest[1]
            elif kind == "MASC":
                masc[rest[0]] = rest[1]
            else:
                adds.append(rest)
            continue
        head, items, reason = (p.strip() for p in line.split("|"))
        ug, cls, female, urban, edu = head.split()
        ugs[ug] = {
            "isco_unit_group": ug,
            "unit_group_title_ro": groups[ug],
            "isco_major": int(ug[0]),
            "prevalence_class": cls,
            "relative_weight": CLASS_WEIGHT[cls],
            "female_share_pct": int(female),
            "urban_share_pct": int(urban),
            "reasoning": reason,
        }
        for suffix, share, e, age in parse_items(items):
            code = ug + suffix
            if code not in cor:
                raise ValueError(f"{code} not in the COR list")
            picks.append((code, ug, share, EDU[e or edu], age))
    attested_used: set[str] = set()

    def attested(w: str) -> bool:
        ok = w in words
        if ok:
            attested_used.add(w)
        return ok

    rows = []
    for code, ug, share, edu, age in picks:
        original = cor[code]["occupation_title_ro"]
        base = edits.get(code) or restore(original, index, log)
        source = f"COR {code}" + (f" (COR wording: {original})" if code in edits else "")
        if code in masc:
            title_m = None if masc[code] == "-" else masc[code]
            title_f = fem.get(code, base)
            form = "override"
        else:
            title_m = base
            if code in fem:
                title_f, form = (None if fem[code] == "-" else fem[code]), "override"
            else:
                title_f = feminine_title(base, attested)
                form = "rule" if title_f != base else "invariable"
        rows.append((code, ug, title_m, title_f, form, edu, age or default_min_age(edu), share, source))
    for ug, t_m, t_f, share, e, age, residence, reason in adds:
        if ug not in ugs:
            raise ValueError(f"addition {t_m!r}: unit group {ug} has no weight line")
        if t_f == "-":
            title_f, form = None, "override"
        elif t_f:
            title_f, form = t_f, "override"
        else:
            title_f = feminine_title(t_m, attested)
            form = "rule" if title_f != t_m else "invariable"
        rows.append(
            (None, ug, t_m, title_f, form, EDU[e], int(age), int(share), f"addition: {reason}", residence)
        )
    out = []
    for r in rows:
        code, ug, t_m, t_f, form, edu, age, share, source = r[:9]
        residence = r[9] if len(r) > 9 else "any"
        out.append(
            {
                "cor_code": code or "",
                "isco_unit_group": ug,
                "isco_sub_major": ug[:2],
                "isco_major": int(ug[0]),
                "title_m": t_m or "",
                "title_f": t_f or "",
                "feminine_form": form,
                "min_education": edu,
                "residence": residence,
                "min_age": age,
                "title_share": share,
                "source": source,
            }
        )
    keys = [r["title_m"] or r["title_f"] for r in out]
    dupes = {k for k in keys if keys.count(k) > 1}
    if dupes:
        raise ValueError(f"duplicate titles: {sorted(dupes)}")
    out.sort(key=lambda r: (r["isco_unit_group"], r["cor_code"] or "z", r["title_m"] or r["title_f"]))
    with open(ROOT / "seeds/reference/occupation_titles.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(out[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(out)
    used_ugs = {r["isco_unit_group"] for r in out}
    weights_path = ROOT / "seeds/assumptions/assumption_occupation_unit_group_weights.csv"
    with open(weights_path, "w", newline="", encoding="utf-8") as fh:
        rows_ug = [u for u in ugs.values() if u["isco_unit_group"] in used_ugs]
        w = csv.DictWriter(fh, fieldnames=list(rows_ug[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows_ug)
    missing = sorted(set(ugs) - used_ugs)
    data = ROOT / "python/tests/data"
    data.mkdir(exist_ok=True)
    (data / "feminine_lexicon.txt").write_text("\n".join(sorted(attested_used)) + "\n", encoding="utf-8")
    vocabulary = set()
    for r in cor.values():
        vocabulary |= set(re.findall(r"[^\W\d_]+", r["occupation_title_ro"].lower()))
    stripped = sorted(
        f"{v}\t{sorted(index[v])[0]}"
        for v in vocabulary
        if v == v.translate(STRIP) and v not in words and len(index.get(v, ())) == 1
    )
    (data / "romanian_stripped_words.tsv").write_text(
        "stripped\trestored\n" + "\n".join(stripped) + "\n", encoding="utf-8"
    )
    print(f"{len(out)} titles in {len(used_ugs)} unit groups; unit groups without a title: {missing}")
    forms = {f: sum(r["feminine_form"] == f for r in out) for f in ("rule", "invariable", "override")}
    print(f"feminine forms: {forms}")
    for kind in ("ambiguous", "unknown"):
        print(f"--- {kind} ({len(log[kind])})")
        for entry in sorted(log[kind]):
            print(entry)


if __name__ == "__main__":
    main()
