"""Sentence banks of the offline narrator, per field (Romanian; ``[m|f]`` gender marks, ``{x}`` slots)."""

from __future__ import annotations

ACTS = {
    "employed_urban": (
        "își bea cafeaua în picioare și își caută cheile",
        "iese din bloc spre stația de troleibuz",
        "verifică mesajele de la serviciu încă din bucătărie",
        "închide geamul, stinge lumina și pleacă la lucru",
        "pune în geantă pachetul cu mâncare pentru prânz",
        "e deja în rutieră, cu căștile în urechi",
    ),
    "employed_rural": (
        "hrănește păsările și apoi pleacă la lucru",
        "scoate apă din fântână înainte de drum",
        "pornește mașina veche din fața porții",
        "așteaptă rutiera la marginea satului",
        "udă răsadurile și se schimbă repede de haine",
        "trece pe la poarta vecinilor ca să ia un pachet",
    ),
    "retired": (
        "e deja în grădină, cu sapa în mână",
        "își face socoteala pensiei pe marginea unui ziar",
        "ascultă radioul și curăță cartofi",
        "iese la pâine înainte să se facă coadă",
        "își ia pastilele și se uită pe geam la stradă",
        "hrănește pisica și pune de ceai",
    ),
    "student": (
        "recitește notițele pentru seminar",
        "fuge spre facultate cu o cafea luată din chioșc",
        "își încarcă telefonul și caută orarul",
        "doarme încă, deși alarma a sunat de trei ori",
        "e în cămin și își împarte micul dejun cu colega de cameră",
    ),
    "unemployed": (
        "răsfoiește anunțurile de angajare pe telefon",
        "își trimite din nou CV-ul la două firme",
        "își face planul zilei pe o foaie de hârtie",
        "e la coadă la agenția pentru ocuparea forței de muncă",
    ),
    "homemaker": (
        "pregătește micul dejun pentru toată casa",
        "pune rufele la uscat și pornește aragazul",
        "face lista de cumpărături pentru săptămână",
        "curăță legumele pentru ciorbă",
    ),
    "other": (
        "își face cafeaua și ascultă știrile",
        "ajută un vecin să descarce lemne",
        "se uită prin hârtiile de la medic",
        "aranjează prin casă fără grabă",
    ),
}
NAME_FIRST = (
    "{N} {act}, ca aproape în fiecare zi.",
    "{N} {act}, fără să se grăbească prea tare.",
    "{N} {act}, apoi se uită la ceas.",
    "{N} {act} și numără în gând ce are de făcut.",
)
ROUTINE = (
    "În fiecare dimineață, {N} {act}.",
    "De luni până vineri, {N} {act}.",
    "Aproape în fiecare zi, {N} {act}.",
    "Zi de zi, {N} {act}.",
    "Ca de obicei, {N} {act}.",
    "Ritualul zilei e același: {N} {act}.",
    "Înainte de orice altceva, {N} {act}.",
    "Săptămână de săptămână, {N} {act}.",
)
PLACE_URBAN = (
    "Din fereastra apartamentului din {place}, {N} vede o curte cu "
    "mașini parcate și o bancă ocupată mereu de bătrâni.",
    "Blocul din {place} în care locuiește {N} are un lift care merge doar din când în când.",
    "Strada pe care locuiește {N}, în {home}, se umple dimineața de mașini și de copii cu ghiozdane.",
    "În {home}, {N} cunoaște pe nume vânzătoarea de la colț și pe paznicul parcării.",
    "{place} e orașul în care {N} și-a făcut aproape toate drumurile importante.",
    "Cartierul lui {N} s-a schimbat mult în ultimii ani: au apărut blocuri noi și cafenele mici.",
    "Scara blocului din {place} miroase seara a mâncare gătită, iar {N} o urcă de ani buni.",
)
PLACE_URBAN = tuple(s.replace("Cartierul lui {N}", "Cartierul în care stă {N}") for s in PLACE_URBAN)
PLACE_RURAL = (
    "Curtea casei din {place} e locul unde {N} își petrece cele mai multe ore ale zilei.",
    "În {home}, casa lui {N} e una dintre cele cu poarta vopsită verde.",
    "Satul {place} se vede aproape în întregime din dealul pe care urcă des {N}.",
    "Drumul de pământ care duce spre casa lui {N} din {place} devine noroi la prima ploaie.",
    "La {place}, vestea că {N} a tăiat nucul bătrân din curte a făcut înconjurul satului în două zile.",
    "Pe ulița pe care locuiește {N}, în {home}, toată lumea își știe treburile.",
    "Grădina din spatele casei lui {N} din {place} coboară până la o vale cu sălcii.",
)
PLACE_RURAL = tuple(s.replace("casa lui {N}", "casa [în care stă {N}|în care stă {N}]") for s in PLACE_RURAL)
MEMORIES_OLD = (
    "cozile la pâine de la începutul anilor nouăzeci",
    "primul salariu primit în cupoane",
    "iernile în care se încălzea cu lemne aduse din pădure",
    "vara în care a lucrat prima dată la tutun",
    "drumurile cu trenul spre Odesa de pe vremuri",
    "ziua în care s-a introdus leul moldovenesc",
    "serile de la clubul satului, cu filme indiene",
    "cum se culegeau strugurii la colhoz",
    "primul televizor color din casă",
    "nunta cu trei zile de joc a unui văr",
)
MEMORIES_YOUNG = (
    "mirosul plăcintelor coapte de bunica sâmbăta",
    "prima zi de școală, cu un buchet de crizanteme",
    "verile petrecute la bunici, la țară",
    "primul telefon primit de la o rudă plecată la muncă",
    "vacanța în care a învățat să înoate într-un iaz",
    "serbarea de sfârșit de clasa a patra",
    "primul drum singur[|ă] cu rutiera până la oraș",
    "concertele de la hramul satului",
    "coletele cu dulciuri venite din Italia",
    "iarna în care s-a luminat prima dată strada cu felinare",
)
MEMORY = (
    "{N} își amintește bine {m}.",
    "Își amintește și acum {m}, deși au trecut ani.",
    "Din copilărie, {N} a păstrat în minte {m}.",
    "Nici azi {N} nu a uitat {m}.",
    "Când povestește despre trecut, {N} pomenește mai întâi {m}.",
    "Uneori, fără motiv, lui {N} îi vin în minte {m}.",
)
MEMORY = tuple(s for s in MEMORY if "lui {N}" not in s)
CONTRAST = {
    "any": (
        "Pare [liniștit|liniștită] la prima vedere, dar {N} are mereu o listă de lucruri nerezolvate.",
        "Deși locuiește în {place} de mult timp, {N} încă descoperă colțuri pe care nu le știa.",
        "Acasă vorbește puțin, însă la o masă cu prieteni {N} ține conversația ore întregi.",
        "Nu-i plac schimbările, și totuși {N} a trebuit să se adapteze la multe în ultimii ani.",
        "Spune că nu-i pasă de bani, dar {N} știe pe de rost prețul fiecărei facturi.",
        "Glumește mult, dar când e vorba de familie {N} devine [serios|serioasă] dintr-odată.",
    ),
    "retired": ("În acte {N} e [pensionar|pensionară], în realitate muncește aproape toată ziua.",),
    "student": ("Ziua {N} e [student|studentă] la cursuri, seara face cu totul altceva ca să aibă bani.",),
    "employed_rural": ("Lucrează la oraș, dar {N} se simte acasă doar în curtea din sat.",),
    "employed_urban": (
        "La serviciu e [cunoscut|cunoscută] drept om de încredere, acasă {N} uită mereu unde a pus cheile.",
    ),
}
QUOTE = (
    "„{q}”, spune des {N}.",
    "„{q}” e vorba pe care {N} o repetă cel mai des.",
    "„{q}”, obișnuiește să zică {N} când ceva nu merge.",
    "„{q}”, i-a spus {N} unui vecin chiar ieri.",
)
OBJECT = (
    "{o} {w} în casa lui {N}.",
    "{o} {w}: {N} ține la lucrul acesta mai mult decât la multe altele.",
    "{o} {w}: acolo își ține {N} socotelile.",
)
OBJECT = ("{o} {w} în casa în care locuiește {N}.",) + OBJECT[1:]
IDENTITY = (
    "{F} are {age}, e {mar} și {jobc}; locuiește în {home}.",
    "La {age}, {F} {jobc} și locuiește în {home}.",
    "{F} locuiește în {home}, are {age} și {jobc}.",
    "{F}, {age}, {jobc} și își are casa în {home}.",
    "Are {age}, {jobc} și e {mar}; {F} locuiește în {home}.",
)
PERSONA_CONSTRAINT = ("Pentru că {d}, {q}.", "Fiindcă {d}, {q}.", "În plus, {d}, așa că {q}.")
PERSONA_PAD = (
    "Nu se plânge mult, dar nici nu se preface că lucrurile sunt simple.",
    "Are zile bune și zile grele, ca toată lumea din jur.",
)
CONSTRAINT_LINES = (
    "{N} {d}, așa că {q}.",
    "Pentru că {d}, {q}.",
    "Cum {d}, {q}.",
    "{N} {d}; de aceea {q}.",
    "Situația nu e ușoară: {d}, iar din cauza asta {q}.",
    "Un lucru îi ocupă mult timp: {d}, de aceea {q}.",
)
CUE_ONE = ("De obicei {c1}.", "Cei din jur au observat că {c1}.", "E genul de om care {c1}.")
CUE_TWO = (
    "Cei care [îl|o] cunosc spun că {c1} și că {c2}.",
    "În viața de zi cu zi {c1}, iar în plus {c2}.",
    "Are obiceiurile [lui|ei]: {c1} și {c2}.",
    "De obicei {c1}; tot [el|ea] {c2}.",
)
ANCHOR_ANY = {
    "any": (
        "Are amintiri legate de {a} și le povestește cu plăcere când e întrebat[|ă].",
        "Despre {a} vorbește des cu cei din familie.",
        "Pentru [el|ea], {a} înseamnă o parte din viața locului.",
    ),
    "market": (
        "Cumpărăturile mari le face la {a}, unde știe deja la ce tarabe să se oprească.",
        "Sâmbăta trece adesea pe la {a}, mai mult pentru legume și brânză decât pentru plimbare.",
        "Prețurile de la {a} sunt pentru [el|ea] un fel de termometru al economiei.",
    ),
    "food": (
        "La mesele de familie insistă să fie și {a}, după rețeta moștenită.",
        "Dacă e întrebat[|ă] ce înseamnă mâncarea de acasă, pomenește imediat de {a}.",
        "Are păreri ferme despre rețeta corectă pentru {a}.",
    ),
    "custom": (
        "Ține la {a} mai mult decât ar recunoaște.",
        "Pentru [el|ea], {a} înseamnă mai ales revederea cu rudele.",
        "Nu ratează aproape niciodată {a}, chiar dacă uneori se plânge de oboseală.",
    ),
    "event": (
        "Anul trecut a ajuns la {a} împreună cu câțiva prieteni.",
        "Urmărește cu interes {a}, chiar dacă nu merge de fiecare dată.",
    ),
    "craft": (
        "În casă are câteva lucruri legate de {a}, moștenite de la bunici.",
        "S-a oprit de mai multe ori la tarabe cu {a} și știe să "
        "deosebească lucrul bun de cel făcut în grabă.",
    ),
    "place": (
        "Drumurile de duminică [îl|o] duc uneori spre {a}.",
        "Trece des pe lângă {a} și observă fiecare schimbare.",
    ),
    "nature": ("Când are o zi liberă, merge spre {a}.", "Îi arată musafirilor {a} de câte ori are ocazia."),
    "institution": (
        "Are de-a face din când în când cu {a}.",
        "Pe lângă {a} trece destul de des ca să știe programul pe de rost.",
    ),
}
ANCHOR_SHORT = {
    "any": (
        "Îi place să pomenească de {a} când vorbește despre locurile [lui|ei].",
        "Nu trece o lună fără să aibă o treabă legată de {a}.",
        "Prietenii știu că, pentru [el|ea], {a} contează.",
    )
}
ANCHOR_OUTDOOR = {
    "any": (
        "Când are timp, iese la o plimbare spre {a}.",
        "Un drum preferat duce spre {a}, unde merge mai ales primăvara.",
        "Le recomandă musafirilor să vadă {a}, chiar dacă [el|ea] ajunge acolo rar.",
    )
}
ANCHOR_CULTURE = {
    "any": (
        "Din viața culturală a locului, cel mai mult ține la {a}.",
        "Participă, când poate, la {a}.",
        "Vorbește cu interes despre {a} și despre oamenii care țin tradiția vie.",
    )
}
ANCHOR_FOOD = {
    "any": ("Acasă se gătește des și {a}.",),
    "food": (
        "Pentru [el|ea], o masă de sărbătoare fără {a} nu e completă.",
        "A învățat din familie cum se pregătește {a}.",
        "Face uneori {a} după o rețetă care nu e scrisă nicăieri.",
        "Are păreri ferme despre rețeta corectă pentru {a}.",
    ),
    "market": (
        "Pentru ingrediente merge la {a}, unde are vânzătorii [lui|ei] de încredere.",
        "Sâmbăta cumpără legume și brânză de la {a}, după ce compară prețurile la trei tarabe.",
    ),
}
PRO_OPEN = {
    "employed_urban": (
        "{N} {jobc} de câțiva ani și cunoaște bine ritmul locului de muncă.",
        "Ca angajat[|ă], {N} {jobc} într-un colectiv mic, unde toată lumea face de toate.",
    ),
    "employed_rural": (
        "{N} {jobc} și își împarte timpul între serviciu și gospodărie.",
        "Chiar dacă locuiește la sat, {N} {jobc} și ține la un venit sigur.",
    ),
    "retired": (
        "Înainte de pensie, {N} a muncit zeci de ani, iar acum munca "
        "[lui|ei] e mai ales în casă și în grădină.",
        "Ca [pensionar|pensionară], {N} nu a renunțat complet la muncă.",
    ),
    "student": (
        "{N} studiază și încearcă să lege cursurile de o meserie concretă.",
        "Ca [student|studentă], {N} își caută deja primele experiențe de lucru.",
    ),
    "unemployed": (
        "{N} a rămas fără un loc de muncă stabil și își caută altul.",
        "De câteva luni, {N} își caută de lucru, fără să se grăbească să accepte orice.",
    ),
    "homemaker": (
        "{N} se ocupă de casă, iar munca asta nu are program.",
        "Munca lui {N} e cea din casă: mâncare, bani, copii, reparații.",
    ),
    "other": (
        "{N} nu lucrează în prezent, dar are destule treburi care îi umplu ziua.",
        "Deocamdată {N} nu are un loc de muncă, din motive pe care le explică rar.",
    ),
}
PRO_OPEN["homemaker"] = (
    "{N} se ocupă de casă, iar munca asta nu are program.",
    "Munca de acasă, pe care o face {N}, înseamnă mâncare, bani, copii și reparații.",
)
PRO_ISCO = {
    -1: (
        "Programul e lung, dar colegii se ajută între ei.",
        "Salariul acoperă strictul necesar și cam atât.",
        "Ține la punctualitate și nu-i plac schimbările de ultim moment.",
    ),
    0: (
        "Programul e strict, iar deplasările sunt dese.",
        "Respectă regulile fără comentarii, chiar dacă nu toate i se par logice.",
        "Își cunoaște bine echipa și are încredere în ea.",
    ),
    1: (
        "Are în subordine câțiva oameni și răspunde pentru rezultatele lor.",
        "Petrece mult timp la telefon și în ședințe.",
        "Trebuie să împace cerințele conducerii cu posibilitățile reale ale echipei.",
        "Se ocupă de bugete și de rapoarte lunare.",
    ),
    2: (
        "Munca cere multă atenție la detalii și actualizarea cunoștințelor.",
        "Discută des cazuri dificile cu colegii mai experimentați.",
        "Completează multe documente pe care nu le citește aproape nimeni.",
        "Se ține la curent cu schimbările din domeniu prin cursuri scurte.",
    ),
    3: (
        "Lucrează cu aparatură și proceduri care cer precizie.",
        "Face legătura între specialiști și oamenii care vin cu probleme concrete.",
        "E [chemat|chemată] des când ceva nu merge și trebuie rezolvat repede.",
        "A învățat meseria mai mult din practică decât din manuale.",
    ),
    4: (
        "Lucrează mult la calculator și cu documente.",
        "Are de-a face zilnic cu oameni nerăbdători la ghișeu.",
        "Ține evidența unor hârtii pe care alții le pierd.",
        "Respectă termenele chiar și când sistemul informatic se blochează.",
    ),
    5: (
        "Stă toată ziua în picioare și vorbește cu zeci de oameni.",
        "Știe cum să calmeze un client supărat.",
        "Lucrează și în weekend, când e cea mai mare aglomerație.",
        "Primește uneori bacșiș, dar nu se bazează pe el.",
    ),
    6: (
        "Munca depinde de vreme și de prețurile de achiziție.",
        "Se trezește devreme vara și lucrează până se întunecă.",
        "Vinde o parte din producție la intermediari care plătesc cât vor ei.",
        "Știe din ochi când e timpul de cules sau de stropit.",
    ),
    7: (
        "Lucrează cu mâinile și își cunoaște sculele ca pe ale [lui|ei].",
        "Are comenzi și în afara programului, de la vecini și cunoscuți.",
        "A învățat meseria de la un meșter mai în vârstă.",
        "Nu-i plac lucrările făcute în grabă, chiar dacă sunt plătite bine.",
    ),
    8: (
        "Lucrează în ture, la utilaje care cer atenție continuă.",
        "Respectă regulile de siguranță după ce a văzut ce se poate întâmpla.",
        "Conduce mult și cunoaște drumurile pe de rost.",
        "Zgomotul de la lucru [îl|o] urmărește uneori și acasă.",
    ),
    9: (
        "Munca e grea fizic și nu prea e apreciată.",
        "Lucrează adesea cu ziua sau fără contract pe termen lung.",
        "Face ce e nevoie, de la încărcat marfă până la curățenie.",
        "Se bazează pe câțiva colegi cu care lucrează de ani buni.",
    ),
}
PRO_NOTWORK = {
    "retired": (
        "Își amintește cu exactitate anii de vechime și îi compară cu pensia primită.",
        "Mai face mici treburi plătite pentru vecini, când i se cere.",
        "Ajută la creșterea nepoților și la gospodăria copiilor.",
        "Urmărește cu atenție orice schimbare a indexării pensiilor.",
    ),
    "student": (
        "Face practică la o firmă unde lucrează mai mult decât învață.",
        "Se gândește dacă să rămână în țară după absolvire.",
        "Lucrează în weekend ca să-și plătească transportul și telefonul.",
        "Își alege cursurile opționale după ce crede că va conta la angajare.",
    ),
    "unemployed": (
        "Primește oferte mai ales pentru munci prost plătite.",
        "Se gândește la o recalificare, dar cursurile gratuite sunt puține.",
        "Face mici lucrări cu ziua, cât să acopere facturile.",
        "Nu vrea să plece peste hotare, deși rudele [îl|o] îndeamnă.",
    ),
    "homemaker": (
        "Gestionează bugetul casei până la ultimul leu.",
        "Are grijă de copii și de treburile școlii lor.",
        "Face conserve, pâine și reparații mărunte fără să le considere muncă.",
        "Se gândește uneori să se angajeze cu jumătate de normă.",
    ),
    "other": (
        "Ajută rudele cu diverse treburi.",
        "Are grijă de sănătate și de hârtiile de la medic.",
        "Face din când în când mici lucrări plătite.",
        "Se gândește ce ar putea lucra în condițiile pe care le are.",
    ),
}
PRO_FRICTION = {
    "employed_urban": (
        "Îl deranjează că salariul rămâne în urma prețurilor.",
        "Ar vrea mai puține ore suplimentare neplătite.",
        "Se enervează pe hârtiile care se cer de două ori.",
    ),
    "employed_rural": (
        "Drumul până la lucru îi mănâncă mult din zi.",
        "Salariul de la sat e mai mic decât ar fi la oraș, dar costurile sunt și ele mai mici.",
        "Se simte adesea prins[|ă] între serviciu și grădină.",
    ),
    "retired": (
        "Pensia nu ajunge pentru tot, așa că alege mereu ce e mai urgent.",
        "Îi pare rău că anii de muncă de dinainte de independență contează atât de puțin.",
    ),
    "student": (
        "Nu e sigur[|ă] că diploma va conta cu adevărat la angajare.",
        "Bursa e mică și vine cu întârziere.",
    ),
    "unemployed": (
        "Interviurile fără răspuns [îl|o] descurajează.",
        "Îi e greu să explice rudelor de ce nu a acceptat primul post oferit.",
    ),
    "homemaker": (
        "Munca din casă nu se vede, iar asta [îl|o] supără uneori.",
        "Îi lipsește un venit propriu.",
    ),
    "other": ("Îi e greu să stea fără un program fix.", "Nu-i place să depindă de alții."),
}
PRO_FRICTION["employed_urban"] = (
    "[Îl|O] deranjează că salariul rămâne în urma prețurilor.",
    "Ar vrea mai puține ore suplimentare neplătite.",
    "Se enervează pe hârtiile care se cer de două ori.",
)
PRO_FILL = (
    "Nu se consideră de neînlocuit, dar știe că fără [el|ea] lucrurile ar merge mai greu.",
    "Vorbește despre muncă fără entuziasm exagerat, ca despre o parte firească a vieții.",
    "Discută des cu cei apropiați despre bani, program și oboseală.",
)
SPORT = {
    "young": (
        "Joacă fotbal cu prietenii pe terenul de lângă școală.",
        "Merge la o sală mică de forță de două-trei ori pe săptămână.",
        "Aleargă seara, când nu e prea cald.",
        "Joacă volei vara, la iaz sau pe un teren improvizat.",
        "Se urcă pe bicicletă ori de câte ori vremea permite.",
        "Urmărește meciurile echipei naționale și comentează fiecare pasă.",
    ),
    "mid": (
        "Face plimbări lungi în weekend, mai mult ca să-și limpezească mintea.",
        "Merge la pescuit cu un prieten, mai ales primăvara.",
        "Urmărește fotbalul la televizor și ține cu Zimbru din vremuri mai bune.",
        "Muncile din grădină îi țin loc de sală de sport.",
        "A încercat să alerge dimineața, dar a renunțat după o lună.",
        "Joacă șah online seara, câteva partide scurte.",
    ),
    "old": (
        "Se mișcă mai ales prin treburile casei și prin plimbările până la magazin.",
        "Face zilnic câteva exerciții recomandate de medic.",
        "Urmărește la televizor meciurile de fotbal și tenis.",
        "Merge pe jos până la biserică sau la piață, încet.",
        "În tinerețe juca volei, acum se mulțumește cu plimbările.",
    ),
}
SPORT_FRICTION = {
    "young": (
        "Nu are mereu timp de sport, iar abonamentul la sală i se pare scump.",
        "O accidentare la gleznă l-a ținut departe de teren câteva luni.",
    ),
    "mid": (
        "Ar vrea să se miște mai mult, dar după serviciu nu mai are putere.",
        "Spatele îi amintește că nu mai are douăzeci de ani.",
    ),
    "old": (
        "Genunchii nu mai țin ca înainte, așa că evită drumurile lungi.",
        "Medicul i-a cerut mai multă mișcare, iar asta e mai ușor de spus decât de făcut.",
    ),
}
SPORT_FRICTION["young"] = (
    "Nu are mereu timp de sport, iar abonamentul la sală i se pare scump.",
    "O accidentare la gleznă [l-a|a] ținut[-o|] departe de teren câteva luni.",
)
SPORT_FRICTION["young"] = (
    "Nu are mereu timp de sport, iar abonamentul la sală i se pare scump.",
    "După o accidentare la gleznă, a stat câteva luni departe de teren.",
)
SPORT_FILL = (
    "Nu se consideră [sportiv|sportivă], dar nici nu stă mult pe loc.",
    "Vara înoată uneori într-un iaz sau în râu, cu grijă.",
    "Pentru [el|ea], mișcarea e mai mult o obligație decât o plăcere.",
    "Iarna iese mai rar din casă și simte asta.",
)
ARTS_MUSIC = (
    "Ascultă muzică populară la radio, mai ales dimineața.",
    "Îi plac piesele trupei Zdob și Zdub, pe care le știe din tinerețe.",
    "Ascultă mai ales muzică ușoară și melodiile lui Ion Suruceanu.",
    "Pune pe telefon muzică pop și, din când în când, fanfară.",
    "Are câteva melodii ale Sofiei Rotaru pe care le fredonează în bucătărie.",
    "Îi place muzica lăutărească și se oprește să asculte când cântă cineva viu.",
    "Ascultă mai mult podcasturi decât muzică.",
    "Merge rar la concerte, dar urmărește pe internet spectacolele de la Chișinău.",
)
ARTS_BOOKS = {
    "default": (
        "Citește rar, dar păstrează pe raft poveștile lui Ion Creangă din copilărie.",
        "A recitit de curând câteva poezii de Grigore Vieru.",
        "Îi plac romanele lui Ion Druță, mai ales cele despre sat.",
        "Citește mai mult articole pe telefon decât cărți.",
        "I-a citit nepoților „Guguță” de Spiridon Vangheli.",
        "Urmărește seriale istorice și documentare despre Moldova medievală.",
    ),
    "Russian": (
        "Citește în rusă, mai ales romane polițiste.",
        "A recitit de curând povestiri de Cehov.",
        "Se uită la filme vechi sovietice de Anul Nou.",
    ),
    "Ukrainian": (
        "Cunoaște cântecele ucrainene de la bunici și le cântă la sărbători.",
        "Citește în rusă și în ucraineană, mai ales presă.",
    ),
    "Gagauz": (
        "Citește uneori poeziile lui Dionis Tanasoglu în găgăuză.",
        "Ascultă muzică găgăuză la nunți și la petrecerile din familie.",
    ),
    "Bulgarian": (
        "Ascultă muzică populară bulgărească la sărbătorile familiei.",
        "Urmărește emisiuni și filme în bulgară pe internet.",
    ),
}
ARTS_FRICTION = (
    "Casa de Cultură din apropiere are tot mai puține spectacole, iar asta [îl|o] întristează.",
    "Biletele la teatru i se par scumpe pentru ce rămâne din buget.",
    "Nu are răbdare pentru filmele lungi.",
    "Se plânge că la televizor e prea multă politică și prea puțină cultură.",
)
ARTS_FILL = (
    "A văzut de mai multe ori filmul „Lăutarii” al lui Emil Loteanu.",
    "Păstrează în dulap un prosop brodat de o bunică.",
    "Când are ocazie, merge la un spectacol de dansuri populare.",
    "Face fotografii cu telefonul la evenimentele de familie și le arhivează cu grijă.",
)
TRAVEL_OPEN = {
    "any": (
        "Călătorește mai ales în interiorul țării, din motive de timp și de bani.",
        "Drumurile lui {N} sunt mai ales spre rude și spre centrul raional.",
        "{N} nu pleacă des, dar își planifică fiecare drum cu atenție.",
        "Vacanțele lui {N} sunt scurte și rare.",
    ),
    "old": (
        "La vârsta asta, {N} călătorește puțin și doar însoțit[|ă].",
        "Drumurile lungi [îl|o] obosesc, așa că {N} iese rar din {place}.",
    ),
}
TRAVEL_OPEN["any"] = (
    "Călătorește mai ales în interiorul țării, din motive de timp și de bani.",
    "Cele mai multe drumuri ale [lui|ei] sunt spre rude și spre centrul raional.",
    "{N} nu pleacă des, dar își planifică fiecare drum cu atenție.",
    "Vacanțele [lui|ei] sunt scurte și rare.",
)
TRAVEL_ABROAD_REL = (
    "Peste hotare a fost mai ales ca să-și vadă rudele plecate la muncă.",
    "Drumul spre rudele din străinătate îl face cu autocarul, o zi și o noapte.",
    "Ar merge mai des la rudele de peste hotare, dar biletele de avion sunt scumpe.",
)
TRAVEL_ABROAD = (
    "A fost de câteva ori în România, la Iași și la mănăstirile din Bucovina.",
    "A fost doar o dată la mare, în Bulgaria, și își amintește încă drumul lung.",
    "Visează la o vacanță în Turcia, dar o tot amână.",
    "A trecut Prutul de câteva ori pentru cumpărături la Iași.",
    "Nu a ieșit niciodată din țară și nici nu simte o mare nevoie.",
)
TRAVEL_FRICTION = (
    "Nu suportă cozile de la vamă.",
    "Rutierele aglomerate vara [îl|o] fac să amâne drumurile.",
    "Drumurile proaste fac orice călătorie mai lungă decât ar trebui.",
    "Se teme să lase casa nesupravegheată mai mult de câteva zile.",
)
TRAVEL_FILL = (
    "Își face bagajul cu o zi înainte și tot uită ceva.",
    "Preferă drumurile de o zi, cu întoarcere seara.",
    "Când călătorește, ia mâncare de acasă.",
    "Ar vrea să vadă Veneția măcar o dată.",
)
FOOD_OPEN = (
    "În bucătăria lui {N} se gătește simplu, din ce e de sezon.",
    "{N} gătește mai ales în weekend, pentru toată săptămâna.",
    "Mâncarea de acasă contează mult pentru {N}.",
    "{N} gătește din obligație în timpul săptămânii și din plăcere de sărbători.",
)
FOOD_OPEN = tuple(s.replace("bucătăria lui {N}", "bucătăria [lui|ei]") for s in FOOD_OPEN)
FOOD_ETHNIC = {
    "Gagauz": ("De sărbători, în familie se face și kaurma, după obiceiul bunicilor.",),
    "Bulgarian": ("La mesele de familie nu lipsește banița, făcută după rețeta mamei.",),
    "Ukrainian": ("Face uneori borș ucrainesc cu smântână, cum se făcea la bunici.",),
    "Russian": ("Pentru Anul Nou pregătește salata Olivier, ca în fiecare an.",),
}
FOOD_DISH = (
    "Duminica face plăcinte, iar restul săptămânii se mulțumește cu ce rămâne.",
    "Toamna pune murături și zacuscă pentru iarnă.",
    "Mămăliga o face încă la ceaun, din obișnuință.",
    "Ține la o ciorbă acră bine făcută.",
    "Iarna gătește mai mult cu carne, vara mai mult cu legume din grădină.",
    "Are un caiet cu rețete scrise de mână, cu pete de ulei pe pagini.",
    "Sarmalele le face doar de sărbători, pentru că îi iau o zi întreagă.",
    "Cumpără rar mâncare gata făcută și nu prea are încredere în ea.",
)
FOOD_FRICTION = (
    "S-a scumpit uleiul și asta se vede în fiecare rețetă.",
    "Nu are mereu timp să gătească și atunci mănâncă pe fugă.",
    "Medicul i-a cerut să mănânce mai puțin gras, iar asta e greu cu mesele de sărbătoare.",
    "Se ceartă uneori cu familia pe tema cantității de sare din mâncare.",
)
FOOD_FILL = (
    "Vinul îl bea rar și doar la masă.",
    "Cafeaua de dimineață e singurul lucru la care nu renunță.",
    "Nu aruncă niciodată pâinea.",
    "Îi place să încerce câte o rețetă nouă văzută la televizor.",
)
BIRTH_SAME = (
    "S-a născut chiar în {place}, {dec}, și a rămas aici aproape toată viața.",
    "[Născut|Născută] în {place} {dec}, {N} cunoaște locul ca pe propriul buzunar.",
    "{N} s-a născut {dec} în {place}, unde locuiesc încă multe dintre rudele [lui|ei].",
)
BIRTH_ELSE = (
    "S-a născut {dec} într-un sat din alt raion și s-a mutat în {place} la maturitate.",
    "[Născut|Născută] {dec} în altă localitate, {N} a ajuns în {place} din cauza muncii.",
    "{N} s-a născut {dec} la câțiva zeci de kilometri de {place} și s-a stabilit aici mai târziu.",
)
ERA_SOVIET = (
    "A crescut în perioada sovietică, cu școală în rusă și română, cu pionieri și colhoz.",
    "Copilăria [lui|ei] a fost în vremurile sovietice, când totul se "
    "obținea cu greu, dar locurile de muncă păreau sigure.",
    "A prins anii sovietici, apoi prăbușirea lor și greutățile de după independență.",
)
ERA_90S = (
    "A crescut în anii grei de după independență, când părinții primeau salariile cu întârziere.",
    "Copilăria [lui|ei] a fost marcată de anii nouăzeci: pene de "
    "curent, cozi și primele plecări la muncă peste hotare.",
    "A mers la școală în anii de tranziție, când multe familii din jur se destrămau din cauza plecărilor.",
)
ERA_NEW = (
    "A crescut cu internet, cu rude plecate peste hotare și cu drumul spre Europa discutat la fiecare masă.",
    "Face parte dintr-o generație care a crescut cu telefonul în "
    "mână și cu prieteni plecați la studii în România.",
    "A crescut într-o Moldovă în care plecarea peste hotare pare o opțiune obișnuită.",
)
LANG = {
    "default": (
        "Limba [lui|ei] maternă e {lang}, iar rusa o înțelege bine.",
        "Acasă vorbește {lang}, iar la nevoie trece ușor la rusă.",
    ),
    "Moldovan": (
        "Acasă vorbește limba pe care o numește moldovenească, iar rusa o înțelege bine.",
        "În familie se vorbește limba pe care o numește moldovenească; rusa a învățat-o la școală.",
    ),
    "Romanian": (
        "Limba maternă e româna, iar rusa o înțelege, chiar dacă o vorbește cu greu.",
        "Vorbește acasă româna și ține la o exprimare îngrijită.",
    ),
    "Russian": (
        "Limba maternă e rusa, iar româna a învățat-o mai ales la serviciu și la piață.",
        "Acasă se vorbește rusa, dar se descurcă și în română când e nevoie.",
    ),
    "Ukrainian": (
        "Limba maternă e ucraineana, deși în viața de zi cu zi vorbește mai mult rusa și româna.",
        "Acasă se vorbește un amestec de ucraineană și rusă, iar româna o folosește la oficii.",
    ),
    "Gagauz": (
        "Limba maternă e găgăuza; rusa o folosește la serviciu, iar româna o învață pe parcurs.",
        "Acasă vorbește găgăuza, iar cu oamenii din afara comunității trece pe rusă sau română.",
    ),
    "Bulgarian": (
        "Limba maternă e bulgara, iar rusa și româna le folosește în afara casei.",
        "Vorbește bulgara cu părinții și rusa cu prietenii.",
    ),
}
ETHNIC_LINES = {
    "Ukrainian": (
        "Se consideră {eth} și păstrează câteva obiceiuri de Crăciun de la bunici.",
        "Se declară {eth}, dar prietenii [lui|ei] vin din toate comunitățile.",
    ),
    "Gagauz": (
        "Se consideră {eth} și ține la sărbătorile comunității, dar nu face din asta un subiect de dispută.",
        "Se declară {eth}; în familie se păstrează câteva obiceiuri de primăvară.",
    ),
    "Russian": (
        "Se declară {eth} și are rude în mai multe țări ale fostei Uniuni.",
        "Se consideră {eth}, dar a trăit toată viața în Moldova și se simte de aici.",
    ),
    "Bulgarian": (
        "Se consideră {eth} și păstrează legătura cu rude din Bulgaria.",
        "Se declară {eth}; acasă se țin câteva obiceiuri vechi ale familiei.",
    ),
    "Roma": (
        "Se declară {eth} și ține la legăturile cu familia extinsă.",
        "Se consideră {eth}, iar în familie se vorbește și romani.",
    ),
    "Romanian": (
        "Se declară {eth} și ține la istoria comună de peste Prut.",
        "Se consideră {eth} și urmărește des presa de la București.",
    ),
}
EDU_LINES = (
    "În ce privește școala, {N} {edu}.",
    "Cât despre școală, {N} {edu} și vorbește despre asta fără complexe.",
    "{N} {edu}, iar restul a învățat din viață.",
)
FAMILY = {
    "married": (
        "E [căsătorit|căsătorită] de ani buni, iar deciziile mari le ia împreună cu [soția|soțul].",
        "E [căsătorit|căsătorită], iar în casă discuțiile despre bani sunt uneori aprinse.",
        "E [căsătorit|căsătorită] și împarte treburile casei cu [soția|soțul], nu întotdeauna egal.",
    ),
    "widowed": (
        "E [văduv|văduvă] și s-a obișnuit greu cu liniștea din casă.",
        "De când a rămas [văduv|văduvă], își organizează zilele în jurul copiilor și al vecinilor.",
        "E [văduv|văduvă] și merge des la cimitir, mai ales de Paștele Blajinilor.",
    ),
    "divorced": (
        "E [divorțat|divorțată] și spune că a învățat multe din asta.",
        "E [divorțat|divorțată] și păstrează o relație rece, dar civilizată, cu fostul partener.",
        "După divorț, a trebuit să-și refacă viața aproape de la zero.",
    ),
    "never_married": (
        "Nu e [căsătorit|căsătorită] și răspunde scurt când rudele întreabă de ce.",
        "E [necăsătorit|necăsătorită] și nu se grăbește, orice ar spune rudele.",
        "[Nu s-a însurat|Nu s-a măritat] niciodată, dar are o familie extinsă cu care se vede des.",
    ),
}
RELIGION = {
    "Orthodox": (
        "Merge la biserică mai ales de sărbătorile mari și ține câteva posturi.",
        "E [ortodox|ortodoxă], dar credința o trăiește mai mult acasă decât la slujbă.",
        "Aprinde lumânări pentru cei plecați și ține Crăciunul cu toată familia.",
    ),
    "Old Believers": ("Ține de comunitatea de rit vechi și respectă calendarul ei de sărbători.",),
    "Baptist": ("Face parte dintr-o comunitate baptistă și merge la adunare duminica.",),
    "Pentecostal": ("Merge la o biserică penticostală din zonă, unde are prieteni apropiați.",),
    "Adventist": ("E [adventist|adventistă] și ține sâmbăta ca zi de odihnă.",),
    "Evangelical": ("Face parte dintr-o comunitate evanghelică mică.",),
    "Jehovah's Witnesses": ("Face parte din comunitatea Martorilor lui Iehova.",),
    "Catholic": ("E [catolic|catolică] și merge la slujbă la biserica catolică cea mai apropiată.",),
    "Islam": ("E [musulman|musulmană] și își respectă sărbătorile, chiar dacă comunitatea e mică.",),
    "No religion": (
        "Nu e [religios|religioasă], dar respectă obiceiurile de sărbători ale familiei.",
        "Nu merge la biserică, deși participă la botezuri și nunți.",
    ),
    "Atheist or agnostic": ("Nu crede în Dumnezeu, dar nu intră în dispute pe tema asta.",),
    "Not declared": ("Despre credință vorbește rar și nu-i place să fie întrebat[|ă].",),
    "Other religion": ("Are o credință a [lui|ei], despre care vorbește puțin.",),
}
CB_CLOSE = (
    "Spune că se simte de aici, chiar și în zilele în care locul [îl|o] enervează.",
    "Nu-și imaginează viața în altă parte, deși s-a gândit de câteva ori la plecare.",
    "Se simte legat[|ă] de locul acesta mai mult prin oameni decât prin peisaj.",
    "Pentru [el|ea], acasă înseamnă familia, vecinii și câteva drumuri știute pe de rost.",
)
CB_FILL = (
    "În ultimii ani, satele din jur s-au golit, iar asta se vede la fiecare hram.",
    "Vecinii [lui|ei] sunt în mare parte oameni în vârstă, cu copiii plecați.",
    "La sărbători, casa se umple de rude, iar gălăgia [îl|o] obosește și [îl|o] bucură în același timp.",
    "Urmărește știrile locale și comentează deciziile primăriei.",
    "A văzut cum s-au schimbat prețurile, drumurile și oamenii din jur.",
    "Îi place să povestească întâmplări din tinerețe, cu multe detalii.",
    "Ține legătura cu colegii de școală pe un grup de mesaje.",
    "Din când în când, ajută la renovarea bisericii sau a școlii din localitate.",
)
SKILL_ITEMS = {
    0: (
        "disciplină și lucru în echipă",
        "orientare în teren",
        "acordarea primului ajutor",
        "condus autovehicule",
    ),
    1: (
        "organizarea echipei",
        "planificarea bugetului",
        "negociere cu furnizorii",
        "rapoarte și documente oficiale",
        "rezolvarea conflictelor",
    ),
    2: (
        "analiză și documentare",
        "explicarea lucrurilor complicate",
        "lucrul cu programe specializate",
        "redactarea rapoartelor",
        "actualizarea cunoștințelor profesionale",
    ),
    3: (
        "lucrul cu aparatură tehnică",
        "respectarea procedurilor",
        "diagnosticarea problemelor",
        "evidența documentelor tehnice",
    ),
    4: ("lucrul cu calculatorul", "evidența documentelor", "comunicarea cu publicul", "arhivare și ordine"),
    5: (
        "vânzare și servirea clienților",
        "calmarea clienților nemulțumiți",
        "lucrul cu casa de marcat",
        "organizarea raftului",
    ),
    6: (
        "îngrijirea viei",
        "creșterea animalelor",
        "cultivarea legumelor",
        "altoirea pomilor",
        "lucrul cu tractorul",
    ),
    7: (
        "lucrul cu sculele",
        "citirea schițelor",
        "reparații în construcții",
        "sudură și lăcătușerie",
        "finisaje",
    ),
    8: (
        "conducerea utilajelor",
        "întreținerea mașinilor",
        "respectarea normelor de siguranță",
        "condus pe distanțe lungi",
    ),
    9: ("muncă fizică grea", "încărcare și descărcare", "curățenie profesională", "munci agricole cu ziua"),
    "retired": (
        "experiență de viață",
        "îngrijirea nepoților",
        "conservarea legumelor",
        "administrarea unui buget mic",
    ),
    "student": ("învățare rapidă", "cercetare pe internet", "prezentări", "lucrul în proiecte de grup"),
    "unemployed": (
        "adaptare la munci diferite",
        "redactarea CV-ului",
        "lucrul cu ziua",
        "căutarea informațiilor",
    ),
    "homemaker": ("administrarea casei", "gătit pentru familie", "îngrijirea copiilor", "bugetul familiei"),
    "other": ("răbdare", "îngrijirea celor apropiați", "mici reparații", "organizarea treburilor casei"),
}
SKILL_HOME_RURAL = (
    "lucrul în grădină",
    "făcutul vinului",
    "creșterea păsărilor",
    "conservarea legumelor",
    "coptul pâinii",
    "tăiatul lemnelor",
    "îngrijirea pomilor",
)
SKILL_HOME_URBAN = (
    "mici reparații prin apartament",
    "gătit",
    "plata facturilor online",
    "îngrijirea plantelor de pe balcon",
    "croitorie simplă",
    "organizarea bugetului lunar",
)
SKILL_LANG = {
    "Moldovan": ("limba rusă",),
    "Romanian": ("limba rusă",),
    "Russian": ("limba română la nivel de conversație",),
    "Ukrainian": ("limba rusă",),
    "Gagauz": ("limba rusă",),
    "Bulgarian": ("limba rusă",),
}
SKILL_DIGITAL = (
    "lucrul cu telefonul și aplicațiile bancare",
    "editare simplă de fotografii",
    "cumpărături online",
    "tabele în Excel",
)
SKILL_OPEN = {
    "employed_urban": (
        "Competențele lui {N} vin mai ales din anii de muncă.",
        "{N} a învățat mai mult la locul de muncă decât din cursuri.",
    ),
    "employed_rural": (
        "{N} are două feluri de competențe: cele de la serviciu și cele de acasă, din gospodărie.",
        "Ce știe să facă {N} a învățat din muncă și de la cei mai în vârstă.",
    ),
    "retired": (
        "După o viață de muncă, {N} știe să facă multe lucruri practice.",
        "Cunoștințele lui {N} sunt mai ales practice, adunate în zeci de ani.",
    ),
    "student": ("{N} își construiește încă abilitățile, între cursuri și primele joburi.",),
    "other": (
        "{N} se descurcă în multe situații practice.",
        "Competențele lui {N} țin mai ales de casă și de oameni.",
    ),
}
SKILL_OPEN = {k: tuple(s.replace("lui {N}", "[lui|ei]") for s in v) for k, v in SKILL_OPEN.items()}
SKILL_HOME_LINE = (
    "Acasă se ocupă de {a} și de {b}.",
    "În afara muncii, știe bine {a} și {b}.",
    "Îi sunt utile și competențele din gospodărie, de la {a} la {b}.",
)
SKILL_LANG_LINE = (
    "Folosește fără probleme {l}.",
    "Pe lângă limba maternă, vorbește {l}.",
    "Se descurcă în {l}, mai ales în discuții practice.",
)
SKILL_LIMIT = (
    "Recunoaște că îi lipsește o limbă occidentală și că tehnologia nouă îi cere efort.",
    "Nu se pricepe la hârtii juridice și cere ajutor când are nevoie.",
    "Știe că ar trebui să învețe mai mult lucru cu calculatorul, dar amână.",
    "Nu are diplome pentru tot ce știe, iar asta contează uneori la angajare.",
)
SKILL_FILL = (
    "Învață repede ce îi trebuie, mai ales urmărind pe alții.",
    "Îi place să arate și altora cum se face un lucru corect.",
    "Ține minte procedurile și termenele fără să le noteze.",
)
HOBBY_ITEMS = {
    "young": (
        "jocuri video",
        "seriale pe internet",
        "fotbal cu prietenii",
        "ieșiri în oraș",
        "fotografie cu telefonul",
        "muzică",
        "drumeții",
        "filme",
    ),
    "mid": (
        "pescuit",
        "lucrul în grădină",
        "emisiuni de știri",
        "plimbări în parc",
        "gătit de weekend",
        "cărți polițiste",
        "fotbal la televizor",
    ),
    "old": (
        "grădinărit",
        "emisiuni religioase",
        "croșetat",
        "seriale turcești",
        "povești cu vecinii",
        "plimbări scurte",
        "dezlegat integrame",
    ),
    "rural": (
        "îngrijirea viei",
        "albinărit",
        "creșterea porumbeilor",
        "pregătirile pentru hramul satului",
        "tâmplărie",
    ),
    "urban": ("teatru", "expoziții", "cafenele", "ciclism", "concerte"),
}
HOBBY_OPEN = (
    "În timpul liber, {N} se ocupă mai ales de {a} și de {b}.",
    "Pasiunile lui {N} sunt modeste: {a} și {b}.",
    "Când are câteva ore libere, {N} alege {a} sau {b}.",
)
HOBBY_OPEN = tuple(s.replace("Pasiunile lui {N}", "Preocupările [lui|ei]") for s in HOBBY_OPEN)
HOBBY_MID = (
    "Își mai face timp și pentru {a}, dar rar.",
    "Din când în când găsește o oră și pentru {a}.",
    "Prietenii știu că nu refuză o invitație legată de {a}.",
)
HOBBY_MID2 = (
    "Are și o slăbiciune pentru {a}, fără să devină o obsesie.",
    "Își face timp pentru {a} mai ales iarna.",
    "Weekendurile cu {a} sunt puține, dar le așteaptă.",
)
HOBBY_FRICTION = (
    "Timpul liber e puțin și se duce repede pe treburi.",
    "Hobby-urile costă, iar bugetul nu permite multe.",
    "Familia se plânge uneori că stă prea mult cu ochii în telefon.",
    "Oboseala de la sfârșitul săptămânii îi taie cheful de orice.",
)
HOBBY_FILL = (
    "Nu se laudă cu ce face în timpul liber.",
    "Preferă activitățile care nu cer cheltuieli mari.",
    "Îi place să aibă ceva de lucru cu mâinile.",
)
CAREER = {
    "employed_young": (
        "Vrea să urce în funcție în următorii ani sau să-și schimbe domeniul.",
        "Se gândește la un curs de calificare care i-ar aduce un salariu mai bun.",
        "Ar vrea să-și cumpere o locuință fără să depindă de un credit pe treizeci de ani.",
        "Nu exclude plecarea la muncă peste hotare, dar nu o vede ca pe un plan principal.",
    ),
    "employed_mid": (
        "Ar vrea stabilitate mai mult decât avansări spectaculoase.",
        "Speră să-și dea copiii la o școală bună și să termine de reparat casa.",
        "Se gândește la o mică afacere pe cont propriu, dar se teme de riscuri.",
        "Vrea să ajungă la pensie cu vechimea completă și cu sănătatea în ordine.",
    ),
    "employed_late": (
        "Numără anii până la pensie și se gândește ce va face după.",
        "Vrea să-și transmită meseria cuiva mai tânăr.",
        "Nu mai caută schimbări mari, doar un final de carieră liniștit.",
        "Speră ca pensia să-i permită măcar să nu depindă de copii.",
    ),
    "retired": (
        "Nu mai are ambiții profesionale, dar vrea să rămână activ[|ă] și util[|ă].",
        "Își dorește să vadă nepoții crescând și să-i ajute cât poate.",
        "Ar vrea să mai facă o reparație la casă cât încă are putere.",
        "Speră să nu ajungă o povară pentru familie.",
    ),
    "student": (
        "După absolvire vrea un loc de muncă în domeniu, de preferință în Moldova.",
        "Se gândește la un master în România sau în altă țară europeană.",
        "Vrea să prindă experiență cât mai devreme, chiar și prost plătită.",
        "Nu are încă un plan clar și recunoaște asta.",
    ),
    "unemployed": (
        "Prima țintă e un loc de muncă stabil, cu contract și contribuții plătite.",
        "Ar accepta o recalificare dacă ar fi plătită.",
        "Nu vrea să plece din țară, dar nu mai exclude varianta.",
        "Caută ceva aproape de casă, ca să nu piardă timp pe drum.",
    ),
    "homemaker": (
        "Se gândește să se angajeze cu jumătate de normă când copiii vor fi mai mari.",
        "Vrea să transforme conservele făcute în casă într-o mică sursă de venit.",
        "Ambiția principală e ca familia să se descurce fără datorii.",
        "Ar vrea să termine un curs început cu ani în urmă.",
    ),
    "other": (
        "Vrea mai întâi să-și rezolve problemele de sănătate și de acte.",
        "Ar vrea o activitate care să-i aducă un venit mic, dar sigur.",
        "Nu face planuri pe termen lung.",
        "Se gândește la o muncă de acasă, dacă va găsi ceva potrivit.",
    ),
}
CAREER_DOUBT = {
    "any": (
        "Nu e sigur[|ă] că planurile [lui|ei] se vor potrivi cu realitatea.",
        "Știe că multe depind de bani și de noroc.",
        "Ezită, pentru că a văzut destule planuri care n-au ieșit.",
    ),
    "retired": ("Știe că sănătatea decide mai mult decât orice plan.",),
}
CAREER_FILL = (
    "Face socoteli pe hârtie înainte de orice decizie mare și le reface de câteva ori.",
    "Cere părerea cuiva de încredere, dar nu întotdeauna o urmează.",
    "Discută planurile cu familia, dar decizia finală o ia singur[|ă].",
    "Își notează ideile, dar nu le spune tuturor.",
    "Nu-i plac promisiunile mari, nici ale altora, nici ale [lui|ei].",
    "Vrea lucruri concrete: un venit sigur, o casă caldă și timp pentru ai [săi|săi].",
)

