"""Drafts of operations → ``facts.Operation`` values: merging, de-duplicating, filling context."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from narcograph.ingest import facts
from narcograph.ingest.extract.numbers import find_numbers
from narcograph.ingest.gazetteer import country_info, country_to_fact

if TYPE_CHECKING:
    from narcograph.ingest.extract.assemble import Analysed, Draft
    from narcograph.ingest.extract.seizures import SeizureMention


def _significant(value: float) -> int:
    """Return the number of significant digits: 6,200,000 has 2, 2,242,560 has 6, 1.457 has 4."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    digits = text.replace(".", "").lstrip("0")
    if "." not in text:
        digits = digits.rstrip("0")
    return len(digits)


def _apply_each(pairs: list[tuple[SeizureMention, str]]) -> list[tuple[SeizureMention, str]]:
    """Fold "51 bags of ephedrine. Each bag weighed one kilogram." into 51 kg of ephedrine."""
    out: list[tuple[SeizureMention, str]] = []
    for m, ev in pairs:
        if m.each and m.quantity is not None and out:
            prev, prev_ev = out[-1]
            if prev.unit == "unit" and prev.quantity is not None and (not m.substance or m.substance == prev.substance):
                total = replace(prev, quantity=prev.quantity * m.quantity, unit=m.unit, each=False)
                out[-1] = (total, f"{prev_ev} {ev}" if ev != prev_ev else ev)
                continue
        if m.each:
            continue  # a per-container amount alone is not the amount seized
        out.append((m, ev))
    return out


def merge_seizures(pairs: list[tuple[SeizureMention, str]], fallback: str | None) -> list[facts.Seizure]:
    """Return the distinct seizures of one operation.

    The same substance and unit restated with a rounder amount ("more than six million" after
    "6.2 million") is one seizure; an amount-less mention of a substance that also has an amount
    adds nothing; an amount with no substance takes the operation's substance.
    """
    out: list[tuple[str, float | None, str | None, str]] = []
    # an amount written with misplaced separators ("4,0222") is a typo when the same substance
    # has a regular amount too
    pairs = _apply_each(pairs)
    # "20 sachets", "two bales" of a substance whose weight is given: the count of packages
    # restates the weight
    weighed = {m.substance for m, ev in pairs if m.quantity is not None and m.unit in ("kg", "l")}
    pairs = [(m, ev) for m, ev in pairs if not (m.unit == "unit" and m.substance in weighed)]
    regular = {(m.substance, m.unit) for m, _ in pairs if m.quantity is not None and not m.irregular}
    pairs = [(m, ev) for m, ev in pairs if not (m.irregular and (m.substance, m.unit) in regular)]
    for m, ev in pairs:
        key = m.substance or fallback or "unspecified"
        if m.quantity is None:
            out.append((key, None, None, ev))
            continue
        duplicate = None
        for j, (k, q, u, _) in enumerate(out):
            if k == key and u == m.unit and q is not None and abs(q - m.quantity) <= 0.2 * max(q, m.quantity):
                duplicate = j
                break
        if duplicate is not None:
            k, q, u, e = out[duplicate]
            if q is not None and _significant(m.quantity) > _significant(q):
                out[duplicate] = (k, m.quantity, u, ev)
            continue
        out.append((key, m.quantity, m.unit, ev))
    # the same amount named twice with two substance words ("speed pills" and "methamphetamine"):
    # one seizure, under the first name unless that one is the unspecified "drugs"
    deduped: list[tuple[str, float | None, str | None, str]] = []
    for k, q, u, e in out:
        clash = next((j for j, (k2, q2, u2, _) in enumerate(deduped) if q is not None and q2 == q and u2 == u), None)
        if clash is None:
            deduped.append((k, q, u, e))
        elif deduped[clash][0] == "unspecified":
            deduped[clash] = (k, q, u, e)
    out = deduped
    with_amount = {k for k, q, _, _ in out if q is not None}
    seen: set[str] = set()
    result = []
    for k, q, u, e in out:
        if q is None and (k in with_amount or k in seen):
            continue
        if k == "unspecified" and q is None:
            continue  # "drugs" with no amount says nothing the operation does not already say
        seen.add(k)
        result.append(facts.Seizure(k, q, u, e))
    return result


def _dedupe(items: list) -> list:
    """Return items without repeats, in order; of equal places, the longest mention is kept."""
    out: list = []
    for item in items:
        if item not in out:
            out.append(item)
            continue
        i = out.index(item)
        mention = getattr(item, "mention", None)
        if mention and len(mention) > len(getattr(out[i], "mention", None) or ""):
            out[i] = item
    return out


