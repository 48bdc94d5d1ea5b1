"""Places, countries and agencies of a sentence, and the role of each place.

A country or place is where the operation took place ("in Homs", "at the Jaber crossing"),
where the drugs came from ("smuggled from Syria", "from Syrian territory"), passed through
("via Turkey") or were bound for ("bound for Iraq", "into Jordan"). The words just before a
mention decide; a place with no such words counts as where it took place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from narcograph.ingest import facts
from narcograph.ingest.extract.sentences import CALENDAR_WORDS
from narcograph.ingest.gazetteer import (
    AgencyEntry,
    CountryInfo,
    Gazetteer,
    PlaceEntry,
    country_by_demonym,
    country_to_fact,
    place_to_fact,
)

_ORIGIN = re.compile(
    r"(\bfrom|\bout of|\b(?:had |having )?left|\bdeparted|\bset sail from|\bsailed from|"
    r"\boriginat\w* (?:in|from)|\bproduced in|\bmanufactured in|\bsourced from|"
    r"\bshipped from|\bsmuggled from|\bcoming from|\barriv\w+ from|\bdeparted from)\s+(?:the\s+)?"
    r"(?:[\w'’-]+\s+){0,2}$",
    re.IGNORECASE,
)
_DESTINATION = re.compile(
    r"(\bbound for|\bdestined (?:for|to)|\bheading (?:for|to|towards)|\ben route to|\bon (?:its|their|the) way to|"
    r"\binto|\bintended for|\bmeant for|\bdestination|\bfor (?:sale|distribution|delivery) in|\btowards|"
    r"\b(?:addressed|consigned|sent|shipped|delivered) to [^.;,]{0,30}\bin)\s+(?:the\s+)?"
    r"(?:[\w'’-]+\s+){0,2}$",
    re.IGNORECASE,
)
_TO_AFTER_MOVE = re.compile(
    r"\b(smuggl\w+|ship\w*|transport\w*|export\w*|traffick\w*|sent|sending|mov\w+|carr\w+|sail\w*|"
    r"fl(?:y|ew|ying)|headed|heading|deliver\w*)\b[^.;]{0,80}\b(?:to|for)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}$",
    re.IGNORECASE,
)
_TRANSIT = re.compile(r"(\bvia|\bthrough|\btransit\w*(?: through| in)?)\s+(?:the\s+)?$", re.IGNORECASE)
# a place named as someone's home is not where the operation happened
# "the border with Syria", "neighbouring Lebanon": a neighbour of where it happened
_NEIGHBOUR = re.compile(
    r"(\b(?:border|crossing|frontier|boundary|borders)\s+with|\bneighbou?ring|\bbordering|"
    # "cooperation between Damascus and Baghdad": capitals standing for governments
    r"\bbetween(?:\s+[\w'’-]+){0,2}\s+and|\bbetween|"
    # "a statement issued in Abuja": where officials spoke, not where it happened
    r"\b(?:statement|press release|press conference|news conference|briefing|interview)(?:\s+\w+){0,2}\s+(?:in|from)|"
    # "told reporters at the Kuala Lumpur police headquarters": where they met the press
    r"\b(?:reporters|journalists)\s+at)"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_HOME = re.compile(
    r"(\bnationals? of|\bcitizens? of|\bresidents? of|\bnative of|\bwho lives? in|\bhails from|"
    r"\b(?:man|woman|men|women|residents?|natives?|suspects?|nationals?|farmer|driver|youth|boy|girl|"
    r"years? old|aged \d+|\d+)\s*,?\s+(?:originally\s+)?(?:from|of))\s+(?:the\s+)?(?:[\w'’-]+,?\s+){0,2}$",
    re.IGNORECASE,
)
_RECEIVER = re.compile(r"\b(handed (?:over )?to|transferred to|referred to|passed to)\s+(?:the\s+)?$", re.IGNORECASE)

_GENERIC_AGENCY = re.compile(
    r"\b((?:(?P<qual>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)\s+)?"
    r"(?:(?:anti-?narcotics?|counter-?narcotics?|anti-drug|drug|provincial|federal|national|state|"
    r"border|naval|military|security|riot|traffic|municipal|city|district|local)\s+)*"
    r"(?:(?i:police)(?:\s+forces?)?|(?i:army|navy)|customs(?:\s+officials|\s+officers|\s+department)?|coast\s?guard|"
    r"security forces|border guards?(?: forces)?|gendarmerie|armed forces|"
    r"(?:security|anti-?narcotics?|counter-?narcotics?|customs|border|law enforcement) "
    r"(?:authorities|units?|agenc(?:y|ies))|"
    r"(?:anti-?narcotics?|counter-?narcotics?) branch|intelligence (?:agenc(?:y|ies)|services?)))\b",
)
_GENERIC_HEAD = re.compile(
    r"(police|army|navy|customs|coast\s?guard|security forces|border guards?|gendarmerie|armed forces|"
    r"troops|marines|soldiers|authorities|units?|agenc(?:y|ies)|branch|services?)",
    re.IGNORECASE,
)


_NEWS_AGENCY = re.compile(
    r"\b(Agence France[- ]Presse|Associated Press|Reuters|Xinhua( News Agency)?|Anadolu( Agency)?|"
    r"(Saudi|Emirates|Kuwait|Qatar|Jordan|Syrian Arab|Iraqi|Oman|Bahrain|Philippine|Turkish) (Press|News) Agency|"
    r"Press Trust of India|Asian News International|Indo-Asian News Service|Bernama|Kyodo( News)?|Yonhap|"
    r"Europa Press|Agencia EFE|EFE|Deutsche Presse-Agentur|Islamic Republic News Agency|Mehr News Agency|"
    r"Tasnim( News Agency)?|Fars( News Agency)?|News Agency of Nigeria|Kenya News Agency|Agencia Brasil|"
    r"(?<=\()AFP(?=\))|(?<=told )AFP|(?<=[—–] )AFP|AFP(?= (reported|said|learned|news agency))|(?<=to )AFP|"
    r"Estad[aã]o Content[ea]?do|Kurdistan ?24|Rudaw|Al Jazeera|Al Arabiya|Sky News Arabia|Petra|"
    r"(?:[A-Z][\w-]+ ){1,3}(?:News|Press) Agency)\b"
)

_NOT_QUALIFIERS = {
    "the",
    "a",
    "an",
    "its",
    "their",
    "his",
    "her",
    "our",
    "when",
    "then",
    "after",
    "as",
    "while",
    "but",
    "and",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "today",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "local",
    "where",
    "if",
    "both",
    "other",
    "some",
    "all",
    "meanwhile",
    "later",
}


@dataclass
class SentencePlaces:
    """Where a sentence places things, and which agencies it names."""

    where: list[facts.Place] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)
    destinations: list[str] = field(default_factory=list)
    transits: list[str] = field(default_factory=list)
    # countries of the towns and ports drugs came from or went to ("headed for Antwerp")
    place_origins: list[str] = field(default_factory=list)
    place_destinations: list[str] = field(default_factory=list)
    agencies: list[facts.Agency] = field(default_factory=list)
    receivers: list[facts.Agency] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # every country named, any role
    networks: list[str] = field(default_factory=list)  # criminal groups named ("the Sinaloa Cartel")
    from_abroad: bool = False  # "arrived from Europe", "shipped from overseas": no country, but abroad
    names: set[str] = field(default_factory=set)  # surfaces of every match (not person names)


_NAME = r"(?:[A-Z][\w'’.-]*|(?:del|de|las|los|la|el|al|of)\b)(?:\s+(?:[A-Z][\w'’.-]*|(?:del|de|las|los|la|el|al)\b))*"
_PLACE_NOUN = (
    r"(?:district|area|village|town|township|sub-?county|county|municipality|province|governorate|region|"
    r"neighbou?rhood|suburb|island|river|coast|beach|bay|port|harbou?r|border crossing|crossing|border post|"
    r"checkpoint|highway|valley|hills?|mountains?|forest|camp|market|estate|upazila|barangay|tambon|countryside|"
    r"department|prefecture|parish|oblast|canton|commune|upazila|tehsil|taluka|"
    r"Sub-County|District|Province|Governorate|Island|River|Port|Border Crossing|Crossing|Valley)"
)
# "Muchni area", "Charchino and Chori districts", "the town of Utrera", "tambon Wiang"
_PATTERN_PLACE = re.compile(
    rf"\b(?P<a>{_NAME})(?:\s+and\s+(?P<b>{_NAME}))?\s+(?P<noun>{_PLACE_NOUN}s?)\b"
    rf"|\b(?:town|village|city|district|province|port|island|municipality|region) of (?P<c>{_NAME})"
    rf"|\b(?P<g>(?:gulf|bay|sea|straits?) of {_NAME})"
    rf"|\b(?:located|based|found|seized|arrested|detained|intercepted|raided|held|stopped|discovered|"
    rf"confiscated|recovered|labs?|laboratories|warehouses?)\b(?: [\w,-]+){{0,6}}? "
    rf"in (?P<e>{_NAME})(?:,? and (?P<f>{_NAME}))?"
    rf"|\b(?P<d>(?:tambon|barangay|amphoe|kampung|mukim|Taman|Kampung|Kampong|Jalan|Bandar|Barangay) {_NAME})"
)
_PREFIXES = {"tambon", "barangay", "amphoe", "kampung", "mukim"}
_WATERS = {"gulf", "bay", "sea", "strait", "straits"}
# nouns that are part of a place's name ("Naf river", "Kisauni Sub-County")
_NAMED_NOUNS = (
    "river",
    "island",
    "sub-county",
    "subcounty",
    "county",
    "valley",
    "bay",
    "gulf",
    "crossing",
    "border crossing",
    "countryside",
)
_NOT_PLACE_WORDS = {
    "The",
    "A",
    "An",
    "This",
    "That",
    "Its",
    "Their",
    "His",
    "Her",
    "Police",
    "Customs",
    "Army",
    "Navy",
    "Border",
    "Coast",
    "National",
    "Federal",
    "State",
    "Security",
    "Drug",
    "Anti",
    "Narcotics",
    "Guard",
    "Station",
    "Task",
    "Force",
    "Unit",
    "Agency",
    "Ministry",
    "Department",
    "Command",
    "Same",
    "Other",
    "Both",
    "Western",
    "Eastern",
    "Northern",
    "Southern",
    "Central",
    "Upper",
    "Lower",
    "Greater",
    "North",
    "South",
    "East",
    "West",
    "Mid",
    "Red",
    "Golden",
    "Triangle",
    "Crescent",
    "Middle",
    "Free",
    "Industrial",
    "Special",
    "Economic",
} | CALENDAR_WORDS


_UNIT_HEAD = (
    r"(?:Task Force|Police Station|Police Force|Police Service|Police|Unit|Force|Forces|Command|Group|Squad|"
    r"Agency|Service|Bureau|Directorate|Department|Authority|Office|Guard|Brigade|Battalion|Division|Regiment|"
    r"Commission|Administration|Ministry|Secretariat|Army|Navy|Gendarmerie|Customs|Coast ?Guard|Prosecutor's Office|"
    r"Prosecution Service|Intelligence)"
)
_UNIT_WORD = r"(?:[A-Z][\w'’.-]*|\d+(?:st|nd|rd|th)|of|the|for|on|against|de|del|la)"
# "Naval Intelligence Security Group", "Pha Muang Task Force", "Kiembeni Police Station"
_NAMED_UNIT = re.compile(rf"\b((?:{_UNIT_WORD}\s+){{1,7}}{_UNIT_HEAD})\b(?:\s*\(([A-Z][A-Za-z-]{{1,9}})[,)])?")
_NOT_UNIT_START = {
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "By",
    "From",
    "With",
    "For",
    "And",
    "Of",
    "Against",
    "As",
    "When",
    "After",
    "Before",
    "While",
    "Its",
    "Their",
    "His",
    "Her",
    "This",
    "That",
    "Both",
    "Local",
    "Police",
    "Security",
    "Federal",
    "National",
    "Officers",
    "Soldiers",
    "Members",
    "Agents",
    "Rangers",
    "Operatives",
    "Detectives",
    "Troops",
    "Personnel",
    "Staff",
    "Officials",
    "Men",
}


_FROM_REGION = re.compile(
    r"\b(?:from|out of)\s+(?:the\s+)?(?:Europe|Asia|Africa|South America|Latin America|Central America|North America|"
    r"Middle East|Golden Triangle|Golden Crescent|West Africa|East Africa|Southeast Asia|South Asia|Caribbean|"
    r"Balkans|abroad|overseas)\b"
)
# criminal groups: named like agencies, but the other side
_NETWORK = re.compile(
    r"\b((?:[A-Z][\w'’.-]*\s+){0,5}(?:Cartel|cartel|Clan|clan|Gang|Guerrillas?|Mafia|Syndicate|Brotherhood|"
    r"Revolutionary Armed Forces(?: of [A-Z]\w+)?|Liberation Army|Tren de Aragua|Ndrangheta|'Ndrangheta|Camorra))\b"
)
_PERSON_TITLES = {
    "Commander",
    "Chief",
    "Minister",
    "President",
    "Director",
    "Head",
    "Spokesman",
    "Spokesperson",
    "Deputy",
    "Governor",
    "Mayor",
    "Colonel",
    "Captain",
    "Lieutenant",
}


def named_units(sentence: str) -> list[tuple[str, int, int]]:
    """Return agencies and units named in capitals: ``(label, start, end)``.

    A run of capitalised words ending in an agency word ("Mekong Riverine Unit", "Transnational
    Organised Crime Unit (TOCU)"); a bare "National Police" is left to the gazetteer.
    """
    out = []
    for m in _NAMED_UNIT.finditer(sentence):
        words = m.group(1).split()
        start = m.start(1)
        while words and (words[0] in _NOT_UNIT_START or not words[0][0].isupper()):
            start += len(words[0]) + 1
            words = words[1:]
        # two words at least, one of them a name rather than an agency word
        if len(words) < 2 or all(re.fullmatch(_UNIT_HEAD, w) or w in _NOT_UNIT_START for w in words):
            continue
        if words[0].split("-")[0] in _PERSON_TITLES:
            continue  # "Commander-in-Chief of the Armed Forces" is a person
        if words[0] in CALENDAR_WORDS:
            continue
        label = " ".join(words)
        out.append((label, start, start + len(label)))
    return out


_CHAIN = re.compile(r"\b(?:at|in|near)\s+((?:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3},\s+){1,3})$")


def pattern_places(sentence: str) -> list[tuple[str, int, int]]:
    """Return places the gazetteer may lack, found by their grammar: ``(label, start, end)``.

    A capitalised name followed by a place noun ("Muchni area", "Kisauni Sub-County") or
    introduced by one ("the town of Utrera", "tambon Wiang").
    """
    out: list[tuple[str, int, int]] = []
    for m in _PATTERN_PLACE.finditer(sentence):
        names = [(m.group(g), m.start(g), m.end(g)) for g in ("a", "b", "c", "d", "e", "f", "g") if m.group(g)]
        noun = (m.group("noun") or "").lower()
        for name, start, _end in names:
            tokens = name.split()
            while (
                tokens
                and (tokens[0] in _NOT_PLACE_WORDS or not tokens[0][0].isupper())
                and tokens[0] not in _PREFIXES | _WATERS
            ):
                start += len(tokens[0]) + 1
                tokens = tokens[1:]
            while tokens and not tokens[-1][0].isupper():
                tokens = tokens[:-1]
            # "Chiang Rai's Chiang Khong district", "Swaziland's Lembombo border post": the
            # possessive names where the place is, not the place itself
            owner = max((i for i, t in enumerate(tokens[:-1]) if t.endswith(("'s", "’s"))), default=-1)
            if owner >= 0:
                start += len(" ".join(tokens[: owner + 1])) + 1
                tokens = tokens[owner + 1 :]
            if not tokens or all(t in _NOT_PLACE_WORDS for t in tokens):
                continue
            label = " ".join(tokens)
            # "the southern Homs countryside": the direction is part of the area's name
            lead = re.search(r"\b(southern|northern|eastern|western|central|rural|greater)\s+$", sentence[:start])
            if lead and m.group("noun"):
                label = f"{lead.group(1)} {label}"
            # keep the noun where it is part of the name ("Naf river", "Kisauni Sub-County")
            if noun.rstrip("s") in _NAMED_NOUNS and g_is_last(m, name):
                label = f"{label} {m.group('noun')}"
            out.append((label, start, start + len(" ".join(tokens))))
    return out


def g_is_last(m: re.Match[str], name: str) -> bool:
    """True when ``name`` is the name right before the place noun (not the first of "X and Y")."""
    return (m.group("b") or m.group("a")) == name


def _add_place_in_name(out: SentencePlaces, name: str, context: list[str]) -> None:
    """Add the town an agency is named after ("Dubai Police", "Detroit police") as where."""
    words = name.split()
    for size in (2, 1):
        if len(words) <= size:
            continue
        head = " ".join(words[:size])
        for code in context[:2]:
            for entry in Gazetteer.default().place_candidates(head, code):
                if (
                    entry.country == code
                    and entry.label.lower() == head.lower()
                    and entry.kind in ("city", "admin1", "admin2")
                ):
                    place = replace(place_to_fact(entry), mention=head)
                    if place not in out.where:
                        out.where.append(place)
                    return


def _agency_mention(sentence: str, start: int, end: int) -> str:
    """Return how the sentence names an agency, with a country adjective or name just before it."""
    surface = sentence[start:end]
    m = re.search(r"([A-Z][\w'’-]+(?:'s|’s)?)\s+$", sentence[max(0, start - 25) : start])
    if m and country_by_demonym(m.group(1)) is not None:
        return f"{m.group(1)} {surface}"
    return surface


def _role(before: str) -> str:
    """Return the role the closest cue before a place gives it ("from Syria into |Iraq" → destination)."""
    best, best_start = "where", -1
    for role, pattern in (
        ("home", _HOME),
        ("neighbour", _NEIGHBOUR),
        ("transit", _TRANSIT),
        ("origin", _ORIGIN),
        ("destination", _DESTINATION),
        ("destination", _TO_AFTER_MOVE),
    ):
        m = pattern.search(before)
        if m is None:
            continue
        start = m.start(1) if m.lastindex else m.start()
        if pattern is _HOME:
            start = m.end(1)  # "a man from X": the "from" belongs to the home, not to a route
        # "smuggled ... to": the cue is the final "to", not the verb
        if pattern is _TO_AFTER_MOVE:
            start = max(before.rfind(" to "), before.rfind(" for "))
        if start > best_start:
            best, best_start = role, start
    return best


def _add(codes: list[str], code: str | None) -> None:
    if code and code not in codes:
        codes.append(code)


def _pick_place(candidates: tuple, context: list[str], weak: bool = False, surface: str = "") -> PlaceEntry | None:
    """Return the candidate in the report's countries; else an unambiguous, prominent one."""
    places = [c for c in candidates if isinstance(c, PlaceEntry)]
    for code in context:
        for p in places:
            if p.country == code:
                return p
    if not places or weak:
        return None
    # a sea or river belongs to no country: where a boat was stopped ("on the Mekong River")
    water = next((p for p in places if p.kind == "water" and not p.country), None)
    if water is not None:
        return water
    # outside the countries the report names, only a metropolis is safe ("in Karachi")
    if not context or (places[0].population >= 1_000_000 and places[0].label == surface):
        return places[0]
    return None


_REFERENCE_POINT = re.compile(
    r"\b(?:a|the)\s+(?:city|town|village|port|district|region|area|province)\s+(?:about\s+|some\s+)?"
    r"(?:\d[\d,.]*\s*(?:km|kilometres|kilometers|miles)\s+)?"
    r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)\s+of\s+$",
    re.IGNORECASE,
)
_IN_A_NAME = re.compile(r"\b[A-Z][\w'’-]+\s+(?:of|de|del)\s+(?:the\s+)?$")
_INTO_HOME = re.compile(r"\binto the (?:country|kingdom)\b", re.IGNORECASE)


