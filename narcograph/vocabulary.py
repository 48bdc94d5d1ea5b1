"""The packaged ontology and SKOS vocabularies, kept in one named graph of the store.

Queries need the substance scheme (preferred labels, ``skos:broader`` drug classes, Wikidata
matches) and the unit codes (``skos:notation``), which are package data rather than report data.
:func:`ensure_vocabulary` loads ``ontology/*.ttl`` into the graph
``https://w3id.org/narcograph/ontology`` and replaces it whenever the packaged files change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef

from narcograph.errors import StoreError
from narcograph.ontology import NG
from narcograph.resources import list_files
from narcograph.store import GraphStore

VOCABULARY_GRAPH = "https://w3id.org/narcograph/ontology"


def packaged_files() -> list[tuple[str, str]]:
    """Return ``(name, Turtle text)`` of every packaged ``ontology/*.ttl`` file, sorted by name."""
    return [(f.name, f.read_text(encoding="utf-8")) for f in list_files("ontology", ".ttl")]


def vocabulary_hash(files: Iterable[tuple[str, str]]) -> str:
    """Return a SHA-256 over the names and texts of ``files`` (order-independent)."""
    digest = hashlib.sha256()
    for name, text in sorted(files):
        for part in (name, text):
            data = part.encode("utf-8")
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
    return digest.hexdigest()


def vocabulary_graph(files: Iterable[tuple[str, str]]) -> Graph:
    """Return the union of the Turtle ``files`` as one graph; raises StoreError for bad Turtle."""
    graph = Graph()
    for name, text in files:
        try:
            graph.parse(data=text, format="turtle")
        except (SyntaxError, ValueError) as exc:  # rdflib's BadSyntax is a SyntaxError
            raise StoreError(f"vocabulary file {name} is not valid Turtle: {exc}") from exc
    return graph


def ensure_vocabulary(store: GraphStore, files: Iterable[tuple[str, str]] | None = None) -> bool:
    """Load the vocabulary into the graph ``VOCABULARY_GRAPH`` unless it is already current.

    ``files`` defaults to the packaged ``ontology/*.ttl``. The graph records the files' hash as
    ``<graph> ng:contentHash "…"``; when it matches, nothing is written, so calling this on every
    open is cheap and idempotent. Otherwise the graph is replaced in one transaction. Returns
    whether the store changed. Raises StoreError for unparsable files or an unwritable store.

    >>> ensure_vocabulary(GraphStore(None))    # doctest: +SKIP
    True
    """
    files = packaged_files() if files is None else list(files)
    digest = vocabulary_hash(files)
    if store.content_hash(VOCABULARY_GRAPH) == digest:
        return False
    graph = vocabulary_graph(files)
    graph.add((URIRef(VOCABULARY_GRAPH), NG.contentHash, Literal(digest)))
    store.replace_graph(VOCABULARY_GRAPH, graph)
    store.flush()
    return True