def _dedupe_agencies(agencies: list[facts.Agency]) -> list[facts.Agency]:
    out: list[facts.Agency] = []
    for a in agencies:
        low = a.label.lower()
        same = next(
            (i for i, b in enumerate(out) if low == b.label.lower() or (b.acronym and low == b.acronym.lower())), None
        )
        if same is not None:
            # keep the fullest way the report names it
            if a.mention and len(a.mention) > len(out[same].mention or "") and not _is_acronym(a.mention):
                out[same] = a
            continue
        # "police" adds nothing beside "Dubai Police"
        if any(low in b.label.lower().split() or b.label.lower().endswith(" " + low) for b in out):
            continue
        out = [b for b in out if not (b.country is None and a.label.lower().endswith(" " + b.label.lower()))]
        out.append(a)
    return out


_BARE_GENERIC = re.compile(
    r"(the )?(police|army|navy|customs|coast ?guard|security forces|border guards?|gendarmerie|armed forces)"
    r"( (department|officials|officers|authorities|forces|units?|agents))?",
    re.IGNORECASE,
)


def _is_acronym(text: str) -> bool:
    return text.isupper() and " " not in text


def article_country(items: list[Analysed]) -> str | None:
    """Return the country the report is mostly about: the most named one (agencies count too)."""
    counts: Counter[str] = Counter()
    for a in items:
        for p in a.places.where:
            if p.country:
                counts[p.country] += 2
        for c in a.places.countries:
            counts[c] += 1
        for ag in a.places.agencies:
            if ag.country:
                counts[ag.country] += 2
    return counts.most_common(1)[0][0] if counts else None


def build_operations(drafts: list[Draft], items: list[Analysed], published: date | None) -> list[facts.Operation]:
    """Return one Operation per draft, with context the lead gives shared with the first one."""
    home = article_country(items)
    lead = items[:3]
    all_substances = Counter(
        s.substance for a in items for s in a.seizures if s.substance and s.substance != "unspecified"
    )
    main_substance = all_substances.most_common(1)[0][0] if all_substances else None
    operations: list[facts.Operation] = []
    previous_agencies: list[facts.Agency] = []
    for n, draft in enumerate(drafts):
        sentences = draft.sentences
        op = facts.Operation()
        # a substance named without an amount counts only where something was seized or smuggled
        pairs = [
            (s, a.sentence.text)
            for a in sentences
            if not a.aggregate
            for s in a.seizures
            if s.quantity is not None or s.verb
        ]
        local = Counter(m.substance for m, _ in pairs if m.substance and m.substance != "unspecified")
        fallback = local.most_common(1)[0][0] if local else main_substance
        op.seizures = merge_seizures(pairs, fallback)
        counts = [a.arrests for a in sentences if a.arrests is not None and a.arrests > 0]
        if counts:
            op.arrests = max(counts)
        elif any(p.role == "arrested" for a in sentences for p in a.persons):
            # "identified the suspects as A and B": as many arrests as named suspects
            op.arrests = len({p.name for a in sentences for p in a.persons if p.role == "arrested"})
        elif any(a.fled or a.arrests == 0 for a in sentences):
            op.arrests = 0
        op.date = _event_date(draft)
        if op.date is None and n == 0:
            op.date = next((a.date for a in lead if a.date is not None), None)
            op.date_is_announcement = op.date is not None
        # where it took place is told by the sentences of the event; the context sentences
        # around them only when those say nothing
        event_places = [p for a in sentences if a.eventful or a.locative for p in a.places.where]
        context_places = [p for a in sentences if not (a.eventful or a.locative) for p in a.places.where]
        countries = [p for p in event_places if p.kind == "country"]
        if not countries and not any(p.kind != "country" for p in event_places + context_places):
            countries = [p for p in context_places if p.kind == "country"]
        local = [p for p in event_places if p.kind != "country"] or [p for p in context_places if p.kind != "country"]
        # the province or district around the event's places, named in a context sentence
        # ("labs found in Uruzgan province ... raided sites in Charchino and Chori districts")
        home_countries = {p.country for p in local if p.country}
        local += [
            p
            for p in context_places
            if p.kind in ("admin1", "admin2") and p.country in home_countries and p not in local
        ]
        places = countries + local
        if not places and n == 0:
            places = [p for a in lead for p in a.places.where]
        op.places = _dedupe(places)
        destinations = [c for a in sentences for c in a.places.destinations]
        # a smuggling attempt foiled "into Jordanian territory" happened in Jordan; else the
        # country the report is mostly about
        for fallback in (destinations[0] if destinations else None, home):
            if not op.countries and fallback and (info := country_info(fallback)):
                op.places.insert(0, country_to_fact(info))
        agencies = [g for a in sentences for g in a.places.agencies]
        if not agencies and n == 0:
            agencies = [g for a in lead for g in a.places.agencies]
        if not agencies:
            agencies = previous_agencies
        op.agencies = _dedupe_agencies(agencies)
        # a bare "police" or "army" adds nothing beside a named agency
        named = [a for a in op.agencies if not _BARE_GENERIC.fullmatch(a.label)]
        op.agencies = named or op.agencies[:1]
        previous_agencies = op.agencies
        op.persons = _dedupe([p for a in sentences for p in a.persons])
        networks = [n for a in sentences for n in a.places.networks]
        op.network = networks[0] if networks else None
        # a town or port of the operation's own country is a domestic leg, not a route abroad
        abroad = set(op.countries)
        op.origins = _dedupe(
            [c for a in sentences for c in a.places.origins]
            + [c for a in sentences for c in a.places.place_origins if c not in abroad]
        )
        op.destinations = _dedupe(
            [c for a in sentences for c in a.places.destinations if c not in op.origins]
            + [
                c
                for a in sentences
                for c in a.places.place_destinations
                # into a town at home counts when the drugs came from abroad ("from Europe into Sydney")
                if (c not in abroad or a.places.origins or a.places.place_origins or a.places.from_abroad)
                and c not in op.origins
            ]
        )
        op.transits = _dedupe([c for a in sentences for c in a.places.transits])
        # drugs from abroad seized at home were bound for home ("a car arriving from Lebanon")
        imported = op.origins or any(a.places.from_abroad for a in sentences)
        if imported and not op.destinations and op.countries and op.countries[0] not in op.origins:
            op.destinations = [op.countries[0]]
        op.evidence = _dedupe([a.sentence.text for a in sentences])
        operations.append(op)
    _drop_repeats_and_totals(operations)
    _drop_repeated_arrests(operations)
    # an operation whose every fact restated another one's is that other operation: what it adds
    # (places, agencies, sentences) goes to the one before it
    kept: list[facts.Operation] = []
    for op in operations:
        if op.seizures or op.arrests is not None or op.persons or not kept:
            kept.append(op)
            continue
        prev = kept[-1]
        prev.places = _dedupe(prev.places + [p for p in op.places if p.kind != "country"])
        prev.agencies = _dedupe_agencies(prev.agencies + op.agencies)
        prev.evidence = _dedupe(prev.evidence + op.evidence)
    operations = [op for op in kept if op.seizures or op.arrests is not None or op.persons]
    _unify_agencies(operations, [g for a in items for g in a.places.agencies])
    return operations


