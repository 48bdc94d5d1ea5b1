"""Facts of one report → one RDF graph (the report's named graph), with provenance."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from narcograph.errors import IngestError
from narcograph.ingest import facts
from narcograph.ingest.gazetteer import country_info
from narcograph.ingest.names import person_key
from narcograph.ingest.report import Report
from narcograph.ontology import GEO, GN, NG, PREFIXES, SUBSTANCE, UNIT_IRIS, WD, WGS84

PERSON_ROLES = ("arrested", "charged", "wanted")

# the triples that change on every run; left out of the content hash so that re-ingest is a no-op
VOLATILE = (NG.ingestedAt,)


def slug(text: str) -> str:
    """Return a lowercase ASCII slug of ``text`` ("Syria's Interior Ministry" → "syria-s-interior-ministry")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or hashlib.sha1(text.encode()).hexdigest()[:10]


def safe_iri(url: str) -> URIRef:
    """Return ``url`` as an IRI, percent-encoding characters IRIs do not allow (spaces, quotes...)."""
    return URIRef(quote(url.strip(), safe=":/?#[]@!$&'()*+,;=%~-._"))


class IriMinter:
    """Mints data IRIs under the configured base."""

    def __init__(self, base: str) -> None:
        self.ns = Namespace(base)

    def report(self, report: Report) -> URIRef:
        return self.ns[f"report/{report.key}"]

    def operation(self, report: Report, index: int) -> URIRef:
        return self.ns[f"operation/{report.key}-{index}"]

    def seizure(self, report: Report, op_index: int, index: int) -> URIRef:
        return self.ns[f"seizure/{report.key}-{op_index}-{index}"]

    def network(self, report: Report, op_index: int) -> URIRef:
        return self.ns[f"network/{report.key}-{op_index}"]

    def country(self, iso: str) -> URIRef:
        return self.ns[f"country/{iso.upper()}"]

    def place(self, place: facts.Place) -> URIRef:
        if place.kind == "country" and place.country:
            return self.country(place.country)
        if place.geonames:
            return self.ns[f"place/gn{place.geonames}"]
        return self.ns[f"place/{(place.country or 'xx').lower()}-{slug(place.label)}"]

    def agency(self, agency: facts.Agency) -> URIRef:
        return self.ns[f"agency/{(agency.country or 'int').lower()}-{slug(agency.label)}"]

    def person(self, person: facts.Person, country: str | None) -> URIRef:
        # one IRI for the spellings of one name ("Mohammed al-Hassan", "Muhammad Al Hassan")
        return self.ns[f"person/{(country or 'xx').lower()}-{slug(person_key(person.name))}"]


def new_graph() -> Graph:
    """Return an empty graph with narcograph's prefixes bound."""
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    return graph


def _describe_country(g: Graph, mint: IriMinter, iso: str) -> URIRef:
    node = mint.country(iso)
    info = country_info(iso)
    g.add((node, RDF.type, NG.Country))
    g.add((node, NG.isoCode, Literal(iso.upper())))
    g.add((node, RDFS.label, Literal(info.label if info else iso.upper(), lang="en")))
    if info and info.geonames:
        g.add((node, SKOS.exactMatch, GN[f"{info.geonames}/"]))
    if info and info.wikidata:
        g.add((node, SKOS.exactMatch, WD[info.wikidata]))
    return node


_PLACE_CLASS = {
    "admin1": NG.AdministrativeArea,
    "admin2": NG.AdministrativeArea,
    "city": NG.Settlement,
    "port": NG.Port,
    "crossing": NG.BorderCrossing,
}


def _describe_place(g: Graph, mint: IriMinter, place: facts.Place) -> URIRef:
    if place.kind == "country" and place.country:
        return _describe_country(g, mint, place.country)
    if not place.geonames:
        # a place found by grammar only may be a gazetteer entry under another spelling: then it
        # gets that entry's IRI, ID and coordinates, as in reports that spell it the usual way
        from narcograph.link import resolve_place

        place = resolve_place(place)
    node = mint.place(place)
    g.add((node, RDF.type, _PLACE_CLASS.get(place.kind, NG.Place)))
    g.add((node, RDFS.label, Literal(place.label)))
    if place.mention and place.mention != place.label:
        g.add((node, NG.nameInReport, Literal(place.mention)))
    if place.country:
        g.add((node, NG.inCountry, _describe_country(g, mint, place.country)))
    if place.iso and place.kind in ("admin1", "admin2"):
        g.add((node, NG.isoCode, Literal(place.iso)))
    if place.geonames:
        g.add((node, SKOS.exactMatch, GN[f"{place.geonames}/"]))
    if place.wikidata:
        g.add((node, SKOS.exactMatch, WD[place.wikidata]))
    if place.lat is not None and place.lon is not None:
        g.add((node, WGS84.lat, Literal(place.lat, datatype=XSD.decimal)))
        g.add((node, WGS84.long, Literal(place.lon, datatype=XSD.decimal)))
        geometry = URIRef(f"{node}#geometry")
        g.add((node, GEO.hasGeometry, geometry))
        g.add((geometry, RDF.type, GEO.Geometry))
        g.add((geometry, GEO.asWKT, Literal(f"POINT({place.lon} {place.lat})", datatype=GEO.wktLiteral)))
    return node


