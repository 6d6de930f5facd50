"""Romanian grammar helpers for the offline narrator: gender agreement, numbers, places, labels.

Templates mark gendered spots as ``[masculine|feminine]``; `agree` (narration.phrases) resolves them for
one sex. Labels are kept here (code -> Romanian) so the narrator does not depend on the reference seeds.
"""

from __future__ import annotations

import re

from moldova_personas.narration.phrases import agree

__all__ = ["agree"]  # re-exported: the narrator resolves gender marks through this module

_UNITS_M = ("zero", "unu", "doi", "trei", "patru", "cinci", "șase", "șapte", "opt", "nouă")
_UNITS_F = ("zero", "una", "două", "trei", "patru", "cinci", "șase", "șapte", "opt", "nouă")
_TEENS = (
    "zece",
    "unsprezece",
    "doisprezece",
    "treisprezece",
    "paisprezece",
    "cincisprezece",
    "șaisprezece",
    "șaptesprezece",
    "optsprezece",
    "nouăsprezece",
)
_TENS = (
    "",
    "",
    "douăzeci",
    "treizeci",
    "patruzeci",
    "cincizeci",
    "șaizeci",
    "șaptezeci",
    "optzeci",
    "nouăzeci",
)

ETHNICITY_RO = {
    "Moldovan": ("moldovean", "moldoveancă"),
    "Romanian": ("român", "româncă"),
    "Ukrainian": ("ucrainean", "ucraineancă"),
    "Gagauz": ("găgăuz", "găgăuză"),
    "Russian": ("rus", "rusoaică"),
    "Bulgarian": ("bulgar", "bulgăroaică"),
    "Roma": ("rom", "romă"),
    "Other": ("", ""),
}
LANGUAGE_RO = {
    "Moldovan": "limba pe care o numește moldovenească",
    "Romanian": "româna",
    "Russian": "rusa",
    "Ukrainian": "ucraineana",
    "Gagauz": "găgăuza",
    "Bulgarian": "bulgara",
    "Romani": "romani",
    "Other": "o altă limbă decât cele mai vorbite în țară",
}
EDUCATION_RO = {
    "none": "nu a apucat să facă școală",
    "primary": "a făcut doar clasele primare",
    "lower_secondary": "a terminat școala de nouă clase",
    "upper_secondary": "a terminat liceul",
    "vocational": "a absolvit o școală profesională",
    "higher": "are studii superioare",
}
MARITAL_RO = {
    "never_married": ("necăsătorit", "necăsătorită"),
    "married": ("căsătorit", "căsătorită"),
    "widowed": ("văduv", "văduvă"),
    "divorced": ("divorțat", "divorțată"),
}
REGION_RO = {
    "Chisinau": "municipiul Chișinău",
    "Nord": "nordul Moldovei",
    "Centru": "centrul Moldovei",
    "Sud": "sudul Moldovei",
    "Gagauzia": "Găgăuzia",
}


def g(sex: str, masculine: str, feminine: str) -> str:
    return feminine if sex == "female" else masculine


def cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def num_words(n: int, feminine: bool = False) -> str:
    """Romanian cardinal in words, 0-999 (``feminine`` for 'două ore', 'una')."""
    if n < 0 or n > 999:
        return str(n)
    units = _UNITS_F if feminine else _UNITS_M
    if n < 10:
        return units[n]
    if n < 20:
        word = _TEENS[n - 10]
        if feminine and n == 12:
            word = "douăsprezece"
        return word
    if n < 100:
        tens, unit = divmod(n, 10)
        base = _TENS[tens]
        if unit == 0:
            return base
        tail = "unu" if unit == 1 and not feminine else ("una" if unit == 1 else units[unit])
        return f"{base} și {tail}"
    hundreds, rest = divmod(n, 100)
    head = "o sută" if hundreds == 1 else f"{_UNITS_F[hundreds]} sute"
    return head if rest == 0 else f"{head} {num_words(rest, feminine)}"


def needs_de(n: int) -> bool:
    """Numbers whose last two digits are 0 or 20-99 take 'de' before a noun ('20 de ani')."""
    r = n % 100
    return n >= 20 and (r == 0 or r >= 20)


def years(n: int, words: bool = False) -> str:
    """'47 de ani' / 'patruzeci și șapte de ani'; 'un an' for 1."""
    if n == 1:
        return "un an"
    num = num_words(n) if words else str(n)
    return f"{num} de ani" if needs_de(n) else f"{num} ani"


def age_phrase(age: int, variant: int) -> str:
    """A few ways of stating an exact age, all unambiguous."""
    if variant % 3 == 0:
        return f"are {years(age)}"
    if variant % 3 == 1:
        return f"are {years(age, words=True)}"
    return f"a împlinit {years(age)}"


def ethnicity_word(ethnicity: str, sex: str) -> str:
    pair = ETHNICITY_RO.get(ethnicity, ("", ""))
    return pair[1] if sex == "female" else pair[0]


def marital_word(status: str, sex: str) -> str:
    pair = MARITAL_RO.get(status, ("", ""))
    return pair[1] if sex == "female" else pair[0]


_SECTOR_RE = re.compile(r"^(?:Sectorul (.+)|Chișinău \(sectorul (.+)\))$")


def chisinau_sector(locality: str) -> str | None:
    """Sector name of 'Sectorul Botanica' or 'Chișinău (sectorul Botanica)' (the census form), else None."""
    m = _SECTOR_RE.match(locality)
    return (m.group(1) or m.group(2)) if m else None


def is_chisinau_sector(locality: str) -> bool:
    return chisinau_sector(locality) is not None


def raion_phrase(raion: str) -> str:
    if raion.startswith("mun. "):
        return "municipiul " + raion[5:]
    if raion == "UTA Găgăuzia":
        return "Găgăuzia"
    return "raionul " + raion


def home_phrase(core: dict) -> str:
    """Where the person lives, e.g. 'sectorul Botanica din Chișinău', 'satul Pelinia, raionul Drochia'."""
    loc = core.get("locality") or ""
    raion = core.get("raion") or ""
    sector = chisinau_sector(loc)
    if sector:
        return f"sectorul {sector} din Chișinău"
    if loc == "Chișinău":
        return "Chișinău"
    if raion == "mun. Bălți" and loc == "Bălți":
        return "municipiul Bălți"
    if core.get("residence_type") == "urban":
        return f"orașul {loc}" if raion.startswith("mun.") else f"orașul {loc}, {raion_phrase(raion)}"
    if raion.startswith("mun."):
        return f"satul {loc}, de lângă {raion[5:]}"
    return f"satul {loc}, {raion_phrase(raion)}"


def short_place(core: dict) -> str:
    """Name of the settlement as used in running text ('Chișinău' for a sector)."""
    loc = core.get("locality") or ""
    return "Chișinău" if is_chisinau_sector(loc) else loc


def town_of(core: dict) -> str:
    """The town a rural person would commute to (raion centre or the capital)."""
    raion = core.get("raion") or ""
    if raion.startswith("mun. "):
        return raion[5:]
    if raion == "UTA Găgăuzia":
        return "Comrat"
    if raion == "Dubăsari":
        return "Chișinău"
    return raion
