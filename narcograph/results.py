"""Query results as plain rows, and their serialisation (SPARQL JSON/XML/CSV/TSV, RDF)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
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
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_INTEGER_TYPES = {
    XSD + t
    for t in (
        "integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
        "negativeInteger", "int", "long", "short", "byte", "unsignedInt", "unsignedLong",
        "unsignedShort", "unsignedByte",
    )
}
_FLOAT_TYPES = {XSD + "decimal", XSD + "double", XSD + "float"}


def term_value(term: Any) -> Any:
    """Return a Python value for an RDF term: IRIs and strings as str, numbers as int/float,
    ``xsd:date`` as ``datetime.date``, ``xsd:dateTime`` as ``datetime``, booleans as bool,
    None for unbound. A literal whose lexical form does not fit its datatype stays a str."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        try:
            if dt in _INTEGER_TYPES:
                return int(term.value)
            if dt in _FLOAT_TYPES:
                return float(term.value)
            if dt == XSD + "boolean":
                return term.value in ("true", "1")
            if dt == XSD + "date":
                return date.fromisoformat(term.value)
            if dt == XSD + "dateTime":
                return datetime.fromisoformat(term.value.replace("Z", "+00:00"))
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
        return [
            {c: v for c, v in zip(self.columns, r, strict=True) if v is not None} for r in self.rows
        ]

    def column(self, name: str) -> list[Any]:
        """Return the values of one column (None where unbound); raises KeyError if unknown."""
        if name not in self.columns:
            raise KeyError(name)
        i = self.columns.index(name)
        return [r[i] for r in self.rows]

    def __len__(self) -> int:
        return len(self.rows)


def solutions_to_rows(solutions: ox.QuerySolutions) -> Rows:
    """Return the rows of a pyoxigraph SELECT result."""
    columns = [v.value for v in solutions.variables]
    rows = [tuple(term_value(s[c]) for c in columns) for s in solutions]
    return Rows(columns, rows)


def json_term(node: Mapping[str, Any]) -> ox.NamedNode | ox.BlankNode | ox.Literal | None:
    """Return the pyoxigraph term of one SPARQL 1.1 Query Results JSON binding.

    Raises ValueError for a binding of unknown type.
    """
    kind = node.get("type")
    value = node.get("value", "")
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if kind in ("literal", "typed-literal"):  # "typed-literal" is the pre-standard form
        if node.get("xml:lang"):
            return ox.Literal(value, language=node["xml:lang"])
        if node.get("datatype") and node["datatype"] != RDF_LANG_STRING:
            return ox.Literal(value, datatype=ox.NamedNode(node["datatype"]))
        return ox.Literal(value)
    if kind == "triple":  # RDF-star: not a value narcograph queries return
        return None
    raise ValueError(f"unknown SPARQL JSON term type {kind!r}")


def json_to_terms(document: Mapping[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """Return ``(columns, bindings as {column: term})`` of a SPARQL JSON SELECT result."""
    columns = list(document.get("head", {}).get("vars", []))
    solutions = [
        {k: json_term(v) for k, v in binding.items()}
        for binding in document.get("results", {}).get("bindings", [])
    ]
    return columns, solutions


def json_to_rows(document: Mapping[str, Any]) -> Rows:
    """Return the rows of a SPARQL 1.1 Query Results JSON document (a SELECT result)."""
    columns, solutions = json_to_terms(document)
    return Rows(columns, [tuple(term_value(s.get(c)) for c in columns) for s in solutions])


def to_dataframe(rows: Rows) -> Any:
    """Return rows as a pandas DataFrame with typed columns.

    Dates become datetime64, integers int64 (nullable ``Int64`` when some are unbound), other
    numbers float64, booleans bool; IRIs and strings stay strings; unbound values are missing.
    Raises ImportError, saying what to install, when pandas is missing.
    """
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "pandas is needed for DataFrames: pip install 'narcograph[notebook]', "
            "or use .rows() / .run_rows() for plain rows"
        ) from exc
    columns: dict[str, Any] = {}
    for i, name in enumerate(rows.columns):
        raw = [r[i] for r in rows.rows]
        values = [v for v in raw if v is not None]
        missing = len(values) < len(raw)
        if not values:
            columns[name] = pd.Series(raw, dtype=object)
        elif all(isinstance(v, bool) for v in values):
            columns[name] = pd.array(raw, dtype="boolean") if missing else pd.array(raw, dtype=bool)
        elif all(isinstance(v, datetime) for v in values):
            columns[name] = pd.to_datetime(raw, utc=any(v.tzinfo for v in values))
        elif all(isinstance(v, date) and not isinstance(v, datetime) for v in values):
            columns[name] = pd.to_datetime(raw)
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            columns[name] = pd.array(raw, dtype="Int64" if missing else "int64")
        elif all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            columns[name] = pd.array([float("nan") if v is None else float(v) for v in raw],
                                     dtype="float64")
        elif all(isinstance(v, str) for v in values):
            columns[name] = pd.Series(raw)  # pandas' string dtype (object before pandas 3)
        else:
            columns[name] = pd.Series(raw, dtype=object)
    return pd.DataFrame(columns, columns=rows.columns, index=pd.RangeIndex(len(rows.rows)))


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