_FIND_VERB = re.compile(
    r"\b(seiz\w*|confiscat\w*|recover\w*|found|discover\w*|intercept\w*|impound\w*|uncover\w*|raid\w*|"
    r"arrest\w*|detain\w*|caught|stopped|searched)\b",
    re.IGNORECASE,
)


def _event_date(draft: Draft) -> date | None:
    """Return the day the operation happened: the draft's date, or an earlier day (up to three
    before it) on which a sentence of the draft says something was found, seized or raided —
    reports announce a day or two after ("found overnight Thursday", "announced on Friday")."""
    if draft.date is None:
        return None
    days = [
        a.date
        for a in draft.sentences
        if a.date is not None
        and (a.eventful or _FIND_VERB.search(a.sentence.text))
        and 0 < (draft.date - a.date).days <= 3
    ]
    return min(days) if days else draft.date


def _drop_repeated_arrests(operations: list[facts.Operation]) -> None:
    """Keep a number of arrests once per report: "ten were arrested" in the lead and again in the
    body is one count; and a count that adds up the others ("28 detained" = 3 + 1 + 24) is a total."""
    seen: set[int] = set()
    for op in operations:
        if op.arrests is not None and op.arrests >= 2:
            if op.arrests in seen:
                op.arrests = None
            else:
                seen.add(op.arrests)
    # only the lead sums up: "28 people were detained" first, the three raids after
    counts = [op.arrests for op in operations[1:] if op.arrests]
    lead = operations[0] if operations else None
    if lead is not None and lead.arrests and len(counts) >= 2 and _is_sum(lead.arrests, counts):
        lead.arrests = None


