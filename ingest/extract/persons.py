"""Names of persons arrested, charged or wanted (not the officials quoted)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from narcograph.ingest.extract.sentences import CALENDAR_WORDS

# words that introduce the suspects' names
_CUE = re.compile(
    r"\b(named as|identified as|identified them as|names? (?:of the (?:suspects?|detainees?|accused) )?(?:are|is|as)|"
    r"detainees? (?:is|are|was|were)|suspects? (?:is|are|was|were)|accused (?:is|are|was|were)|"
    r"in custody (?:is|are)|arrested (?:are|were|is|was)|"
    r"arrested|detained|charged|nabbed|apprehended|wanted|caught|indicted|sentenced|suspects?|accused|"
    r"alias|a\.k\.a\.)",
    re.IGNORECASE,
)
_TITLE = re.compile(
    r"\b(Maj|Major|Col|Colonel|Gen|General|Lt|Lieutenant|Capt|Captain|Brig|Brigadier|Sgt|Sergeant|Cpl|"
    r"Insp|Inspector|Supt|Superintendent|Commissioner|Commander|Cmdr|Director|Chief|Minister|President|"
    r"Governor|Judge|Justice|Prosecutor|Attorney|Secretary|spokesm[ae]n|spokesperson|spokeswoman|"
    r"officer|official|head|Dr|Mr|Mrs|Ms|Senator|Mayor|Ambassador|Sheikh|Prince|King|Queen|"
    r"Admiral|Adm|Deputy|DCP|SP|ASP|DSP|IGP|SHO|OC|DIG|Sheriff|Agent|Special Agent|Officer-in-Charge)\.?\s+$",
    re.IGNORECASE,
)
_SAID_NEAR = re.compile(r"\b(said|says|told|according to|stated|added|explained|announced)\b", re.IGNORECASE)
_NAME = re.compile(
    r"\b([A-Z][a-z]+(?:[-'’][A-Za-z][a-z]+)?(?:\s+(?:(?:bin|bint|ibn|al|el|de|da|dos|van|von|der|la)[\s-])?"
    r"[A-Z][a-z]+(?:[-'’][A-Za-z][a-z]+)?){1,3})\b"
)
_NOT_NAME_WORDS = {
    "In",
    "At",
    "On",
    "For",
    "From",
    "With",
    "By",
    "As",
    "After",
    "Before",
    "During",
    "Near",
    "Under",
    "Over",
    "Meanwhile",
    "Earlier",
    "Later",
    "Also",
    "But",
    "And",
    "Or",
    "When",
    "While",
    "Both",
    "All",
    "Some",
    "The",
    "A",
    "An",
    "This",
    "That",
    "These",
    "Those",
    "He",
    "She",
    "They",
    "It",
    "His",
    "Her",
    "Their",
    "Police",
    "Customs",
    "Army",
    "Navy",
    "Court",
    "Station",
    "Ministry",
    "Agency",
    "Department",
    "Force",
    "Forces",
    "Unit",
    "Bureau",
    "Service",
    "Services",
    "Office",
    "Directorate",
    "Command",
    "Guard",
    "Border",
    "National",
    "Federal",
    "Security",
    "Intelligence",
    "Anti",
    "Narcotics",
    "Drug",
    "Drugs",
    "Province",
    "District",
    "County",
    "City",
    "State",
    "Port",
    "Airport",
    "Street",
    "Road",
    "River",
    "International",
    "Republic",
    "Act",
    "Law",
    "Operation",
    "Task",
    "Team",
    "Region",
    "Area",
    "Island",
    "Captagon",
    "Cocaine",
    "Heroin",
    "Shabu",
    "Yaba",
    "Methamphetamine",
    "Crystal",
    "Ice",
    "Cannabis",
    "Islamic",
    "Interior",
    "General",
    "Central",
    "Royal",
    "Public",
    "Prosecutor",
    "Prosecution",
    "Criminal",
    "Crime",
    "Investigation",
    "Investigations",
    "Division",
    "Branch",
    "Group",
    "Network",
    "President",
    "Minister",
    "Sub",
    "Airways",
    "Airlines",
    "Air",
    "Bank",
    "Company",
    "Ltd",
    "Inc",
    "Hotel",
    "Hospital",
    "University",
    "College",
    "School",
    "Church",
    "Mosque",
    "Mall",
    "Express",
    "Logistics",
    "Shipping",
    "Lines",
    "Motors",
    "Limited",
    "Corporation",
    "Holdings",
    "Enterprises",
    "Trading",
    "Highway",
    "Avenue",
    "Boulevard",
    "Lane",
    "Bridge",
    "Square",
    "Park",
    "Beach",
    "Bay",
    "Taman",
    "Kampung",
    "Kampong",
    "Jalan",
    "Bandar",
    "Sungai",
    "Bukit",
    "Barangay",
    "Tambon",
    "Amphoe",
    "Village",
    "Town",
    "Hills",
    "Valley",
    "Estate",
    "Market",
    "Reuters",
    "Xinhua",
    "News",
    "Times",
    "Post",
    "Daily",
    "Press",
    "Mr",
    "Mrs",
} | CALENDAR_WORDS


@dataclass(frozen=True)
class PersonMention:
    """A person's name found in a sentence, with its role (arrested, charged or wanted)."""

    name: str
    role: str
    start: int
    end: int


def _role(sentence: str) -> str:
    low = sentence.lower()
    if "wanted" in low or "at large" in low or "fugitive" in low:
        return "wanted"
    if "charged" in low or "charges" in low or "indicted" in low or "accused" in low:
        return "charged" if "arrest" not in low and "custody" not in low and "detain" not in low else "arrested"
    return "arrested"


def find_persons(sentence: str, excluded: set[str] | None = None) -> list[PersonMention]:
    """Return the suspects named in ``sentence``.

    A name counts only in a sentence about arrests, charges or wanted persons, when it is not
    preceded by an official title and is not a known place, agency or country (``excluded``,
    compared case-insensitively).
    """
    if not _CUE.search(sentence):
        return []
    excluded_low = {e.lower() for e in (excluded or set())}
    out: list[PersonMention] = []
    for m in _NAME.finditer(sentence):
        name = m.group(1)
        tokens = name.split()
        parts = [p for t in tokens for p in re.split(r"[-'’]", t)]
        if any(t in _NOT_NAME_WORDS for t in parts) or _TITLE.match(tokens[0] + " "):
            continue
        # a known place or agency is not a person; a person may share one word with a place
        if name.lower() in excluded_low or any(e in name.lower() for e in excluded_low if " " in e):
            continue
        before = sentence[: m.start()]
        if _TITLE.search(before[-30:]):
            continue
        if re.search(r"\b(from|in|at|near|of|to|into|via)\s+(the\s+)?$", before[-12:]):
            continue  # "a farmer from Kuru Kururu": a place
        # "X said", "according to X", "X, a spokesman": an official speaking
        after = sentence[m.end() : m.end() + 40]
        if re.match(
            r"^\s*(,\s*(a|the|an)\s+[\w\s-]*?(spokes|officer|official|chief|head|director|commander|minister))",
            after,
            re.IGNORECASE,
        ):
            continue
        if re.match(r"^\s*(said|says|told|stated|added|explained)\b", after):
            continue
        if re.search(r"(according to|said|says|told)\s*$", before[-20:]) and re.match(r"^\s*([,.;()]|$)", after):
            continue
        out.append(PersonMention(name, _role(sentence), m.start(), m.end()))
    return out