# Lines keyed by words of the actual job title (first match wins), so that a guard does not get a
# shop assistant's day just because both are ISCO group 5.
JOB_TITLE_LINES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("pază", "paznic"),
        (
            "Face ture de douăsprezece ore și cunoaște fiecare cameră de supraveghere a clădirii.",
            "Noaptea, cel mai greu e să nu adoarmă între două runde de verificare.",
            "Notează în registru fiecare mașină care intră și iese.",
            "Știe pe de rost cine are voie să treacă de barieră și cine nu.",
        ),
    ),
    (
        ("polițist",),
        (
            "Turele se schimbă des, iar sărbătorile le petrece adesea în patrulă.",
            "Scrie procese-verbale mai mult decât ar crede cineva din afară.",
            "A învățat să vorbească liniștit cu oameni agitați.",
        ),
    ),
    (
        ("vânzăt", "casier"),
        (
            "Stă toată ziua în picioare și vorbește cu zeci de cumpărători.",
            "Știe prețurile pe de rost și observă imediat când furnizorul le urcă.",
            "La sfârșitul zilei numără casa de două ori, ca să nu lipsească niciun leu.",
            "Cumpărătorii fideli îi spun pe nume și îi cer sfatul la marfă.",
        ),
    ),
    (
        ("chelner", "ospătar", "bucătar", "barman"),
        (
            "Serile de vineri și nunțile din weekend sunt cele mai grele ture.",
            "Bacșișul ajută, dar variază mult de la o lună la alta.",
            "Știe din ochi care masă va cere nota în grabă.",
        ),
    ),
    (
        ("zidar", "tencuitor", "construc", "dulgher", "fierar betonist", "zugrav"),
        (
            "Lucrează pe șantier de primăvara până toamna târziu, iar iarna comenzile se răresc.",
            "Știe să citească un plan și să-și dea seama unde a greșit altcineva.",
            "Mâinile și spatele țin socoteala anilor de șantier.",
            "Primește des comenzi de la cunoscuți pentru reparații de case.",
        ),
    ),
    (
        ("sezonier", "sezonieră", "culegăt", "muncitor agricol", "muncitoare agricolă", "zilier"),
        (
            "Lucrează cu ziua sau pe sezon, la cules, la prășit și la legat via, pentru cine plătește.",
            "Vara se trezește înainte de cinci și lucrează până se întunecă.",
            "Banii vin doar în lunile calde, iar iarna trebuie să se descurce din ce a strâns.",
            "Știe din ochi care gospodar plătește la timp și la care nu mai merge.",
        ),
    ),
    (
        (
            "agricol",
            "culegăt",
            "grădinar",
            "agronom",
            "viticultor",
            "crescător",
            "lotul propriu",
            "fermier",
            "legumicult",
            "tractorist",
            "zootehn",
            "apicult",
        ),
        (
            "Munca depinde de vreme și de prețurile de achiziție.",
            "Vara se trezește înainte de cinci și lucrează până se întunecă.",
            "Vinde o parte din recoltă unor intermediari care plătesc cât vor ei.",
            "Știe din ochi când e timpul de cules sau de stropit.",
        ),
    ),
    (
        ("curățenie", "femeie de serviciu", "om de serviciu", "menajer"),
        (
            "Începe lucrul înaintea tuturor, ca birourile să fie curate când vin ceilalți.",
            "Munca nu se vede decât atunci când nu e făcută.",
            "Cumpără uneori din banii proprii detergenții care lipsesc.",
        ),
    ),
    (
        ("educat", "învățăt", "profesor", "pedagog"),
        (
            "Își pregătește lecțiile seara, după ce termină treburile casei.",
            "Ține minte numele fiecărui copil și ce îi place fiecăruia.",
            "Completează multe hârtii cerute de direcție și de minister.",
            "Părinții îi scriu pe telefon și după ora zece seara.",
        ),
    ),
    (
        ("șofer", "curier", "conducăt auto"),
        (
            "Petrece cea mai mare parte a zilei la volan și cunoaște gropile fiecărui drum.",
            "Prețul motorinei îl simte direct în câștigul lunii.",
            "Are mereu în mașină un termos și ceva de mâncare pentru drum.",
        ),
    ),
    (
        ("operator", "asamblor", "ambalat", "linia de", "fabric"),
        (
            "Lucrează în ture, la o linie care nu se oprește.",
            "Norma zilnică e fixă, iar pauzele sunt numărate la minut.",
            "Zgomotul halei îl aude uneori și acasă, seara.",
        ),
    ),
    (
        ("cusătoreas", "croitor", "croitoreas"),
        (
            "Coase ore în șir la mașină, cu o normă de bucăți pe zi.",
            "Are comenzi și acasă, de la vecini care vor o fustă strâmtată sau un tiv.",
            "Spatele și ochii obosesc mai repede decât mâinile.",
        ),
    ),
    (
        ("asistent", "medic", "farmacist", "laborant", "infirmier", "moașă"),
        (
            "Turele de noapte și gărzile îi dau peste cap somnul.",
            "Pacienții vin cu întrebări și după program, chiar și la poartă.",
            "Completează fișe și rețete mai mult timp decât stă cu oamenii.",
            "Se ține la curent cu schimbările din protocoale prin cursuri scurte.",
        ),
    ),
    (
        ("mecanic", "lăcătuș", "electrician", "sudor", "instalator"),
        (
            "Lucrează cu mâinile și își cunoaște sculele ca pe ale sale.",
            "Are clienți și în afara programului, vecini cu mașini sau țevi stricate.",
            "Nu-i plac reparațiile făcute în grabă, chiar dacă sunt plătite bine.",
        ),
    ),
    (
        ("hamal", "încărcăt", "docher"),
        (
            "Munca e grea fizic, cu saci și lăzi cărate toată ziua.",
            "Lucrează adesea cu ziua, fără contract pe termen lung.",
            "Se bazează pe câțiva colegi cu care se înțelege din priviri.",
        ),
    ),
    (
        ("social",),
        (
            "Merge zilnic la câțiva bătrâni singuri, le aduce medicamente și pâine.",
            "Unii beneficiari o așteaptă mai mult pentru vorbă decât pentru ajutor.",
            "Drumurile de la o casă la alta le face mai ales pe jos.",
        ),
    ),
    (
        ("administrat", "director", "primar", "șef", "manager"),
        (
            "Răspunde pentru oameni, bani și termene în același timp.",
            "Petrece mult timp la telefon și în ședințe.",
            "Trebuie să împace cerințele de sus cu posibilitățile reale ale echipei.",
        ),
    ),
    (
        ("programat", "informatic", "tester", "dezvoltat"),
        (
            "Lucrează mult la calculator, adesea pentru clienți din străinătate.",
            "Învață mereu tehnologii noi, pentru că cele vechi se demodează repede.",
            "Ședințele online încep uneori la ore ciudate, după fusul orar al clientului.",
        ),
    ),
    (
        ("contabil", "economist", "funcționar", "secretar", "operator de date"),
        (
            "Lucrează mult la calculator, cu tabele și rapoarte.",
            "Sfârșitul de lună și de trimestru înseamnă ore suplimentare.",
            "Ține evidența unor hârtii pe care alții le pierd.",
        ),
    ),
)
JOB_TITLE_LINES = tuple(
    (k, tuple(x.replace("ale sale", "ale [lui|ei]") for x in v)) for k, v in JOB_TITLE_LINES
)
PRO_OPEN_NEW = (
    "{N} {jobc} de puțin timp și încă învață ritmul locului de muncă.",
    "{N} {jobc}; e primul loc de muncă serios și îl ia în serios.",
)


