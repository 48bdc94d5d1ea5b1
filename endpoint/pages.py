"""The HTML view of a resource description: names, links and sections, ready for a template.

Templates only print what this module prepares; Jinja escapes every string. Links are made
here and only to ``http``/``https`` IRIs or local pages, so that an IRI such as
``javascript:...`` stored in the data is shown as text, never as a link.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

import pyoxigraph as ox

from narcograph.endpoint.describe import RDF_TYPE, Description, Node, read_node
from narcograph.ontology import NG, PREFIXES, SUBSTANCE

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
SKOS = "http://www.w3.org/2004/02/skos/core#"
MATCHES = {  # predicates whose values are the same thing in another dataset
    SKOS + "exactMatch": "exact match",
    SKOS + "closeMatch": "close match",
    SKOS + "relatedMatch": "related match",
    SKOS + "broadMatch": "broader match",
    SKOS + "narrowMatch": "narrower match",
    "http://www.w3.org/2002/07/owl#sameAs": "same as",
}
EXTERNAL_IDS = (  # IRI prefix -> dataset name, for "Wikidata Q858" rather than a bare IRI
    ("http://www.wikidata.org/entity/", "Wikidata"),
    ("https://www.wikidata.org/entity/", "Wikidata"),
    ("https://sws.geonames.org/", "GeoNames"),
    ("http://sws.geonames.org/", "GeoNames"),
    ("http://purl.obolibrary.org/obo/CHEBI_", "ChEBI"),
    ("http://id.nlm.nih.gov/mesh/", "MeSH"),
)
GROUPS = (  # class -> heading of the related resources of that kind, in page order
    (str(NG.Report), "Reports"),
    (str(NG.Operation), "Operations"),
    (str(NG.Seizure), "Seizures"),
    (str(NG.Agency), "Agencies"),
    (str(NG.Person), "Persons"),
    (str(NG.CriminalNetwork), "Criminal networks"),
    (str(NG.Country), "Places"),
    (str(NG.Place), "Places"),
    (str(NG.AdministrativeArea), "Places"),
    (str(NG.Settlement), "Places"),
    (str(NG.Port), "Places"),
    (str(NG.BorderCrossing), "Places"),
    (str(NG.Substance), "Substances"),
)
OTHER = "Other resources"


@dataclass(frozen=True)
class Link:
    """A thing shown on a page: its text, where it links (None: plain text), a small note."""

    text: str
    href: str | None = None
    external: bool = False
    note: str = ""
    title: str = ""


class Linker:
    """Turns IRIs into links: data IRIs and substances to local pages, http(s) IRIs outward."""

    def __init__(self, base_iri: str, local_prefix: str, root: str) -> None:
        self.base_iri = base_iri
        self.local_prefix = local_prefix  # e.g. "/id/": where data IRIs resolve on this server
        self.root = root  # the server's URL, ending in "/"
        self.prefixes = {**PREFIXES, "id": base_iri}

    def local(self, iri: str) -> str | None:
        """Return this server's page of ``iri``, or None when it has none."""
        if iri.startswith(self.base_iri) and len(iri) > len(self.base_iri):
            return self.local_prefix + _path(iri[len(self.base_iri):])
        if iri.startswith(str(SUBSTANCE)):
            key = iri[len(str(SUBSTANCE)):]
            if key and "/" not in key:
                return f"{self.root}substance/{_path(key)}"
        return None

    def href(self, iri: str) -> tuple[str | None, bool]:
        """Return ``(href, external)`` for ``iri``; href None when it must not be a link."""
        local = self.local(iri)
        if local:
            return local, False
        if iri.lower().startswith(("http://", "https://")):
            return iri, True
        return None, False

    def curie(self, iri: str) -> str:
        """Return ``prefix:local`` for ``iri`` when a known prefix fits, else the IRI."""
        best = ""
        for prefix, ns in self.prefixes.items():
            if iri.startswith(ns) and len(ns) > len(self.prefixes.get(best, "")):
                best = prefix
        return f"{best}:{iri[len(self.prefixes[best]):]}" if best else iri

    def external_name(self, iri: str) -> str | None:
        """Return e.g. "Wikidata Q858" for an IRI of a known dataset."""
        for prefix, name in EXTERNAL_IDS:
            if iri.startswith(prefix) and len(iri) > len(prefix):
                return f"{name} {iri[len(prefix):].strip('/')}"
        return None

    def link(self, iri: str, text: str | None = None, note: str = "") -> Link:
        href, external = self.href(iri)
        shown = text or self.external_name(iri) or self.curie(iri)
        return Link(shown, href, external, note, iri)


def _path(local: str) -> str:
    # '?' and '#' would end the path; other IRI characters may stay as they are
    return quote(local, safe="/:@!$&'()*+,;=-._~%")


