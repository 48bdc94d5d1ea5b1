"""Query results to bytes, whole and bounded, before any status is sent.

SELECT results are collected up to the result limit and written here (pyoxigraph's own writer
cannot stop at a row count); ASK results and RDF graphs use pyoxigraph's writers.
"""

from __future__ import annotations

import csv
import io
import json
import time
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from narcograph.endpoint.formats import Format

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_CHECK_EVERY = 256


class TooManyResults(Exception):
    """The result has more rows or triples than the limit."""


class DeadlinePassed(Exception):
    """The time limit passed while results were being read."""


def bounded(items: object, limit: int, deadline: float | None) -> list:
    """Return the items of an iterator as a list; raise TooManyResults past ``limit`` items and
    DeadlinePassed when ``deadline`` (``time.monotonic()``) passes between two items."""
    out: list = []
    for item in items:  # type: ignore[attr-defined]
        out.append(item)
        if len(out) > limit:
            raise TooManyResults(limit)
        if deadline is not None and len(out) % _CHECK_EVERY == 0 and time.monotonic() > deadline:
            raise DeadlinePassed()
    return out


def solutions_bytes(variables: list[str], rows: list, fmt: Format) -> bytes:
    """Return SELECT results as SPARQL 1.1 JSON, XML, CSV or TSV."""
    return _WRITERS[fmt.name](variables, rows)


def boolean_bytes(result: ox.QueryBoolean, fmt: Format) -> bytes:
    """Return an ASK result in ``fmt``."""
    if fmt.name == "json":
        return json.dumps({"head": {}, "boolean": bool(result)}).encode()
    if fmt.name == "xml":
        return result.serialize(format=ox.QueryResultsFormat.XML)
    return b"true" if bool(result) else b"false"


def graph_bytes(triples: list, fmt: Format, prefixes: dict[str, str] | None = None) -> bytes:
    """Return CONSTRUCT/DESCRIBE triples in an RDF format (TriG/N-Quads: in the default graph)."""
    if fmt.rdf_format.supports_datasets:
        triples = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    kwargs = {"prefixes": prefixes} if prefixes and fmt.name in ("turtle", "trig") else {}
    return ox.serialize(triples, format=fmt.rdf_format, **kwargs)


def used_prefixes(triples: list, prefixes: dict[str, str]) -> dict[str, str]:
    """Return the ``prefixes`` whose namespace some IRI of ``triples`` starts with."""
    iris = {t.value for triple in triples for t in (triple.subject, triple.predicate, triple.object)
            if isinstance(t, ox.NamedNode)}
    iris |= {t.datatype.value for triple in triples for t in (triple.object,)
             if isinstance(t, ox.Literal)}
    return {p: ns for p, ns in prefixes.items() if any(iri.startswith(ns) for iri in iris)}


def _term_json(term: object) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        parts = ("subject", "predicate", "object")
        return {"type": "triple", "value": {p: _term_json(getattr(term, p)) for p in parts}}
    raise TypeError(f"not an RDF term: {term!r}")


def _json(variables: list[str], rows: list) -> bytes:
    bindings = [
        {v: _term_json(row[i]) for i, v in enumerate(variables) if row[i] is not None}
        for row in rows
    ]
    body = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _term_xml(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            dt = quoteattr(term.datatype.value)
            return f"<literal datatype={dt}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        inner = "".join(
            f"<{p}>{_term_xml(getattr(term, p))}</{p}>" for p in ("subject", "predicate", "object")
        )
        return f"<triple>{inner}</triple>"
    raise TypeError(f"not an RDF term: {term!r}")


def _xml(variables: list[str], rows: list) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head><results>")
    for row in rows:
        out.append("<result>")
        for i, v in enumerate(variables):
            if row[i] is not None:
                out.append(f"<binding name={quoteattr(v)}>{_term_xml(row[i])}</binding>")
        out.append("</result>")
    out.append("</results></sparql>")
    return "".join(out).encode("utf-8")


def _csv_value(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value  # type: ignore[attr-defined]


def _csv(variables: list[str], rows: list) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_value(row[i]) for i in range(len(variables))])
    return buffer.getvalue().encode("utf-8")


def _tsv(variables: list[str], rows: list) -> bytes:
    # N-Triples syntax escapes tabs and newlines inside literals, as TSV results require.
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if row[i] is None else str(row[i]) for i in range(len(variables)))
              for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


_WRITERS = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}