def _describe_agency(g: Graph, mint: IriMinter, agency: facts.Agency) -> URIRef:
    node = mint.agency(agency)
    g.add((node, RDF.type, NG.Agency))
    g.add((node, RDFS.label, Literal(agency.label)))
    if agency.mention and agency.mention != agency.label:
        g.add((node, NG.nameInReport, Literal(agency.mention)))
    if agency.acronym:
        g.add((node, SKOS.altLabel, Literal(agency.acronym)))
    if agency.country:
        g.add((node, NG.country, _describe_country(g, mint, agency.country)))
    if agency.wikidata:
        g.add((node, SKOS.exactMatch, WD[agency.wikidata]))
    return node


def _quantity_literal(value: float) -> Literal:
    # xsd:decimal keeps "2.5 million" exact and prints without exponent; round to 9 significant
    # digits so that unit conversions (pounds to kg) do not leave float noise
    text = format(Decimal(f"{value:.9g}"), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Literal(text, datatype=XSD.decimal)


def report_graph(
    report: Report,
    operations: Sequence[facts.Operation],
    *,
    base_iri: str,
    version: str,
    ingested_at: datetime,
) -> tuple[URIRef, Graph]:
    """Return ``(graph IRI, graph)`` describing ``report`` and its operations.

    The graph IRI is the report's IRI. IRIs depend only on the report's source and the order of
    operations, so the same report always gives the same graph (except ``ng:ingestedAt``).
    """
    mint = IriMinter(base_iri)
    g = new_graph()
    rep = mint.report(report)
    g.add((rep, RDF.type, NG.Report))
    g.add((rep, NG.source, safe_iri(report.source_iri)))
    if report.url:
        g.add((rep, NG.url, safe_iri(report.url)))
    g.add((rep, NG.sourceFile, Literal(report.file_iri, datatype=XSD.anyURI)))
    if report.title:
        g.add((rep, DCTERMS.title, Literal(report.title)))
    if report.source:
        g.add((rep, NG.publisher, Literal(report.source)))
    if report.published:
        g.add((rep, NG.published, Literal(report.published, datatype=XSD.date)))
    g.add((rep, NG.software, Literal(f"narcograph {version}")))

    for i, op in enumerate(operations, start=1):
        node = mint.operation(report, i)
        g.add((node, RDF.type, NG.Operation))
        g.add((node, NG.reportedIn, rep))
        if op.date:
            g.add((node, NG.date, Literal(op.date, datatype=XSD.date)))
            if op.date_is_announcement:
                g.add((node, NG.announcedOn, Literal(op.date, datatype=XSD.date)))
        if op.arrests is not None:
            g.add((node, NG.arrestCount, Literal(op.arrests, datatype=XSD.nonNegativeInteger)))
        for place in op.places:
            g.add((node, NG.occurredIn, _describe_place(g, mint, place)))
        for agency in op.agencies:
            g.add((node, NG.conductedBy, _describe_agency(g, mint, agency)))
        for prop, codes in (
            (NG.originCountry, op.origins),
            (NG.transitCountry, op.transits),
            (NG.destinationCountry, op.destinations),
        ):
            for iso in codes:
                g.add((node, prop, _describe_country(g, mint, iso)))
        home = op.countries[0] if op.countries else None
        for person in op.persons:
            if person.role not in PERSON_ROLES:
                raise IngestError(f"unknown person role {person.role!r}", report.origin)
            pnode = mint.person(person, home)
            if (pnode, RDF.type, NG.Person) in g:  # two spellings of one name
                g.add((node, NG[person.role], pnode))
                continue
            g.add((pnode, RDF.type, NG.Person))
            g.add((pnode, RDFS.label, Literal(person.name)))
            g.add((pnode, NG.evidence, Literal(person.evidence)))
            g.add((node, NG[person.role], pnode))
        if op.network:
            net = mint.network(report, i)
            g.add((net, RDF.type, NG.CriminalNetwork))
            g.add((net, RDFS.label, Literal(op.network)))
            g.add((node, NG.targetNetwork, net))
        for j, seizure in enumerate(op.seizures, start=1):
            snode = mint.seizure(report, i, j)
            g.add((snode, RDF.type, NG.Seizure))
            g.add((node, NG.seized, snode))
            g.add((snode, NG.substance, SUBSTANCE[seizure.substance]))
            if seizure.quantity is not None:
                g.add((snode, NG.quantity, _quantity_literal(seizure.quantity)))
            if seizure.unit:
                if seizure.unit not in UNIT_IRIS:
                    raise IngestError(f"unknown unit {seizure.unit!r}", report.origin)
                g.add((snode, NG.unit, UNIT_IRIS[seizure.unit]))
            g.add((snode, NG.evidence, Literal(seizure.evidence)))
        for sentence in op.evidence:
            g.add((node, NG.evidence, Literal(sentence)))

    g.add((rep, NG.contentHash, Literal(content_hash(g))))
    g.add((rep, NG.ingestedAt, Literal(ingested_at.replace(microsecond=0), datatype=XSD.dateTime)))
    return rep, g


def content_hash(graph: Graph) -> str:
    """Return a hash of the graph's triples, ignoring the volatile ones (ingest time, the hash)."""
    lines = sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in graph if p not in VOLATILE and p != NG.contentHash)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