def literal_link(literal: ox.Literal, linker: Linker) -> Link:
    """Return a literal as text with its language or datatype as the note."""
    if literal.language:
        note = f"@{literal.language}"
    elif literal.datatype.value != XSD_STRING:
        note = linker.curie(literal.datatype.value)
    else:
        note = ""
    return Link(literal.value, note=note)


def _number(text: str) -> str:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    return f"{value:,}" if value == value.to_integral_value() else f"{value:,f}"


def node_name(node: Node, nodes: dict[str, Node], linker: Linker) -> str:
    """Return a human name: the label, else what and how much (seizures), else kind and date."""
    label = node.label
    date = node.facts.get(str(NG.date))
    if label:
        return f"{label} ({date.value})" if date is not None else label
    quantity, unit, substance = (node.facts.get(str(k)) for k in (NG.quantity, NG.unit, NG.substance))
    if quantity is not None or substance is not None:
        parts = [_number(quantity.value)] if quantity is not None else []
        if isinstance(unit, ox.NamedNode):
            parts.append(_name_of(unit.value, nodes, linker))
        if isinstance(substance, ox.NamedNode):
            parts.append(("of " if parts else "") + _name_of(substance.value, nodes, linker))
        return " ".join(parts)
    if date is not None:
        kind = _name_of(node.types[0], nodes, linker) if node.types else "Resource"
        return f"{kind} of {date.value}"
    return linker.curie(node.iri)


def _name_of(iri: str, nodes: dict[str, Node], linker: Linker) -> str:
    node = nodes.get(iri)
    label = node.label if node is not None else None
    return label or linker.curie(iri).rpartition(":")[2] or iri


@dataclass
class Page:
    """What ``resource.html`` shows."""

    iri: str
    title: str
    types: list[Link]
    facts: list[tuple[Link, list[Link]]]
    external: list[Link]
    related: list[tuple[str, list[Link]]]
    truncated: bool


def term_link(iri: str, linker: Linker, vocabulary: Sequence[ox.Store]) -> Link:
    """Return a link to a class or predicate, named by its label in ``vocabulary``."""
    label = "type" if iri == RDF_TYPE else read_node(vocabulary, iri).label
    href, external = linker.href(iri)
    return Link(label or linker.curie(iri), href, external, title=iri)


def resource_page(description: Description, linker: Linker, vocabulary: Sequence[ox.Store]) -> Page:
    """Return the page of a description; ``vocabulary`` names predicates and classes."""
    terms: dict[str, Link] = {}

    def term(iri: str) -> Link:
        if iri not in terms:
            terms[iri] = term_link(iri, linker, vocabulary)
        return terms[iri]

    nodes = {**description.further, **description.nodes, description.iri: description.me}
    me = description.me
    facts: dict[str, list[Link]] = {}
    external: list[Link] = []
    related: dict[str, list[Link]] = {}
    for p, o in description.outgoing:
        if p.value == RDF_TYPE:
            continue
        if isinstance(o, ox.Literal):
            facts.setdefault(p.value, []).append(literal_link(o, linker))
        elif isinstance(o, ox.NamedNode) and linker.local(o.value) and o.value in nodes:
            _relate(related, nodes[o.value], nodes, linker, term(p.value).text)
        elif isinstance(o, ox.NamedNode) and p.value in MATCHES:
            external.append(linker.link(o.value, note=MATCHES[p.value]))
        elif isinstance(o, ox.NamedNode):
            node = nodes.get(o.value)
            facts.setdefault(p.value, []).append(
                linker.link(o.value, node.label if node is not None else None))
        else:
            facts.setdefault(p.value, []).append(Link(str(o)))
    for s, p in description.incoming:
        via = f"{term(p.value).text} this"
        if isinstance(s, ox.NamedNode):
            _relate(related, nodes.get(s.value) or Node(s.value), nodes, linker, via)
        else:
            related.setdefault(OTHER, []).append(Link(str(s), note=via))
    order = {heading: i for i, (_, heading) in enumerate(GROUPS)}
    return Page(
        iri=description.iri,
        title=node_name(me, nodes, linker),
        types=[term(t) for t in me.types],
        facts=[(term(p), values) for p, values in facts.items()],
        external=external,
        related=sorted(related.items(), key=lambda kv: order.get(kv[0], len(order))),
        truncated=description.truncated,
    )


def _relate(related: dict[str, list[Link]], node: Node, nodes: dict[str, Node], linker: Linker,
            via: str) -> None:
    heading = next((h for cls, h in GROUPS if cls in node.types), OTHER)
    entries = related.setdefault(heading, [])
    for i, entry in enumerate(entries):
        if entry.title == node.iri:  # one entry per resource, however many links
            entries[i] = Link(entry.text, entry.href, entry.external, f"{entry.note}; {via}",
                              entry.title)
            return
    entries.append(linker.link(node.iri, node_name(node, nodes, linker), via))
