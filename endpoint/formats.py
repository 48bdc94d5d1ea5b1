"""The result formats of the endpoint and the choice among them (Accept with q-values, ``format``).

SELECT and ASK answer in SPARQL results formats, CONSTRUCT and DESCRIBE in RDF formats. The
``format`` / ``output`` / ``results`` parameters (sent by SPARQLWrapper and by links in browsers)
take precedence over Accept; among Accept entries of equal quality the default format wins.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

RESULTS, GRAPH = "results", "graph"


@dataclass(frozen=True)
class Format:
    """One serialisation: its short name, the media type sent, and the aliases accepted."""

    name: str
    media_type: str
    aliases: tuple[str, ...] = ()
    names: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        """The Content-Type header value (UTF-8 said explicitly for text types)."""
        text = self.media_type.startswith("text/")
        return f"{self.media_type}; charset=utf-8" if text else self.media_type

    @property
    def rdf_format(self) -> ox.RdfFormat:
        return _RDF[self.name]


_XML_ALIASES = ("application/xml", "text/xml")
RESULT_FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", ("application/json",), ("json", "srj")),
    Format("xml", "application/sparql-results+xml", _XML_ALIASES, ("xml", "srx")),
    Format("csv", "text/csv", (), ("csv",)),
    Format("tsv", "text/tab-separated-values", (), ("tsv",)),
)
GRAPH_FORMATS: tuple[Format, ...] = (
    Format("turtle", "text/turtle", ("application/x-turtle",), ("turtle", "ttl")),
    Format("nt", "application/n-triples", ("text/plain",), ("nt", "ntriples", "n-triples")),
    Format("rdfxml", "application/rdf+xml", _XML_ALIASES, ("rdfxml", "xml", "rdf")),
    Format("jsonld", "application/ld+json", ("application/json",), ("jsonld", "json-ld", "json")),
    Format("trig", "application/trig", (), ("trig",)),
    Format("nq", "application/n-quads", (), ("nq", "nquads", "n-quads")),
)
_RDF = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
}
DATASET_FORMATS: tuple[Format, ...] = tuple(f for f in GRAPH_FORMATS if f.name in ("trig", "nq"))


def formats_for(kind: str) -> tuple[Format, ...]:
    return RESULT_FORMATS if kind == RESULTS else GRAPH_FORMATS


def choose(formats: tuple[Format, ...], accept: str | None, requested: str | None) -> Format | None:
    """Return the format to answer with, or None when neither ``requested`` nor Accept can be met.

    ``requested`` is a ``format`` parameter: a short name (``json``, ``ttl``...) or a media type.
    A missing or empty Accept header means the first (default) format.

    >>> choose(RESULT_FORMATS, "text/csv;q=0.5, application/sparql-results+xml", None).name
    'xml'
    """
    if requested:
        wanted = requested.strip().lower()
        for f in formats:
            if wanted in f.names or wanted == f.media_type or wanted in f.aliases:
                return f
        return None
    if not accept or not accept.strip():
        return formats[0]
    parsed = parse_accept_header(_drop_params(accept), MIMEAccept)
    offers: list[str] = []
    owner: dict[str, Format] = {}
    for f in formats:  # canonical types first, so that they win ties over aliases
        offers.append(f.media_type)
        owner[f.media_type] = f
    for f in formats:
        for alias in f.aliases:
            if alias not in owner:
                offers.append(alias)
                owner[alias] = f
    best = parsed.best_match(offers)
    return owner[best] if best else None


def _drop_params(accept: str) -> str:
    """Keep only ``q`` of each Accept entry: ``text/csv; charset=utf-8`` must match ``text/csv``."""
    entries = []
    for entry in accept.split(","):
        media, *params = (part.strip() for part in entry.split(";"))
        q = [p for p in params if p.replace(" ", "").lower().startswith("q=")]
        entries.append(";".join([media, *q[:1]]))
    return ", ".join(entries)


def describe(formats: tuple[Format, ...]) -> str:
    """Return the media types of ``formats`` as a human list, for 406 messages."""
    return ", ".join(f.media_type for f in formats)
