"""A plain-text account of what extraction found in each sentence and how it grouped them."""

from __future__ import annotations

from narcograph.ingest.extract.assemble import trace
from narcograph.ingest.report import Report


def _facts(item) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for s in item.seizures:
        amount = f"{s.quantity:,.10g} {s.unit}" if s.quantity is not None else "no amount"
        out.append(f"seizure {s.substance or '(substance of the operation)'}: {amount}")
    if item.arrests is not None:
        out.append(f"arrests {item.arrests}" + (" (suspects fled)" if item.fled else ""))
    if item.date is not None:
        out.append(f"date {item.date.isoformat()}")
    for p in item.places.where:
        out.append(f"where {p.mention or p.label} [{p.kind}, {p.country or '?'}]")
    out += [f"from {c}" for c in item.places.origins] + [f"to {c}" for c in item.places.destinations]
    out += [f"agency {a.mention or a.label}" for a in item.places.agencies]
    out += [f"person {p.name} ({p.role})" for p in item.persons]
    return out


def _places(op) -> str:  # type: ignore[no-untyped-def]
    return "; ".join(p.mention or p.label for p in op.places if p.kind != "country")


def explain(report: Report) -> str:
    """Return, sentence by sentence, the facts found and the operation each sentence went to."""
    found = trace(report.text, report.published)
    context, items, drafts, operations = found.context, found.items, found.drafts, found.operations
    where = {id(a): n for n, d in enumerate(drafts, start=1) for a in d.sentences}
    lines = [
        f"{report.origin}: published {report.published or 'unknown'}; countries named: {' '.join(context) or 'none'}"
    ]
    for item in items:
        if item.aggregate:
            verdict = "left out: a total, a statistic or background"
        elif id(item) in where:
            role = "event" if item.eventful else "context"
            verdict = f"operation {where[id(item)]} ({role})"
            if item.new_cue:
                verdict += ", says a new operation starts"
        else:
            verdict = "no operation (nothing seized, nobody arrested)"
        lines.append(f"[{item.sentence.index}] {item.sentence.text}")
        lines.append(f"    -> {verdict}")
        for fact in _facts(item):
            lines.append(f"       {fact}")
    lines.append(f"{len(operations)} operation(s):")
    for n, op in enumerate(operations, start=1):
        seized = (
            ", ".join(
                f"{s.substance} {s.quantity:,.10g} {s.unit}" if s.quantity is not None else s.substance
                for s in op.seizures
            )
            or "nothing"
        )
        lines.append(
            f"  {n}. date {op.date or '?'}; arrests {op.arrests if op.arrests is not None else '?'}; "
            f"countries {' '.join(op.countries) or '?'}; places {_places(op) or '-'}; "
            f"agencies {'; '.join(a.mention or a.label for a in op.agencies) or '-'}; seized {seized}; "
            f"from {' '.join(op.origins) or '-'} to {' '.join(op.destinations) or '-'}"
        )
    return "\n".join(lines)
