"""What the server knows about one resource, read with bounded index lookups.

A description is the resource's own triples (outgoing), the triples that point to it
(incoming), and for each neighbour its types and labels, enough to name it on a page. Everything
is read with ``quads_for_pattern`` on the stores' indexes, each lookup stopped after a fixed
number of quads, so a page costs at most a few thousand index reads, never a scan or a query
that would need the time limit. Where a lookup stops early the description says so.

Sources are several stores read as one: the endpoint's store and the packaged vocabulary (so
that substance concepts and unit names are known even in a store without the vocabulary graph).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from narcograph.ontology import NG
from narcograph.vocabulary import packaged_files

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
DCTERMS_TITLE = "http://purl.org/dc/terms/title"
SCHEMA_NAME = "https://schema.org/name"
LABELS = (SKOS_PREF, RDFS_LABEL, DCTERMS_TITLE, SCHEMA_NAME)  # in order of preference
NAMING = (RDF_TYPE, *LABELS)  # the neighbour triples a description carries along

MAX_OUT = 2000  # distinct triples of the resource itself
MAX_IN = 500  # distinct (subject, predicate) pairs pointing to it
MAX_READS = 20_000  # quads read per pattern: one triple is repeated in every report graph
MAX_NEIGHBOUR_READS = 200  # quads read to name a neighbour


@lru_cache(maxsize=1)
def packaged_vocabulary() -> ox.Store:
    """Return the packaged ontology and vocabularies in an in-memory store (read once)."""
    store = ox.Store()
    for _, text in packaged_files():
        store.load(text, format=ox.RdfFormat.TURTLE)
    return store


@dataclass
class Node:
    """What is known about a neighbour: its types, labels, and a few facts to name it by."""

    iri: str
    types: list[str] = field(default_factory=list)
    labels: list[ox.Literal] = field(default_factory=list)
    facts: dict[str, ox.NamedNode | ox.Literal] = field(default_factory=dict)
    naming: list[ox.Triple] = field(default_factory=list)

    @property
    def label(self) -> str | None:
        return best_label(self.labels)


@dataclass
class Description:
    """A resource's triples, the triples pointing to it, and its neighbours."""

    iri: str
    me: Node  # the resource itself, named like its neighbours
    outgoing: list[tuple[ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]]
    incoming: list[tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode]]
    nodes: dict[str, Node]  # the neighbours (not classes: rdf:type objects are not neighbours)
    truncated: bool
    further: dict[str, Node] = field(default_factory=dict)  # named only on pages (units...)

    @property
    def exists(self) -> bool:
        return bool(self.outgoing or self.incoming)

    def triples(self) -> list[ox.Triple]:
        """Return the description as triples: own, incoming, and the neighbours' types/labels."""
        me = ox.NamedNode(self.iri)
        out = [ox.Triple(me, p, o) for p, o in self.outgoing]
        out += [ox.Triple(s, p, me) for s, p in self.incoming]
        seen = set(out)
        for node in self.nodes.values():
            if node.iri != self.iri:
                out += [t for t in node.naming if t not in seen]
        return out


def best_label(labels: Sequence[ox.Literal]) -> str | None:
    """Return the English label, else one without language, else any (they come preferred first)."""
    for wanted in ("en", None):
        for label in labels:
            if label.language == wanted:
                return label.value
    return labels[0].value if labels else None


def _distinct(quads: Iterable[ox.Quad], key: Callable[[ox.Quad], Any],
              limit: int) -> tuple[list, bool]:
    """Return up to ``limit`` distinct ``key(quad)`` values, and whether more were left."""
    seen: dict = {}
    for reads, quad in enumerate(quads, 1):
        value = key(quad)
        if value not in seen:
            if len(seen) == limit:
                return list(seen), True
            seen[value] = None
        if reads >= MAX_READS:
            return list(seen), True
    return list(seen), False


def _chain(sources: Sequence[ox.Store], s: object, p: object, o: object) -> Iterable[ox.Quad]:
    for store in sources:
        yield from store.quads_for_pattern(s, p, o, None)  # type: ignore[arg-type]


def describe(sources: Sequence[ox.Store], iri: str) -> Description:
    """Return what ``sources`` hold about ``iri`` (empty when nothing); raises ValueError for an
    invalid IRI."""
    me = ox.NamedNode(iri)
    outgoing, more_out = _distinct(_chain(sources, me, None, None),
                                   lambda q: (q.predicate, q.object), MAX_OUT)
    incoming, more_in = _distinct(_chain(sources, None, None, me),
                                  lambda q: (q.subject, q.predicate), MAX_IN)
    outgoing.sort(key=lambda po: (po[0].value, str(po[1])))
    incoming.sort(key=lambda sp: (sp[1].value, str(sp[0])))
    nodes: dict[str, Node] = {}
    neighbours = [o for p, o in outgoing if isinstance(o, ox.NamedNode) and p.value != RDF_TYPE]
    neighbours += [s for s, _ in incoming if isinstance(s, ox.NamedNode)]
    for neighbour in neighbours:
        if neighbour.value not in nodes:
            nodes[neighbour.value] = read_node(sources, neighbour.value)
    # Seizures are named by what and how much: their substance and unit need names too.
    further: dict[str, Node] = {}
    for node in list(nodes.values()):
        for key in (str(NG.substance), str(NG.unit)):
            target = node.facts.get(key)
            if isinstance(target, ox.NamedNode) and target.value not in nodes \
                    and target.value not in further:
                further[target.value] = read_node(sources, target.value)
    return Description(iri, node_of(iri, outgoing), outgoing, incoming, nodes,
                       more_out or more_in, further)


_FACTS = (str(NG.date), str(NG.quantity), str(NG.unit), str(NG.substance))


def read_node(sources: Sequence[ox.Store], iri: str) -> Node:
    """Return the types, labels and naming facts of ``iri`` (a bounded read)."""
    pairs = []
    for reads, quad in enumerate(_chain(sources, ox.NamedNode(iri), None, None), 1):
        if reads > MAX_NEIGHBOUR_READS:
            break
        pairs.append((quad.predicate, quad.object))
    return node_of(iri, pairs)


def node_of(iri: str, pairs: Iterable[tuple[ox.NamedNode, object]]) -> Node:
    """Return the Node of ``iri`` given its (predicate, object) pairs."""
    node = Node(iri)
    me = ox.NamedNode(iri)
    labels: dict[str, list[ox.Literal]] = {p: [] for p in LABELS}
    seen: set[ox.Triple] = set()
    for predicate, o in pairs:
        p = predicate.value
        if p in NAMING and isinstance(o, ox.NamedNode | ox.Literal):
            triple = ox.Triple(me, predicate, o)
            if triple not in seen:
                seen.add(triple)
                node.naming.append(triple)
        if p == RDF_TYPE and isinstance(o, ox.NamedNode) and o.value not in node.types:
            node.types.append(o.value)
        elif p in labels and isinstance(o, ox.Literal) and o not in labels[p]:
            labels[p].append(o)
        elif p in _FACTS and p not in node.facts and isinstance(o, ox.NamedNode | ox.Literal):
            node.facts[p] = o
    node.labels = [label for p in LABELS for label in labels[p]]
    return node