# Banks that describe manual work, keyed by their first keyword, with the ISCO major groups whose
# titles they fit: with 1,100 titles a keyword also hits "inginer-șef în construcții" or "inginer
# mecanic", who get their ISCO group's lines instead of a bricklayer's or a fitter's day.
MANUAL_BANK_MAJORS = {
    "zidar": (7, 9),
    "sezonier": (6, 9),
    "agricol": (6, 9),
    "curățenie": (5, 9),
    "operator": (8, 9),
    "cusătoreas": (7, 8, 9),
    "mecanic": (7, 8),
    "hamal": (9,),
    "șofer": (8, 9),
}


def _bank_fits(keys: tuple[str, ...], isco) -> bool:
    majors = MANUAL_BANK_MAJORS.get(keys[0])
    return majors is None or not isinstance(isco, int) or isco in majors


def job_lines(title: str | None, isco: int | None = None) -> tuple[str, ...] | None:
    """Lines for the job title's first matching keyword, else None (use the ISCO group)."""
    t = (title or "").lower()
    for keys, lines in JOB_TITLE_LINES:
        if any(k in t for k in keys):
            return lines if _bank_fits(keys, isco) else None
    return None


# More persona-specific material (slots vary per person, so these add length without boilerplate).
SPORT_FILL += (
    "În {place}, locurile bune pentru mișcare sunt puține, așa că {N} se descurcă cu ce are aproape de casă.",
    "La {age}, {N} știe că mișcarea nu mai e opțională, chiar dacă nu o face cu plăcere.",
    "Weekendul e singurul timp în care {N} se poate mișca fără să se uite la ceas.",
    "Încălțămintea de sport a lui {N} are deja câțiva ani și ar trebui schimbată.",
)
SPORT_FILL = tuple(s.replace("a lui {N}", "pe care o poartă {N}") for s in SPORT_FILL)
ARTS_FILL += (
    "În {place}, {N} ajunge rar la spectacole, mai ales din cauza programului.",
    "Pe telefonul lui {N} sunt mai multe melodii decât fotografii.",
    "Când vine vorba de cărți, {N} preferă volumele subțiri, pe care le poate termina într-o săptămână.",
    "La sărbători, {N} e printre cei care cer muzică veche la masă.",
)
ARTS_FILL = tuple(
    s.replace("Pe telefonul lui {N}", "În telefonul pe care îl folosește {N}") for s in ARTS_FILL
)
TRAVEL_FILL += (
    "Cel mai lung drum făcut de {N} în ultimii ani a fost până la o rudă din alt raion.",
    "Din {place}, orice călătorie mai lungă începe cu drumul până la autogară.",
    "La {age}, {N} a ajuns să prefere liniștea de acasă în locul drumurilor lungi.",
    "Pașaportul lui {N} a stat mai mult în sertar decât la vamă.",
    "Dacă ar avea bani puși deoparte, {N} i-ar cheltui mai întâi pe o excursie cu familia.",
)
TRAVEL_FILL = tuple(s.replace("Pașaportul lui {N}", "Pașaportul pe care îl are {N}") for s in TRAVEL_FILL)
FOOD_FILL += (
    "În {place}, {N} știe unde se găsește cea mai bună pâine și la ce oră se termină.",
    "De la {age} încoace, {N} gătește mai puțin gras decât în tinerețe.",
    "Pentru musafiri, {N} pune pe masă tot ce are mai bun, chiar dacă asta strică bugetul săptămânii.",
    "Rețetele le învață mai mult de la rude decât de pe internet.",
)
SKILL_FILL += (
    "Ce știe {N} a învățat mai ales făcând, nu citind.",
    "Vecinii din {place} [îl|o] cheamă când au nevoie de o mână de ajutor la ceva practic.",
    "La {age}, {N} știe destul de bine ce poate face singur[|ă] și unde are nevoie de alții.",
)
HOBBY_FILL += (
    "În {place}, timpul liber al lui {N} depinde mult de vreme și de treburile casei.",
    "Seara, după ce se liniștește casa, {N} își face măcar o jumătate de oră doar pentru [el|ea].",
    "Cheltuie rar pe hobby-uri, dar nu regretă banii dați pe lucrurile care [îl|o] odihnesc.",
)
HOBBY_FILL = tuple(
    s.replace("timpul liber al lui {N}", "timpul liber pe care îl are {N}") for s in HOBBY_FILL
)
CAREER_FILL += (
    "La {age}, {N} măsoară orice plan în bani, timp și sănătate.",
    "Din {place} nu vrea să plece, așa că planurile trebuie să încapă aici.",
    "Cei din jur îi spun că ar trebui să îndrăznească mai mult, dar {N} preferă pașii mici.",
)
CB_MORE = (
    "Părinții lui {N} au muncit amândoi cât au putut, iar banii din casă s-au numărat mereu cu grijă.",
    "În {place}, {N} cunoaște mai toate drumurile scurte și oamenii care le folosesc.",
    "Prima amintire de la școală a lui {N} e legată de o învățătoare severă, dar dreaptă.",
    "Când se adună familia, {N} e cel care ascultă mai mult decât vorbește.",
    "Pe {N} l-au crescut mai ales bunicii, cât timp părinții munceau.",
    "În casa părintească se țineau toate sărbătorile, iar obiceiul a rămas și la {N}.",
    "De la părinți, {N} a moștenit mai ales obiceiul de a nu arunca nimic ce se mai poate repara.",
    "Cu {town} are o legătură veche: acolo mergea la piață sau la medic încă de mic[|ă].",
    "Pe lângă casa în care a crescut, {N} trece și acum cu un amestec de dor și de indiferență.",
    "În familie se povestește des despre un străbunic care a trecut prin război și deportări.",
    "Fotografiile vechi ale familiei le ține {N} într-o cutie, nu într-un album.",
    "Când vorbește despre copilărie, {N} pomenește mai întâi mirosul casei și vocea bunicii.",
    "Dintre frați și veri, {N} e printre puținii care au rămas aproape de locul în care s-au născut.",
    "Sărbătorile de iarnă înseamnă pentru {N} mai ales drumuri la rude și mese lungi.",
)
CB_MORE = tuple(
    s.replace("Părinții lui {N}", "Părinții [lui|ei]")
    .replace("a lui {N} e", "pe care o are {N} e")
    .replace("Pe {N} l-au crescut", "Pe {N} [l-au|au] crescut[|-o]")
    .replace("{N} e cel care", "{N} e [cel|cea] care")
    .replace("Fotografiile vechi ale familiei le ține {N}", "{N} ține fotografiile vechi ale familiei")
    for s in CB_MORE
)

