"""Query results as plain rows, and their serialisation (SPARQL JSON/XML/CSV/TSV, RDF)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {XSD + t for t in ("integer", "nonNegativeInteger", "int", "long", "positiveInteger")}


def term_value(term: Any) -> Any:
    """Return a Python value for an RDF term: IRIs and strings as str, numbers as int/float,
    ``xsd:date`` as ``datetime.date``, booleans as bool, None for unbound."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        try:
            if dt in _INTEGER_TYPES:
                return int(term.value)
            if dt in (XSD + "decimal", XSD + "double", XSD + "float"):
                return float(term.value)
            if dt == XSD + "boolean":
                return term.value in ("true", "1")
            if dt == XSD + "date":
                from datetime import date

                return date.fromisoformat(term.value)
        except ValueError:
            return term.value
        return term.value
    return term.value


@dataclass(frozen=True)
class Rows:
    """SELECT results as plain Python rows (no pandas needed)."""

    columns: list[str]
    rows: list[tuple[Any, ...]]

    def dicts(self) -> list[dict[str, Any]]:
        """Return each row as a ``{column: value}`` dict (unbound values left out)."""
        return [{c: v for c, v in zip(self.columns, r, strict=True) if v is not None} for r in self.rows]

    def __len__(self) -> int:
        return len(self.rows)


def solutions_to_rows(solutions: ox.QuerySolutions) -> Rows:
    """Return the rows of a pyoxigraph SELECT result."""
    columns = [v.value for v in solutions.variables]
    rows = [tuple(term_value(s[c]) for c in columns) for s in solutions]
    return Rows(columns, rows)


def format_table(rows: Rows, max_width: int = 60) -> str:
    """Return rows as an aligned plain-text table."""

    def cell(v: Any) -> str:
        text = "" if v is None else str(v)
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    body = [[cell(v) for v in r] for r in rows.rows]
    widths = [max([len(c)] + [len(r[i]) for r in body]) for i, c in enumerate(rows.columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(rows.columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in body]
    lines.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(lines)
