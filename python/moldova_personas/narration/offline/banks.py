"""Phrase banks of the offline narrator (Romanian). ``[m|f]`` marks gender agreement; ``{x}`` slots are
filled by offline.py. Cues describe behaviour only, never a trait name."""

from __future__ import annotations

CUES_HIGH = {
    "conscientiousness": (
        "își notează cheltuielile într-un caiet",
        "își face lista de cumpărături cu o seară înainte",
        "ajunge la întâlniri cu zece minute mai devreme",
        "își plătește facturile chiar în ziua în care primește banii",
        "ține actele casei în dosare cu etichete",
        "nu lasă vasele nespălate peste noapte",
        "își planifică săptămâna duminică seara",
    ),
    "extraversion": (
        "îi sună pe prieteni doar ca să afle noutățile",
        "intră ușor în vorbă cu vânzătorii din piață",
        "organizează mesele mari de sărbători",
        "se oferă [primul|prima] să țină un toast",
        "nu stă mult [singur|singură] acasă în weekend",
        "știe pe nume jumătate din vecinii de pe stradă",
    ),
    "agreeableness": (
        "le duce vecinilor bătrâni pâine când merge la magazin",
        "împrumută bani rudelor chiar și când îi vine greu",
        "cedează ușor într-o ceartă ca să nu strice atmosfera",
        "ajută la pregătirea pomenilor din comunitate",
        "păstrează răbdarea la ghișeu chiar și când coada nu se mișcă",
        "își ascultă colegii până la capăt înainte să răspundă",
    ),
    "neuroticism": (
        "verifică de două ori dacă a închis gazul înainte să plece",
        "se trezește noaptea gândindu-se la datorii",
        "se îngrijorează când cei apropiați nu răspund la telefon",
        "citește cu neliniște știrile despre prețuri",
        "repetă în gând o discuție grea cu o zi înainte",
        "se enervează repede când se strică ceva în casă",
    ),
    "openness": (
        "încearcă rețete noi găsite pe internet",
        "împrumută cărți de istorie de la bibliotecă",
        "merge la expoziții sau concerte când are ocazia",
        "învață [singur|singură] o limbă străină cu o aplicație pe telefon",
        "își schimbă des traseul spre casă ca să vadă străzi noi",
        "ascultă podcasturi despre lucruri care n-au legătură cu meseria [lui|ei]",
    ),
}
CUES_LOW = {
    "conscientiousness": (
        "pierde des cheile și le caută prin toate buzunarele",
        "amână hârtiile până în ultima zi",
        "lasă lucrurile începute pe jumătate când apare altceva",
        "uită de programări dacă nu i le amintește cineva",
        "cumpără din impuls și apoi se miră unde s-au dus banii",
    ),
    "extraversion": (
        "preferă o seară liniștită acasă unei petreceri",
        "vorbește puțin în grupuri mari și ascultă mai mult",
        "nu răspunde la telefon când nu cunoaște numărul",
        "pleacă devreme de la nunți și cumătrii",
        "își petrece pauza de masă mai mult [singur|singură]",
    ),
    "agreeableness": (
        "spune direct ce nu-i convine, chiar și la masă cu rudele",
        "negociază dur prețul în piață",
        "refuză fără multe explicații favorurile care nu-i convin",
        "se ceartă cu administrația blocului pe tema facturilor",
        "ține minte mult timp cine [l-a supărat|a supărat-o]",
    ),
    "neuroticism": (
        "rămâne [calm|calmă] când se strică ceva în casă",
        "nu se agită la cozile de la ghișeu",
        "doarme bine chiar și înaintea unei zile grele",
        "primește veștile proaste cu o ridicare din umeri",
        "nu se lasă [prins|prinsă] în certurile din familie",
    ),
    "openness": (
        "gătește aceleași rețete de ani de zile",
        "preferă locurile de vacanță pe care le cunoaște deja",
        "se uită la aceleași seriale vechi",
        "e [sceptic|sceptică] față de aplicațiile noi de pe telefon",
        "ține la felul în care s-au făcut mereu lucrurile în casă",
    ),
}
CUES_NEUTRAL = (
    "își bea cafeaua dimineața fără grabă",
    "urmărește știrile de seară",
    "ajută la treburile casei fără să i se ceară",
    "își sună rudele la sărbători",
)