def locate(sentence: str, context: list[str] | None = None) -> SentencePlaces:
    """Return the places, routes and agencies of ``sentence``.

    ``context`` lists the ISO codes of the countries the whole report names, most named first;
    an ambiguous place name is resolved to the one in those countries, or dropped.
    """
    context = context or []
    out = SentencePlaces()
    # news agencies name countries without placing anything there ("Agence France-Presse")
    sentence = _NEWS_AGENCY.sub(lambda m: " " * len(m.group(0)), sentence)
    matches = Gazetteer.default().find(sentence)
    taken: list[tuple[int, int]] = []
    last_place: tuple[int, str] | None = None  # end and role of the last town or port
    for m in matches:
        before = sentence[max(0, m.start - 60) : m.start]
        after = sentence[m.end : m.end + 25]
        out.names.add(m.surface)
        if m.kind == "agency":
            taken.append((m.start, m.end))
        if m.kind == "agency":
            # "Federal Police" is Brazil's in a report about Brazil
            agencies = [c for c in m.candidates if isinstance(c, AgencyEntry)]
            entry = next((c for code in context for c in agencies if c.country == code), agencies[0])
            agency = facts.Agency(
                entry.label,
                entry.country,
                entry.wikidata,
                entry.acronyms[0] if entry.acronyms else None,
                mention=_agency_mention(sentence, m.start, m.end),
            )
            (out.receivers if _RECEIVER.search(before) else out.agencies).append(agency)
            _add_place_in_name(out, m.surface, context)
            continue
        if m.kind in ("country", "demonym"):
            info = m.candidates[0]
            assert isinstance(info, CountryInfo)
            _add(out.countries, info.iso)
            if m.kind == "demonym" and not re.match(
                r"\s*(territory|territories|soil|waters|coast|governorates?|provinces?)\b", after, re.IGNORECASE
            ):
                continue  # "Syrian authorities", "a Myanmar national": not a location
            if re.match(r"['’]s\b", after) and not re.search(
                r"\b(in|at|inside|near|across|off|into|from|of|to|throughout)\s+(the\s+)?$", before, re.IGNORECASE
            ):
                continue  # "Iraq's intelligence service said": whose, not where
            if re.match(
                r"\s*(nationals?|citizens?|man|woman|men|women|-flagged|-registered|-born|origin|border|frontier)\b",
                after,
            ):
                continue  # "a Myanmar national": who, not where
            role = _role(before)
            if last_place and re.fullmatch(r"\s*[,(]\s*", sentence[last_place[0] : m.start]):
                role = last_place[1]  # "Antwerp (Belgium)", "Sao Paulo, Brazil": the town's role
            if role == "where":
                if not any(p.kind == "country" and p.country == info.iso for p in out.where):
                    out.where.append(country_to_fact(info))
            elif role == "origin":
                _add(out.origins, info.iso)
            elif role == "destination":
                _add(out.destinations, info.iso)
            elif role == "transit":
                _add(out.transits, info.iso)
            continue
        entry = _pick_place(m.candidates, context + out.countries, m.weak, m.surface)
        if entry is None:
            continue
        if entry.kind == "water" and (re.match(r"\s+[A-Z]", after) or _IN_A_NAME.search(before)):
            continue  # "Mekong Riverine Unit", "United Guerrillas of the Pacific": part of a name
        taken.append((m.start, m.end))
        role = _role(before)
        if role == "transit" and entry.country and entry.country == (context or [None])[0]:
            role = "where"  # "brought into the Kingdom via Jeddah Islamic Port": seized there
        if re.match(
            r"\s+(?:(?:Local|District|High|Magistrates['’]?|Supreme|Federal|Circuit|Criminal|Provincial|Law)\s+)?Courts?\b",
            after,
        ):
            role = "court"  # "due before Parramatta Local Court": where the trial is
        if _REFERENCE_POINT.search(before):
            role = "reference"  # "Guayaquil, a city southwest of Quito": only a landmark
        last_place = (m.end, role)
        if role == "where":
            place = replace(place_to_fact(entry), mention=m.surface)
            if place not in out.where:
                out.where.append(place)
            # "at Seven Miles, Millie's Hideout, Linden": the names before a known place, in it
            chain = _CHAIN.search(sentence[: m.start])
            if chain:
                for name in re.split(r",\s+", chain.group(1).rstrip(", ")):
                    local = facts.Place(name, "place", entry.country, mention=name)
                    if name not in out.names and local not in out.where:
                        out.where.insert(out.where.index(place), local)
                        out.names.add(name)
        elif role == "origin" and entry.country:
            _add(out.place_origins, entry.country)
        elif role == "destination" and entry.country:
            _add(out.place_destinations, entry.country)
    out.from_abroad = bool(_FROM_REGION.search(sentence))
    home = (out.countries or context or [None])[0]
    for label, start, end in pattern_places(sentence):
        if any(s < end and start < e for s, e in taken) or label in out.names:
            continue
        before = sentence[max(0, start - 60) : start]
        if _role(before) in ("where", "transit") and not any(p.label == label for p in out.where):
            out.where.append(facts.Place(label, "place", home, mention=label))
            out.names.add(label)
            taken.append((start, end))
    for m in _NETWORK.finditer(sentence):
        out.networks.append(m.group(1).strip())
        taken.append((m.start(1), m.end(1)))
    for label, start, end in named_units(sentence):
        if any(s < end and start < e for s, e in taken):
            continue
        before = sentence[max(0, start - 40) : start]
        qual = label.split()[0]
        country = country_by_demonym(qual)
        agency = facts.Agency(label, country.iso if country else (context or [None])[0], mention=label)
        (out.receivers if _RECEIVER.search(before) else out.agencies).append(agency)
        out.names.add(label)
        taken.append((start, end))
    for m in _GENERIC_AGENCY.finditer(sentence):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        label = m.group(1)
        qual = m.group("qual")
        if qual and (qual.split()[0].lower() in _NOT_QUALIFIERS or qual.split()[-1].lower() in _NOT_QUALIFIERS):
            label = label[len(qual) :].strip()
            qual = None
        country = country_by_demonym(qual) if qual else None
        head = _GENERIC_HEAD.search(label)
        if not head:
            continue
        before = sentence[max(0, m.start() - 40) : m.start()]
        # "police" with no nationality is the police of the country the sentence (or else the
        # report) is about: without it, every report's "police" would be one agency
        agency = facts.Agency(label.strip(), country.iso if country else home)
        (out.receivers if _RECEIVER.search(before) else out.agencies).append(agency)
        if qual and not country:
            _add_place_in_name(out, qual, context)
    if _INTO_HOME.search(sentence):
        # "smuggled into the country", "came into the Kingdom": bound for the country the
        # sentence is about: the acting agency's, else one it names that is not an origin or
        # transit ("Kenyan officers"), else the report's
        named = [c for c in out.countries if c not in out.origins and c not in out.transits]
        home_country = next((a.country for a in out.agencies if a.country), None) or next(
            iter(named), (context or [None])[0]
        )
        if home_country and home_country not in out.origins:
            _add(out.destinations, home_country)
    return out
