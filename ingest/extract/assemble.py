"""Operation assembly: which facts of which sentences belong to which operation.

Each sentence is analysed once (quantities, substances, arrests, dates, places, agencies,
persons). Sentences that report an event (a seizure or an arrest) are grouped into operations:
a new operation starts where the text moves to another date, another place, or says so
("in a separate raid", "a second boat", "earlier"). Sentences of totals and statistics are left
out. Context that only the lead gives (date, place, agency) is shared with the first operation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from narcograph.ingest import facts
from narcograph.ingest.extract.arrests import find_arrests
from narcograph.ingest.extract.dates import find_dates
from narcograph.ingest.extract.locate import SentencePlaces, locate
from narcograph.ingest.extract.persons import find_persons
from narcograph.ingest.extract.seizures import SeizureMention, find_seizures
from narcograph.ingest.extract.sentences import Sentence, split_sentences

_AGGREGATE = re.compile(
    r"\b(so far (this|in)|since (the (start|beginning) of|january|early)|this year|last year|"
    r"in the (first|past|last) (\w+ )?(days?|weeks?|months?|years?)|over the (past|last|same|whole)|"
    r"during (the (past|last|year)|roughly|around)|year[- ]to[- ]date|annual(ly)?|per (year|month)|"
    r"in (19|20)\d\d\b|record (haul|amount)|statistics|a total of \d[\d,.]* (cases|operations|seizures)|"
    r"tens of thousands|hundreds of|cumulative|overall|since (19|20)\d\d|in recent (months|years|weeks)|"
    r"in the period|from january|between january|to date|in the (first|past|last) (half|quarter)|"
    r"\d+\s?(percent|per cent|%))",
    re.IGNORECASE,
)
# general statements in the present tense are background, unless the sentence tells an event
_BACKGROUND = re.compile(
    r"\b(is|are) (frequently|often|usually|mostly|mainly|largely|widely|commonly|typically|increasingly|"
    r"still|already) \w+|\b(has|have) (long )?become\b|\bis (now )?(a|the) (key|main|major|largest|biggest)\b|"
    r"\b(is|are) (made|produced|manufactured|grown|cultivated|consumed|sold|used|smuggled|trafficked)\b|"
    r"\buses? \w+ as (a|an|the|their|its) (main |major |key |principal )?(route|transit|hub|gateway|corridor)|"
    r"\b(is|are|remains?) (a|an|the) (main |major |key |principal )?(transit|route|hub|gateway|corridor)\b",
    re.IGNORECASE,
)
_PAST_EVENT = re.compile(
    r"\b(seized|confiscated|arrested|detained|intercepted|recovered|found|discovered|foiled|thwarted|"
    r"dismantled|raided|caught|impounded|announced|said|the seizure of)\b",
    re.IGNORECASE,
)
_EVENT_NOUN = (
    r"(raids?|operations?|cases?|incidents?|seizures?|busts?|searche?s?|boats?|vessels?|vehicles?|trucks?|cars?|"
    r"lorr(y|ies)|shipments?|consignments?|containers?|flights?|gangs?|rings?|networks?|attempts?|hauls?|"
    r"suspects?|arrests?|interceptions?|checkpoints?|cells?|labs?|laborator(y|ies)|warehouses?|houses?|"
    r"(semi-?)?submersibles?|ships?|planes?|aircraft|parcels?|packages?|cargo(es)?)"
)
_NEW_OPERATION = re.compile(
    rf"\b((separate|another|second|third|fourth|fifth|further|other|different)( \w+){{0,2}} {_EVENT_NOUN}|"
    r"separately|in a (similar|related|different)|"
    r"^\W*(in )?the (first|second|third|fourth|fifth|final|last|latest)\b|"
    r"(a|one|two|three|some|several) (hours?|days?|weeks?|months?) (earlier|later|before|after)|"
    r"on (another|the same) (day|occasion))\b"
    # sentence openers: "Earlier, ...", "Separately, ...", "Meanwhile, ..."
    r"|^\W*(in )?(earlier|separately|meanwhile|elsewhere|previously|also|in addition|besides)\b",
    re.IGNORECASE,
)
# when an investigation began is not when the operation took place ("Investigators began work on
# Wednesday, 12 October, after intelligence was received")
_INVESTIGATION_START = re.compile(
    r"\b(?:investigations?|inquir(?:y|ies)|probe|work|surveillance|monitoring)\s+(?:began|started|commenced|"
    r"(?:was|were) (?:launched|opened))\b|\b(?:began|started|launched|opened|commenced)\s+"
    r"(?:an?\s+|the\s+|their\s+|its\s+)?(?:investigat\w*|inquir(?:y|ies)|probe|work|surveillance|monitoring)\b",
    re.IGNORECASE,
)
_LOCATIVE = re.compile(
    r"\b(took place|carried out|conducted|happened|was staged|were staged|targeted|raided|searched|stormed)\b"
    r"[^.]{0,60}\b(in|at|inside|near|off)\b",
    re.IGNORECASE,
)
_COURT = re.compile(
    r"\b(court|tribunal|hearing|remanded|sentenced|arraigned|appear(?:ed|s)? (?:at|in|before))\b", re.IGNORECASE
)
_ANNOUNCED = re.compile(r"\b(announced|said|reported|stated|told|revealed|confirmed)\b[^.]*$", re.IGNORECASE)

# "BAGHDAD –", "MOMBASA, Kenya —", "Kabul, Oct 2 (IANS) -": where the report was filed
_DATELINE = re.compile(
    r"^\s*(?:([^–—:]{2,70}?)\s+[–—-]{1,2}\s+(?=\S)"  # BAGHDAD –
    r"|([A-Z][A-Z .'’-]{2,40}(?:\s*\([^)]{1,30}\))?):\s+(?=\S)"  # LAGOS:
    r"|([A-Z][\w'’. ]+, [A-Z][a-z]{2,4}\.? \d{1,2} \([A-Z]{2,8}\))\s+)"  # Kabul, Oct 2 (IANS)
)


def split_dateline(text: str) -> tuple[str, str]:
    """Return ``(dateline, rest)`` of a report's first sentence; the dateline is "" when absent."""
    m = _DATELINE.match(text)
    if not m:
        return "", text
    head = m.group(1) or m.group(2) or m.group(3)
    words = re.findall(r"[A-Za-z][\w'’.]*", head)
    if not words or len(words) > 8 or any(w[0].islower() and w.lower() not in {"of", "de", "el", "al"} for w in words):
        return "", text
    return head, text[m.end() :]