# Friction lines: small, real irritations (used to keep texts from sounding like brochures).
FRICTIONS = (
    "Se plânge des de drumurile pline de gropi din zonă.",
    "Îl enervează cozile de la poștă în ziua pensiilor, chiar dacă nu stă [el|ea] la ele.",
    "Facturile de iarnă [îl|o] fac să numere de două ori banii.",
    "Nu-i place că tinerii din jur pleacă unul după altul peste hotare.",
    "Are o ceartă veche cu un vecin din cauza gardului și niciunul nu cedează.",
    "Se irită când rutiera întârzie sau trece plină pe lângă stație.",
    "Recunoaște că uneori e prea [aspru|aspră] cu cei din familie.",
    "Se simte [obosit|obosită] mai des decât ar vrea să recunoască.",
    "Nu suportă hârtiile de la primărie și amână mereu drumurile acolo.",
    "I se pare că prețurile de la piață cresc mai repede decât veniturile.",
    "Îi lipsește o vacanță adevărată de câțiva ani.",
    "Se ceartă din când în când cu rudele pe politică și apoi regretă.",
)

QUOTES = (
    "Nu-i bai, ne descurcăm",
    "Mai întâi treaba, apoi vorba",
    "Casa nu se ține singură",
    "Cine se scoală de dimineață departe ajunge",
    "Las' că vedem mâine",
    "Banul muncit e mai greu de cheltuit",
    "Pe vremea mea se făcea altfel",
    "Nu mă grăbiți, că o fac bine",
    "Și iar s-a scumpit ceva",
    "Eu n-am timp de bârfe",
    "Dacă tot ai venit, stai la masă",
    "Nu-mi place să rămân datoare",
    "Mai bine puțin și al meu",
    "Greu a fost, greu o să mai fie",
    "Vorba multă, sărăcia omului",
    "Ce-i făcut cu grabă nu ține",
    "Toate la timpul lor",
    "Dacă nu eu, atunci cine",
    "Eu nu mă plâng, doar spun",
    "Azi aici, mâine în altă parte",
    "Întâi să se usuce fânul",
    "Pâinea nu se aruncă",
    "Nu lăsa pe mâine ce poți face azi",
    "Am văzut și mai rele",
    "Fiecare cu crucea lui",
    "Vedem după recoltă",
    "Lasă telefonul și mănâncă",
    "Nu-mi spuneți mie de prețuri",
)
QUOTE_FEM_FIX = {
    "Nu-mi place să rămân datoare": ("Nu-mi place să rămân dator", "Nu-mi place să rămân datoare")
}

HOURS = (
    "La cinci dimineața",
    "La șase fără un sfert",
    "Pe la șapte dimineața",
    "Înainte de șase",
    "La ora opt seara",
    "Pe la zece seara",
    "Chiar înainte de prânz",
    "Luni dimineață",
    "Sâmbătă în zori",
    "Într-o marți ploioasă",
    "În prima zi cu zăpadă",
    "Duminică după-amiază",
    "Într-o seară de iulie",
    "În plină canicula de august",
)
HOURS = tuple(h.replace("canicula", "caniculă") for h in HOURS)

OBJECTS = (
    ("Un caiet cu coperte albastre", "stă mereu pe pervazul bucătăriei"),
    ("O bicicletă veche, vopsită de două ori", "stă sprijinită de gard"),
    ("Un telefon cu ecranul crăpat", "sună aproape toată ziua"),
    ("Un borcan cu nasturi desperecheați", "stă de ani de zile pe raftul din hol"),
    ("O sacoșă de rafie", "atârnă mereu lângă ușă"),
    ("Un calendar bisericesc cu zilele însemnate cu pixul", "e prins în cui lângă frigider"),
    ("Un radio mic, cu antena lipită cu bandă", "merge de dimineața până seara"),
    ("O pereche de cizme de cauciuc", "așteaptă la prag"),
    ("Un dosar gros cu facturi", "stă pe dulapul din dormitor"),
    ("O cană ciobită, din care nimeni altcineva nu are voie să bea,", "stă lângă fierbător"),
    ("Un set de chei cu un breloc din plastic", "atârnă în cuierul de la intrare"),
    ("O fotografie alb-negru cu bunicii", "stă în vitrina din sufragerie"),
    ("Un termos vechi, cu capacul zgâriat,", "merge peste tot cu [el|ea]"),
    ("O agendă plină de numere de telefon scrise de mână", "stă în sertarul mesei"),
)

QUESTIONS = (
    "Ce înseamnă o zi bună pentru {N}?",
    "Cum arată o săptămână obișnuită pentru {N}?",
    "Ce [îl|o] ține pe {N} în {place}?",
    "De unde are {N} răbdarea pentru toate drumurile zilei?",
    "Cine [îl|o] poate înlocui pe {N} acasă măcar o zi?",
    "Ce și-ar schimba {N} în viață, dacă ar putea?",
    "Ce face {N} când are, în sfârșit, o oră liberă?",
    "Unde [îl|o] găsești pe {N} într-o sâmbătă dimineață?",
    "Ce [l-a făcut|a făcut-o] pe {N} să rămână în {place}?",
    "Cât de des mai ajunge {N} să se odihnească?",
)
