"""Seized quantities: each amount paired with the substance it measures."""

from __future__ import annotations

import re
from dataclasses import dataclass

from narcograph.ingest.extract.quantities import find_quantities
from narcograph.ingest.extract.substances import find_substances

_VERB = re.compile(
    r"\b(seiz\w*|confiscat\w*|recover\w*|found|discover\w*|intercept\w*|impound\w*|haul|"
    r"turned up|uncover\w*|dug up|netted|captured|burn\w*|destroy\w*|set alight|"
    r"smuggl\w*|foil\w*|thwart\w*|carrying|possession|stash|shipment|consignment|cache)\b",
    re.IGNORECASE,
)
# "6 kilos (13 pounds)": an equivalence in brackets restates the amount before it
_EQUIVALENCE = re.compile(r"^\s*[(\[]\s*(about|around|approximately|roughly|some|or|nearly)?\s*$", re.IGNORECASE)
_CONVERSION = re.compile(
    r"\b(equivalent (of|to)|enough (to make|for)|converted into|would (make|produce))\b[^.;]*$", re.IGNORECASE
)
_WEIGHING = re.compile(
    r"^[^.;\d]{0,40}\b(weigh\w*|with a (total )?weight of|totall?ing)\s+"
    r"(about|around|approximately|roughly|some|nearly|over|more than)?\s*$",
    re.IGNORECASE,
)
_PRODUCT = re.compile(
    r"\b(turned into|turn(?:ed)? it into|converted into|"
    r"(?:used )?(?:in|for) (?:making|manufacturing|producing|the production of)|"
    r"to (?:make|produce|manufacture|process)|processed into)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
_COMBINED = re.compile(r"\b(weighing|totall?ing|in total|combined|altogether)\b", re.IGNORECASE)
_IRREGULAR = re.compile(r"\d,\d{4}|\d{4,},\d{3}")
PILL_SUBSTANCES = {"captagon", "mdma", "methamphetamine", "tramadol", "amphetamine", "fentanyl"}


@dataclass(frozen=True)
class SeizureMention:
    """A substance with its amount (or without one) as a sentence states it."""

    substance: str
    quantity: float | None
    unit: str | None
    start: int
    end: int
    verb: bool  # the sentence says something was seized / found / smuggled
    irregular: bool = False  # written with misplaced separators ("4,0222"): a typo in the source
    each: bool = False  # an amount per container ("each bag weighed one kilogram")


def find_seizures(sentence: str) -> list[SeizureMention]:
    """Return the seizures a sentence states: amounts paired with the nearest substance."""
    substances = [s for s in find_substances(sentence)]
    quantities = [q for q in find_quantities(sentence) if not q.is_money]
    verb = bool(_VERB.search(sentence))
    # drop equivalences ("6 kilos (13 pounds)") and per-container amounts when a total exists
    has_total = any(q.derived for q in quantities)
    kept = []
    for q in quantities:
        if q.parenthetical or (kept and _EQUIVALENCE.match(sentence[kept[-1].end : q.start])):
            continue
        if q.each and has_total:
            continue
        if _CONVERSION.search(sentence[max(0, q.start - 40) : q.start]):
            continue  # "the equivalent of 4.1 million tablets": a conversion, not a second seizure
        if kept and _WEIGHING.match(sentence[kept[-1].end : q.start]) and kept[-1].unit != q.unit:
            # "500,000 pills weighing 99 kg" keeps the count; "two bales weighing 60 kg" the weight
            if kept[-1].unit == "unit":
                kept[-1] = q
            continue
        kept.append(q)
    quantities = kept
    if not substances:
        # "seized a further 50,000 pills": the substance is the one the report is about
        # "... where 478 kilos were found": the amount of the substance the operation is about
        return [
            SeizureMention("", q.value, q.unit, q.start, q.end, verb, each=q.each)
            for q in quantities
            if q.unit == "plant" or verb or q.each
        ]
    used: set[int] = set()
    out: list[SeizureMention] = []
    # "ready to be turned into heroin", "objects used in manufacturing heroin": a product, not the haul
    substances = [s for s in substances if not _PRODUCT.search(sentence[max(0, s.start - 40) : s.start])]
    if not substances:
        return []
    specific = [s for s in substances if s.key != "unspecified"] or substances
    for q in quantities:
        best, best_gap = None, 10**6
        for i, s in enumerate(specific):
            # a substance right after the amount ("565,000 Captagon pills", "2 kg of cocaine") wins
            if s.start >= q.end - 1:
                gap = s.start - q.end
                between = sentence[q.end : s.start]
            else:
                gap = (q.start - s.end) * 2 + 5
                between = sentence[s.end : q.start]
            if re.search(r"[;]|\band\b.*\d", between):
                gap += 60
            if gap < best_gap:
                best, best_gap = i, gap
        if best is not None and best_gap > 120 and len({x.key for x in specific}) == 1 and verb:
            best_gap = 0  # one substance in the sentence: "where 478 kilos were found, ... 635 kilos of cocaine"
        if best is None or best_gap > 120:
            continue
        s = specific[best]
        unit = q.unit
        if unit == "unit" and s.key in PILL_SUBSTANCES and q.raw_unit.lower() in ("", "units"):
            unit = "pill"
        # several substances weighed together: no amount for any of them
        preceding = [x for x in specific if x.end <= q.start]
        if (
            len(preceding) >= 2
            and _COMBINED.search(sentence[preceding[-2].start : q.start])
            and not any(x.start >= q.end for x in specific)
        ):
            for x in preceding:
                out.append(SeizureMention(x.key, None, None, x.start, x.end, verb))
                used.add(specific.index(x))
            continue
        used.add(best)
        irregular = bool(_IRREGULAR.search(q.text))
        out.append(
            SeizureMention(s.key, q.value, unit, min(q.start, s.start), max(q.end, s.end), verb, irregular, q.each)
        )
    for i, s in enumerate(specific):
        if i not in used and not any(o.substance == s.key for o in out):
            out.append(SeizureMention(s.key, None, None, s.start, s.end, verb))
    return out