@dataclass
class Analysed:
    """What one sentence says."""

    sentence: Sentence
    seizures: list[SeizureMention]
    arrests: int | None
    fled: bool
    dates: list
    places: SentencePlaces
    persons: list[facts.Person]
    aggregate: bool
    new_cue: bool
    dateline: list = field(default_factory=list)  # places of the dateline, if this sentence has one

    @property
    def locative(self) -> bool:
        """True when the sentence says where an operation took place ("took place in Homs")."""
        return bool(_LOCATIVE.search(self.sentence.text))

    @property
    def eventful(self) -> bool:
        return not self.aggregate and bool(
            any(s.quantity is not None or s.verb for s in self.seizures) or self.arrests is not None or self.persons
        )

    @property
    def date_leads(self) -> bool:
        """True when the sentence opens with its date ("On January 15, ...")."""
        for d in self.dates:
            if d.value is not None and d.kind in ("absolute", "relative"):
                # at the very start, or inside a short opening clause ("In a raid on Nov. 9, ...")
                head = self.sentence.text[: d.end]
                return d.start <= 15 or (
                    "," not in head and len(head.split()) <= 9 and self.sentence.text[d.end : d.end + 3].startswith(",")
                )
        return False

    @property
    def date_is_relative(self) -> bool:
        """True when the sentence's date is a weekday or "yesterday", read against a reference."""
        for d in self.dates:
            if d.value is not None and d.kind in ("absolute", "relative"):
                return d.kind == "relative"
        return False

    @property
    def date(self) -> date | None:
        vague = any(d.kind == "vague" for d in self.dates)
        for d in self.dates:
            if _COURT.search(self.sentence.text[max(0, d.start - 60) : d.start]):
                continue  # "appeared in court on Saturday": the hearing, not the operation
            if vague and _ANNOUNCED.search(self.sentence.text[max(0, d.start - 30) : d.start]):
                # "seized over the weekend, SARS announced on Monday": the event is undated; the
                # weekday dates the announcement
                return None
            if d.value is not None and d.kind in ("absolute", "relative"):
                return d.value
        return None