# Skills by words of the job title (first match wins; else the ISCO group's list).
JOB_TITLE_SKILLS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("pază", "paznic"),
        ("supravegherea pe camere video", "controlul accesului", "ture de noapte", "primul ajutor"),
    ),
    (
        ("polițist",),
        ("întocmirea proceselor-verbale", "calmarea conflictelor", "cunoașterea legislației rutiere"),
    ),
    (
        ("vânzăt", "casier"),
        ("servirea clienților", "lucrul cu casa de marcat", "aranjarea mărfii", "socoteli rapide"),
    ),
    (
        ("chelner", "ospătar", "bucătar", "barman"),
        ("servirea la mese mari", "gătit pentru multe persoane", "lucrul sub presiune"),
    ),
    (
        ("zidar", "tencuitor", "construc", "dulgher", "zugrav"),
        ("zidărie", "tencuieli și finisaje", "citirea unui plan de construcție", "lucrul cu betonul"),
    ),
    (
        ("sezonier", "sezonieră", "culegăt", "muncitor agricol", "muncitoare agricolă", "zilier"),
        (
            "culesul strugurilor și al fructelor",
            "prășit și legat via",
            "munci agricole cu ziua",
            "rezistență la efort",
        ),
    ),
    (
        ("agricol", "grădinar", "agronom", "viticultor", "crescător", "lotul propriu", "fermier", "apicult"),
        (
            "îngrijirea viei",
            "cultivarea legumelor",
            "creșterea animalelor",
            "altoirea pomilor",
            "vânzarea recoltei",
        ),
    ),
    (
        ("curățenie", "femeie de serviciu", "om de serviciu", "menajer"),
        ("curățenie profesională", "lucrul cu detergenți și dezinfectanți", "organizarea spațiilor"),
    ),
    (
        ("educat", "învățăt", "profesor", "pedagog"),
        ("lucrul cu copiii", "pregătirea lecțiilor", "comunicarea cu părinții", "organizarea serbărilor"),
    ),
    (
        ("șofer", "curier"),
        ("condus pe distanțe lungi", "orientare fără GPS", "întreținerea mașinii", "livrări la termen"),
    ),
    (("cusătoreas", "croitor"), ("cusut la mașină", "croitorie", "ajustarea hainelor", "lucru de precizie")),
    (
        ("asistent", "medic", "farmacist", "laborant", "infirmier", "moașă"),
        (
            "îngrijirea pacienților",
            "acordarea primului ajutor",
            "lucrul cu fișele medicale",
            "analize de laborator",
        ),
    ),
    (
        ("mecanic", "lăcătuș", "electrician", "sudor", "instalator"),
        ("reparații mecanice", "diagnosticarea defectelor", "sudură", "lucrul cu sculele"),
    ),
    (
        ("programat", "informatic", "tester"),
        ("programare", "lucrul cu baze de date", "limba engleză tehnică", "rezolvarea problemelor"),
    ),
    (
        ("contabil", "economist", "funcționar", "secretar"),
        ("evidența documentelor", "lucrul în Excel", "rapoarte lunare", "relația cu publicul"),
    ),
)


def job_skills(title: str | None, isco: int | None = None) -> tuple[str, ...] | None:
    """Skill items for the job title's first matching keyword, else None (use the ISCO group)."""
    t = (title or "").lower()
    for keys, items in JOB_TITLE_SKILLS:
        if any(k in t for k in keys):
            return items if _bank_fits(keys, isco) else None
    return None
