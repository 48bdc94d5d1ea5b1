"""The SPARQL 1.1 Service Description of ``/sparql`` (Turtle, other RDF, or HTML for browsers)."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Response, render_template, request

from narcograph import __version__
from narcograph.config import Settings
from narcograph.endpoint.errors import NotAcceptable
from narcograph.endpoint.formats import GRAPH_FORMATS, Format, choose, describe
from narcograph.endpoint.state import EndpointStore

HTML = Format("html", "text/html", ("application/xhtml+xml",), ("html",))
_FORMAT_IRIS = (
    "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
    "Turtle", "N-Triples", "RDF_XML", "JSON-LD", "TriG", "N-Quads",
)
_MAX_LISTED_GRAPHS = 200


def service_description(store: EndpointStore, settings: Settings) -> Response:
    """Return the description of the endpoint at the request URL, negotiated by Accept."""
    formats = (GRAPH_FORMATS[0], HTML, *GRAPH_FORMATS[1:])
    fmt = choose(formats, request.headers.get("Accept"), request.args.get("format"))
    if fmt is None:
        raise NotAcceptable(f"the service description is available as {describe(formats)}")
    endpoint = request.base_url
    triples, graphs = store.stats()
    if fmt is HTML:
        html = render_template(
            "query.html", endpoint=endpoint, triples=triples, graphs=graphs,
            version=__version__, writable=bool(settings.token),
        )
        response = Response(html, content_type="text/html; charset=utf-8")
    else:
        turtle = _turtle(store, settings, endpoint, triples, graphs)
        if fmt.name == "turtle":
            body = turtle.encode("utf-8")
        else:
            body = ox.serialize(ox.parse(turtle, format=ox.RdfFormat.TURTLE), format=fmt.rdf_format)
        response = Response(body, content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    return response


def _turtle(store: EndpointStore, settings: Settings, endpoint: str, triples: int,
            graphs: int) -> str:
    languages = "sd:SPARQL11Query" + (", sd:SPARQL11Update" if settings.token else "")
    formats = ", ".join(f"<http://www.w3.org/ns/formats/{f}>" for f in _FORMAT_IRIS)
    named = ""
    if graphs <= _MAX_LISTED_GRAPHS:
        named = "".join(
            f' ;\n        sd:namedGraph [ a sd:NamedGraph ; sd:name <{iri}> ]'
            for iri in store.graph_store.graphs()
        )
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    dcterms:title "narcograph SPARQL endpoint {__version__}" ;
    sd:supportedLanguage {languages} ;
    sd:feature sd:UnionDefaultGraph, sd:BasicFederatedQuery ;
    sd:resultFormat {formats} ;
    sd:defaultDataset [
        a sd:Dataset ;
        sd:defaultGraph [ a sd:Graph ; void:triples {triples} ]{named}
    ] .
"""