@dataclass
class Draft:
    """An operation being assembled."""

    sentences: list[Analysed] = field(default_factory=list)
    date: date | None = None

    date_is_absolute: bool = False

    def add(self, item: Analysed, item_date: date | None = None) -> None:
        self.sentences.append(item)
        item_date = item_date or item.date
        if self.date is None and item_date is not None:
            self.date = item_date
            self.date_is_absolute = not item.date_is_relative

    @property
    def seizures(self) -> list[SeizureMention]:
        return [s for a in self.sentences for s in a.seizures if not a.aggregate]

    @property
    def sublocal_places(self) -> set[str]:
        return {p.label for a in self.sentences for p in a.places.where if p.kind != "country"}


def _history(text: str, published: date | None) -> bool:
    """True for a sentence about years long past ("first patented in the early 1960s")."""
    if published is None:
        return False
    years = [int(y) for y in re.findall(r"\b(1[89]\d\d|20\d\d)s?\b", text)]
    return bool(years) and max(years) < published.year - 1


def _opens_with_place(text: str, places: SentencePlaces) -> bool:
    """True for "In Quetta, the force seized ...": a sentence that opens on a place of its own."""
    m = re.match(r"^\W*(?:In|At|Near|Off|Outside) (?:the )?([A-Z][^,]{1,40}),", text)
    return bool(m) and any((p.mention or p.label) in m.group(1) for p in places.where if p.kind != "country")


def analyse(sentence: Sentence, published: date | None, context: list[str] | None = None) -> Analysed:
    """Return the facts one sentence states."""
    text = sentence.text
    dateline_places = []
    if sentence.index < 3:
        dateline, rest = split_dateline(text)
        if dateline:
            dateline_places = [p for p in locate(dateline, context).where if p.kind != "country"]
            text = rest
    places = locate(text, context)
    arrests = find_arrests(text)
    counted = [a for a in arrests if a.kind == "arrested"]
    fled = any(a.kind == "fled" for a in arrests)
    excluded = places.names | {a.label for a in places.agencies}
    persons = [facts.Person(p.name, p.role, text) for p in find_persons(text, excluded)]
    seizures = find_seizures(text)
    dates = find_dates(text, published)
    if _INVESTIGATION_START.search(text) and not counted and not any(s.quantity is not None for s in seizures):
        dates = []
    return Analysed(
        sentence=sentence,
        seizures=seizures,
        arrests=sum(a.count for a in counted) if counted else (0 if fled else None),
        fled=fled,
        dates=dates,
        places=places,
        persons=persons,
        aggregate=bool(_AGGREGATE.search(text))
        or bool(_BACKGROUND.search(text) and not _PAST_EVENT.search(text))
        or _history(text, published),
        new_cue=bool(_NEW_OPERATION.search(text)) or _opens_with_place(text, places),
        dateline=dateline_places,
    )


def _starts_new(draft: Draft, item: Analysed, item_date: date | None) -> bool:
    """True when ``item`` tells another operation than the draft's."""
    if not draft.sentences or not any(a.eventful for a in draft.sentences):
        return False
    has_quantity = any(s.quantity is not None for s in item.seizures)
    if item_date is not None and item_date != draft.date and (draft.date is not None or item.date_leads):
        # a date opening the sentence ("On May 3, ...") or dating a new seizure moves to another
        # operation; "... and were charged on Tuesday" only dates a later step of the same one
        if has_quantity or item.date_leads:
            return True
    draft_has_facts = any(s.quantity is not None for s in draft.seizures) or any(a.arrests for a in draft.sentences)
    if item.new_cue and (has_quantity or item.arrests is not None) and draft_has_facts:
        return True
    new_places = {p.label for p in item.places.where if p.kind != "country"}
    if new_places and draft.sublocal_places and not (new_places & draft.sublocal_places):
        if has_quantity and any(s.quantity is not None for s in draft.seizures):
            return True
    return False