def _unify_agencies(operations: list[facts.Operation], mentioned: list[facts.Agency]) -> None:
    """Name each agency one way across a report, and resolve a bare "police" to the named one.

    The fullest form the report uses wins ("Australian Federal Police" over "AFP"). An operation
    credited only to "police" (or "army", "navy"...) while the report names exactly one agency
    with that word ("Herat provincial police") is credited to that agency.
    """
    best: dict[tuple[str, str | None], facts.Agency] = {}
    for a in [a for op in operations for a in op.agencies] + mentioned:
        key = (a.label.lower(), a.country)
        mention = a.mention or a.label
        current = best.get(key)
        if current is None or (
            not _is_acronym(mention)
            and (len(mention) > len(current.mention or current.label) or _is_acronym(current.mention or current.label))
        ):
            best[key] = a
    named = [a for a in best.values() if not _BARE_GENERIC.fullmatch(a.label)]
    for op in operations:
        agencies = []
        for a in op.agencies:
            a = best.get((a.label.lower(), a.country), a)
            if _BARE_GENERIC.fullmatch(a.label):
                head = _BARE_GENERIC.fullmatch(a.label).group(2).lower()  # type: ignore[union-attr]
                same_kind = [
                    n for n in named if head in f"{n.mention or ''} {n.label}".lower().replace("’s", "").split()
                ]
                if len(same_kind) == 1:
                    a = same_kind[0]
            if a not in agencies:
                agencies.append(a)
        # a bare "police" that could be any of several named ones adds nothing beside them
        specific = [a for a in agencies if not _BARE_GENERIC.fullmatch(a.label)]
        op.agencies = specific or agencies


def _drop_repeats_and_totals(operations: list[facts.Operation]) -> None:
    """Remove, across the operations of one report, amounts that are restated or summed up.

    The lead often repeats an amount the body gives again in its own operation, or adds up the
    amounts of several raids ("80,000 pills" = 30,000 + 50,000): neither is another seizure.
    """
    # "in total, 4 tonnes of cocaine", "in six operations across the country": a summing-up
    # sentence, when the parts are told in other sentences
    everything = [s for op in operations for s in op.seizures if s.quantity is not None]
    summed = {
        id(s)
        for s in everything
        if _TOTAL_CUE.search(s.evidence)
        and any(o.substance == s.substance and o.evidence != s.evidence for o in everything)
    }
    for op in operations:
        op.seizures = [s for s in op.seizures if id(s) not in summed]
    seen: set[tuple[str, float, str | None]] = set()
    for op in operations:
        kept = []
        for s in op.seizures:
            key = (s.substance, s.quantity, s.unit)
            if s.quantity is not None and key in seen:
                continue
            if s.quantity is not None:
                seen.add(key)
            kept.append(s)
        op.seizures = kept
    # a substance named without an amount in an operation that has nothing else of its own,
    # while another operation gives its amount: a mention of that other seizure
    with_amount = {s.substance for op in operations for s in op.seizures if s.quantity is not None}
    for op in operations:
        if op.arrests is None and not op.persons and all(s.quantity is None for s in op.seizures):
            op.seizures = [s for s in op.seizures if s.substance not in with_amount]
    amounts = [s for op in operations for s in op.seizures if s.quantity is not None]
    totals = set()
    for s in amounts:
        # parts of the same substance (a total of "drugs" may add up anything) in the same unit
        others = [
            o.quantity
            for o in amounts
            if o is not s
            and o.unit == s.unit
            and o.quantity is not None
            and (o.substance == s.substance or s.substance == "unspecified")
        ]
        if len(others) >= 2 and s.quantity is not None:
            # a rounded amount ("about 400 kg") sums up its parts (315 + 60 kg) only roughly
            tolerance = 0.1 if any(n.hedge for n in find_numbers(s.evidence)) else 0.01
            if _is_sum(s.quantity, [x for x in others if x < s.quantity], tolerance):
                totals.add(id(s))
    # "drugs" with an amount larger than every named seizure: the report's total
    for s in amounts:
        if s.substance == "unspecified" and s.quantity is not None:
            named = [o.quantity for o in amounts if o.substance != "unspecified" and o.unit == s.unit]
            if len(named) >= 2 and all(q is not None and q < s.quantity for q in named):
                totals.add(id(s))
    for op in operations:
        op.seizures = [s for s in op.seizures if id(s) not in totals]


_TOTAL_CUE = re.compile(
    r"\b(in total|in all|altogether|all told|combined|overall|a total of|total(?:l)?ing|among them|"
    r"the (?:raids|operations|seizures|searches) (?:netted|yielded|uncovered|led to)|"
    r"in (?:\w+ )?(?:separate |different |joint )?(?:operations|raids|seizures|cases) "
    r"(?:across|in|throughout|around))\b",
    re.IGNORECASE,
)


def _is_sum(total: float, parts: list[float], tolerance: float = 0.01) -> bool:
    """True when some two or more of ``parts`` add up to ``total`` (within ``tolerance``, a share)."""
    from itertools import combinations

    parts = parts[:12]
    for size in range(2, min(len(parts), 5) + 1):
        for combo in combinations(parts, size):
            if abs(sum(combo) - total) <= tolerance * total:
                return True
    return False
