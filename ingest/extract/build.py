"""Drafts of operations → ``facts.Operation`` values: merging, de-duplicating, filling context."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING

from narcograph.ingest import facts

if TYPE_CHECKING:
    from narcograph.ingest.extract.assemble import Analysed, Draft
    from narcograph.ingest.extract.seizures import SeizureMention


def _significant(value: float) -> int:
    digits = f"{value:.6f}".rstrip("0").replace(".", "").lstrip("0")
    return len(digits.rstrip("0")) if "." not in f"{value}" else len(digits)


def merge_seizures(pairs: list[tuple[SeizureMention, str]], fallback: str | None) -> list[facts.Seizure]:
    """Return the distinct seizures of one operation.

    The same substance and unit restated with a rounder amount ("more than six million" after
    "6.2 million") is one seizure; an amount-less mention of a substance that also has an amount
    adds nothing; an amount with no substance takes the operation's substance.
    """
    out: list[tuple[str, float | None, str | None, str]] = []
    # an amount written with misplaced separators ("4,0222") is a typo when the same substance
    # has a regular amount too
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
    with_amount = {k for k, q, _, _ in out if q is not None}
    seen: set[str] = set()
    result = []
    specific = {k for k, _, _, _ in out if k != "unspecified"}
    for k, q, u, e in out:
        if q is None and (k in with_amount or k in seen):
            continue
        if k == "unspecified" and q is None and specific:
            continue
        seen.add(k)
        result.append(facts.Seizure(k, q, u, e))
    return result


def _dedupe(items: list) -> list:
    out: list = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _dedupe_agencies(agencies: list[facts.Agency]) -> list[facts.Agency]:
    out: list[facts.Agency] = []
    for a in agencies:
        low = a.label.lower()
        if any(low == b.label.lower() or (b.acronym and low == b.acronym.lower()) for b in out):
            continue
        # "police" adds nothing beside "Dubai Police"
        if any(low in b.label.lower().split() or b.label.lower().endswith(" " + low) for b in out):
            continue
        out = [b for b in out if not (b.country is None and a.label.lower().endswith(" " + b.label.lower()))]
        out.append(a)
    return out


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
    all_substances = Counter(s.substance for a in items for s in a.seizures if s.substance and s.substance != "unspecified")
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
        elif any(a.fled or a.arrests == 0 for a in sentences):
            op.arrests = 0
        op.date = draft.date
        if op.date is None and n == 0:
            op.date = next((a.date for a in lead if a.date is not None), None)
            op.date_is_announcement = op.date is not None
        places = [p for a in sentences for p in a.places.where]
        if not places and n == 0:
            places = [p for a in lead for p in a.places.where]
        if n == 0 and not any(p.kind != "country" for p in places):
            # the dateline names where the report was filed: used only when nothing else says where
            places += [p for a in items[:2] for p in a.dateline]
        op.places = _dedupe(places)
        if not op.countries and home:
            from narcograph.ingest.gazetteer import country_info, country_to_fact

            info = country_info(home)
            if info:
                op.places.insert(0, country_to_fact(info))
        agencies = [g for a in sentences for g in a.places.agencies]
        if not agencies and n == 0:
            agencies = [g for a in lead for g in a.places.agencies]
        if not agencies:
            agencies = previous_agencies
        op.agencies = _dedupe_agencies(agencies)
        previous_agencies = op.agencies
        op.persons = _dedupe([p for a in sentences for p in a.persons])
        op.origins = _dedupe([c for a in sentences for c in a.places.origins])
        op.destinations = _dedupe([c for a in sentences for c in a.places.destinations if c not in op.origins])
        op.transits = _dedupe([c for a in sentences for c in a.places.transits])
        op.evidence = _dedupe([a.sentence.text for a in sentences])
        operations.append(op)
    return operations