def _restates(draft: Draft, item: Analysed) -> bool:
    """True when every amount of ``item`` repeats one of the draft's (same substance, within 20%)."""
    amounts = [s for s in item.seizures if s.quantity is not None]
    known = [s for s in draft.seizures if s.quantity is not None]
    return bool(amounts) and all(
        any(
            k.substance == a.substance and k.unit == a.unit and abs(k.quantity - a.quantity) <= 0.2 * k.quantity
            for k in known
        )
        for a in amounts
    )


def _anchored(item: Analysed, draft: Draft) -> date | None:
    """Return the item's date; a weekday ("on Monday") is read against the draft's own date."""
    if item.date is None or not item.date_is_relative or draft.date is None or not draft.date_is_absolute:
        return item.date
    for d in find_dates(item.sentence.text, draft.date):
        if d.value is not None and d.kind == "relative":
            return d.value
    return item.date


def group(items: list[Analysed]) -> list[Draft]:
    """Return the drafts of operations: eventful sentences grouped, context attached."""
    drafts: list[Draft] = []
    current = Draft()
    pending: list[Analysed] = []  # context sentences waiting for the next event
    for item in items:
        if item.aggregate:
            continue
        has_events = any(a.eventful for a in current.sentences)
        if not item.eventful:
            # a dated sentence without an event announces the next operation ("On May 3, ...")
            if item.date is not None and has_events and item.date_leads and current.date not in (None, item.date):
                pending = [item]
            elif item.date is not None and current.sentences and current.date is None:
                current.add(item)
            elif item.new_cue or pending or not has_events:
                pending.append(item)  # leads into the next operation
            else:
                current.add(item)  # more about the operation being told
            continue
        item_date = _anchored(item, current)
        anchored = item_date != item.date
        led = pending[0] if pending and pending[0].date is not None else None
        restated = _restates(current, item)
        if restated and item_date is not None and current.date is not None and item_date < current.date:
            # "The one million pills were seized on July 5" after "announced on Thursday": the
            # same seizure, and the day it happened
            current.date = item_date
        elif _starts_new(current, item, None if anchored else item_date) or (
            led is not None and has_events and current.date is not None and led.date != current.date
        ):
            drafts.append(current)
            current = Draft()
            item_date = item.date
        elif anchored and item_date is not None and current.date is not None and item_date <= current.date:
            # "On May 3, police said ... raided a house on Monday": the raid's day is the date
            current.date = item_date
        for p in pending:
            current.add(p)
        pending = []
        current.add(item, item_date)
    if any(a.eventful for a in current.sentences):
        drafts.append(current)
    return [d for d in drafts if any(a.eventful for a in d.sentences)]


def report_countries(text: str) -> list[str]:
    """Return the ISO codes of the countries a text names (names and adjectives), most named first."""
    from collections import Counter

    from narcograph.ingest.gazetteer import Gazetteer

    counts: Counter[str] = Counter()
    for m in Gazetteer.default().find(text):
        if m.kind in ("country", "demonym"):
            counts[m.candidates[0].iso] += 1
        elif m.kind == "agency" and m.candidates[0].country:
            counts[m.candidates[0].country] += 1
    return [code for code, _ in counts.most_common()]


@dataclass
class Trace:
    """How a report was read: its countries, every analysed sentence, the drafts, the result."""

    context: list[str]
    items: list[Analysed]
    drafts: list[Draft]
    operations: list[facts.Operation]


def trace(text: str, published: date | None) -> Trace:
    """Return the whole extraction of a report, step by step (``narcograph validate --explain``)."""
    sentences = split_sentences(text)
    context = report_countries(text)
    # lines above the dateline ("CAPE TOWN, June 6 (ANA) –") are page residue: captions, teasers
    for s in sentences[:3]:
        if split_dateline(s.text)[0]:
            sentences = [x for x in sentences if x.index >= s.index]
            break
    items = [analyse(s, published, context) for s in sentences]
    drafts = group(items)
    from narcograph.ingest.extract.build import build_operations

    return Trace(context, items, drafts, build_operations(drafts, items, published))


def extract_operations(text: str, published: date | None) -> list[facts.Operation]:
    """Return the operations a report describes, in order of first mention."""
    return trace(text, published).operations
