"""The narcograph OWL ontology and SKOS vocabularies, with namespace constants."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, Namespace

from narcograph.resources import read_text

NG = Namespace("https://w3id.org/narcograph/ontology#")
SUBSTANCE = Namespace("https://w3id.org/narcograph/substance/")
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
ORG = Namespace("http://www.w3.org/ns/org#")
QUDT = Namespace("http://qudt.org/schema/qudt/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
WGS84 = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
WD = Namespace("http://www.wikidata.org/entity/")
GN = Namespace("https://sws.geonames.org/")
OBO = Namespace("http://purl.obolibrary.org/obo/")
MESH = Namespace("http://id.nlm.nih.gov/mesh/")

ONTOLOGY_FILES = ("narcograph.ttl", "substances.ttl")

# unit codes of the `seizures` query -> unit individuals of the ontology
UNIT_IRIS = {
    "kg": NG.kilogram,
    "l": NG.litre,
    "pill": NG.pill,
    "plant": NG.plant,
    "unit": NG.item,
}

PREFIXES = {
    "ng": str(NG),
    "substance": str(SUBSTANCE),
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "sem": str(SEM),
    "org": str(ORG),
    "qudt": str(QUDT),
    "unit": str(UNIT),
    "wgs84": str(WGS84),
    "geo": str(GEO),
    "wd": str(WD),
    "gn": str(GN),
    "obo": str(OBO),
    "mesh": str(MESH),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """Return the ontology and the substance scheme as one rdflib Graph (parsed once)."""
    graph = Graph()
    for name in ONTOLOGY_FILES:
        graph.parse(data=read_text("ontology", name), format="turtle")
    return graph
