"""``/.well-known/void``: a VoID (and DCAT) description of the dataset the endpoint serves.

The dataset is ``<base_iri>dataset`` (``/id/dataset`` redirects here). It names the SPARQL
endpoint, counts triples, lists one ``void:subset`` per named graph with its triple count, the
classes with their instance counts, the vocabularies used, a few ``void:exampleResource``\\ s and
the named queries.

Counts cost full scans, so they are computed through the query executor (each under the time
limit, in a killable worker) once per change of the store and cached; a count stopped at its
limit is left out rather than tried again on every request.

Example queries: VoID has no term for them. They are described with the convention of the SIB
SPARQL examples (used by UniProt, Bgee and the sparql-editor UIs that read them from endpoints):
``sh:SPARQLSelectExecutable`` with the query text in ``sh:select``, ``rdfs:comment`` and
``schema:target`` the endpoint. ``rdfs:label`` carries the title and ``rdfs:seeAlso`` links the
dataset to each, so that a generic RDF or VoID browser, which knows no SHACL, still shows every
query with its title and description.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request

from narcograph import __version__
from narcograph.config import Settings
from narcograph.endpoint.describe import packaged_vocabulary
from narcograph.endpoint.description import HTML
from narcograph.endpoint.errors import EndpointError, NotAcceptable, Unavailable
from narcograph.endpoint.evaluate import QueryRequest
from narcograph.endpoint.formats import GRAPH_FORMATS, choose, describe
from narcograph.endpoint.pages import Linker, term_link
from narcograph.endpoint.scan import scan
from narcograph.endpoint.serialize import graph_bytes, used_prefixes
from narcograph.endpoint.state import EndpointStore
from narcograph.ontology import GEO, NG, PREFIXES, PROV, QUDT, SCHEMA, WGS84
from narcograph.queries import NamedQuery, registry
from narcograph.vocabulary import VOCABULARY_GRAPH

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCTERMS = "http://purl.org/dc/terms/"
SD = "http://www.w3.org/ns/sparql-service-description#"
SH = "http://www.w3.org/ns/shacl#"
FOAF = "http://xmlns.com/foaf/0.1/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
FORMATS_NS = "http://www.w3.org/ns/formats/"

RDF_FORMATS = tuple(f for f in GRAPH_FORMATS if f.name in ("turtle", "jsonld", "nt", "rdfxml"))
VOID_FORMATS = (RDF_FORMATS[0], HTML, *RDF_FORMATS[1:])  # Turtle first: the default for */*
_LABELS = {"turtle": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples", "rdfxml": "RDF/XML"}
ALTERNATES = tuple((f.name, _LABELS[f.name], f.media_type) for f in RDF_FORMATS)
VOCABULARIES = (str(NG), str(SCHEMA), str(PROV), SKOS, str(QUDT), str(WGS84), str(GEO), DCTERMS)
EXAMPLE_CLASSES = ("Report", "Operation", "Seizure", "Agency", "Person", "Country")
MAX_SUBSETS = 1000
MAX_CLASSES = 100
DISTINCT_SUBJECTS_TIMEOUT = 5.0  # "if cheap": a larger store goes without the count
TITLE = "narcograph knowledge graph"
DESCRIPTION = (
    "Counter-narcotics operations, seizures, agencies, places and persons extracted from "
    "open-source reports, one named graph per report, with the narcograph ontology and "
    "substance scheme."
)
_PREFIXES = {**PREFIXES, "void": VOID, "dcat": DCAT, "sd": SD, "sh": SH, "foaf": FOAF}


def dataset_iri(settings: Settings) -> str:
    """Return the IRI of the dataset the endpoint serves (``<base_iri>dataset``)."""
    return settings.base_iri + "dataset"


@dataclass(frozen=True)
class VoidStats:
    """The counts of a VoID description; a part is None when its query was stopped."""

    triples: int
    graphs: tuple[tuple[str, int], ...] | None  # (graph IRI, triples), the vocabulary first
    more_graphs: bool
    classes: tuple[tuple[str, int], ...] | None  # (class IRI, distinct instances)
    distinct_subjects: int | None
    examples: tuple[str, ...]


Select = Callable[[str, float | None], list[dict[str, str]] | None]


def _select_via(store: EndpointStore, settings: Settings) -> Select:
    """Return a function running a SELECT through the executor, None when it was stopped."""

    def select(query: str, timeout: float | None = None) -> list[dict[str, str]] | None:
        req = QueryRequest(query=query, results_format="json", limit=settings.result_limit)
        if timeout is not None:
            timeout = min(timeout, settings.query_timeout)
        try:
            answer = store.query(req, timeout)
        except Unavailable:  # busy or crashed workers: transient, so the caller sees a 503
            raise
        except EndpointError as exc:
            if exc.status in (422, 503):  # past the result or time limit: leave the part out
                return None
            raise
        rows = json.loads(answer.body)["results"]["bindings"]
        return [{k: v["value"] for k, v in row.items()} for row in rows]

    return select


def collect_stats(select: Select, triples: int, base_iri: str) -> VoidStats:
    """Return the VoID counts, each from one bounded query run by ``select``."""
    vocab = str(ox.NamedNode(VOCABULARY_GRAPH))
    rows = select(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g "
        f"ORDER BY (?g != {vocab}) STR(?g) LIMIT {MAX_SUBSETS + 1}", None)
    graphs = None if rows is None else tuple((r["g"], int(r["n"])) for r in rows)
    rows = select(
        "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class FILTER(isIRI(?class)) } "
        f"GROUP BY ?class ORDER BY DESC(?n) STR(?class) LIMIT {MAX_CLASSES}", None)
    classes = None if rows is None else tuple((r["class"], int(r["n"])) for r in rows)
    rows = select("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }",
                  DISTINCT_SUBJECTS_TIMEOUT)
    subjects = int(rows[0]["n"]) if rows else None
    base = str(ox.Literal(base_iri))
    parts = " UNION ".join(
        f"{{ SELECT ?s WHERE {{ ?s a {ox.NamedNode(str(NG) + name)} "
        f"FILTER(STRSTARTS(STR(?s), {base})) }} LIMIT 1 }}"
        for name in EXAMPLE_CLASSES
    )
    rows = select(f"SELECT ?s WHERE {{ {parts} }}", None) or []
    examples = tuple(dict.fromkeys(r["s"] for r in rows if "s" in r))
    more = graphs is not None and len(graphs) > MAX_SUBSETS
    return VoidStats(
        triples=triples,
        graphs=graphs[:MAX_SUBSETS] if graphs is not None else None,
        more_graphs=more,
        classes=classes,
        distinct_subjects=subjects,
        examples=examples,
    )


def void_triples(stats: VoidStats, settings: Settings, root: str, document: str,
                 queries: dict[str, NamedQuery]) -> list[ox.Triple]:
    """Return the description as triples; ``root`` is the server's URL (ending in ``/``) and
    ``document`` the URL of the description itself."""
    out: list[ox.Triple] = []

    def add(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal
            | str | int) -> None:
        if isinstance(o, int):
            o = ox.Literal(str(o), datatype=ox.NamedNode(XSD + "integer"))
        elif isinstance(o, str):
            o = ox.Literal(o)
        out.append(ox.Triple(s, ox.NamedNode(p), o))

    def en(text: str) -> ox.Literal:
        return ox.Literal(text, language="en")

    dataset = ox.NamedNode(dataset_iri(settings))
    sparql = ox.NamedNode(root + "sparql")
    doc = ox.NamedNode(document)
    add(doc, RDF + "type", ox.NamedNode(VOID + "DatasetDescription"))
    add(doc, DCTERMS + "title", en(f"VoID description of the {TITLE}"))
    add(doc, FOAF + "primaryTopic", dataset)

    for cls in (VOID + "Dataset", DCAT + "Dataset"):
        add(dataset, RDF + "type", ox.NamedNode(cls))
    add(dataset, DCTERMS + "title", en(TITLE))
    add(dataset, DCTERMS + "description", en(DESCRIPTION))
    add(dataset, DCTERMS + "conformsTo", ox.NamedNode(VOCABULARY_GRAPH))
    add(dataset, DCTERMS + "creator", f"narcograph {__version__}")
    add(dataset, VOID + "sparqlEndpoint", sparql)
    add(dataset, VOID + "uriSpace", settings.base_iri)
    add(dataset, VOID + "triples", stats.triples)
    if stats.distinct_subjects is not None:
        add(dataset, VOID + "distinctSubjects", stats.distinct_subjects)
    for vocabulary in VOCABULARIES:
        add(dataset, VOID + "vocabulary", ox.NamedNode(vocabulary))
    for name in ("Turtle", "JSON-LD", "N-Triples", "RDF_XML"):
        add(dataset, VOID + "feature", ox.NamedNode(FORMATS_NS + name))
    for iri in stats.examples:
        add(dataset, VOID + "exampleResource", ox.NamedNode(iri))

    distribution = ox.BlankNode()
    add(dataset, DCAT + "distribution", distribution)
    add(distribution, RDF + "type", ox.NamedNode(DCAT + "Distribution"))
    add(distribution, DCTERMS + "title", en("SPARQL endpoint"))
    add(distribution, DCAT + "accessURL", sparql)
    add(distribution, DCAT + "accessService", sparql)
    for cls in (SD + "Service", DCAT + "DataService"):
        add(sparql, RDF + "type", ox.NamedNode(cls))
    add(sparql, SD + "endpoint", sparql)
    add(sparql, DCAT + "endpointURL", sparql)
    add(sparql, DCAT + "endpointDescription", sparql)  # GET /sparql: the service description
    add(sparql, DCAT + "servesDataset", dataset)
    add(sparql, DCTERMS + "conformsTo", ox.NamedNode("https://www.w3.org/TR/sparql11-protocol/"))

    for graph, count in stats.graphs or ():
        subset = ox.BlankNode()
        add(dataset, VOID + "subset", subset)
        add(subset, RDF + "type", ox.NamedNode(VOID + "Dataset"))
        add(subset, SD + "name", ox.NamedNode(graph))
        add(subset, VOID + "triples", count)
        if graph == VOCABULARY_GRAPH:
            add(subset, DCTERMS + "title", en("narcograph ontology, substance scheme and units"))
            add(subset, VOID + "dataDump", ox.NamedNode(root + "ontology"))
    if stats.more_graphs:
        add(dataset, RDFS + "comment", en(
            f"Only the first {MAX_SUBSETS} named graphs are listed as subsets; "
            "SELECT DISTINCT ?g WHERE { GRAPH ?g {} } at the SPARQL endpoint lists them all."))
    if stats.classes is not None:
        if len(stats.classes) < MAX_CLASSES:
            add(dataset, VOID + "classes", len(stats.classes))
        for cls, count in stats.classes:
            partition = ox.BlankNode()
            add(dataset, VOID + "classPartition", partition)
            add(partition, VOID + "class", ox.NamedNode(cls))
            add(partition, VOID + "entities", count)

    for query in queries.values():
        node = ox.NamedNode(f"{document}#query-{query.name}")
        add(dataset, RDFS + "seeAlso", node)
        add(node, RDF + "type", ox.NamedNode(SH + "SPARQLExecutable"))
        if scan(query.text).form == "SELECT":
            add(node, RDF + "type", ox.NamedNode(SH + "SPARQLSelectExecutable"))
            add(node, SH + "select", query.text)
        add(node, RDFS + "label", en(query.title))
        add(node, RDFS + "comment", en(_comment(query)))
        add(node, DCTERMS + "identifier", query.name)
        add(node, SCHEMA + "target", sparql)
    first: dict[object, int] = {}  # each subject's triples together, so that Turtle writes one block per subject
    for triple in out:
        first.setdefault(triple.subject, len(first))
    return sorted(out, key=lambda t: first[t.subject])


def _comment(query: NamedQuery) -> str:
    """Return the description with the parameters, which bind ``?param_NAME`` variables."""
    if not query.parameters:
        return query.description
    params = "; ".join(
        f"{p.name} ({p.type}{', default ' + p.default if p.default else ''}"
        f"{'' if p.required or p.default else ', optional'}) {p.description}".rstrip()
        for p in query.parameters
    )
    return f"{query.description} Parameters, bound to ?param_NAME: {params.rstrip('.')}."


def void_blueprint(store: EndpointStore, settings: Settings,
                   queries: dict[str, NamedQuery] | None = None) -> Blueprint:
    """Return the blueprint of ``GET /.well-known/void``; ``queries`` default to the registry."""
    bp = Blueprint("void", __name__, template_folder="templates")
    select = _select_via(store, settings)

    @bp.get("/.well-known/void")
    def void() -> Response:
        fmt = choose(VOID_FORMATS, request.headers.get("Accept"), request.args.get("format"))
        if fmt is None:
            raise NotAcceptable(f"the VoID description is available as {describe(VOID_FORMATS)}")
        named = registry() if queries is None else queries
        count, _ = store.stats()
        stats = store.cached("void", lambda: collect_stats(select, count, settings.base_iri))
        root, document = request.url_root, request.base_url
        if fmt is HTML:
            response = Response(_html(stats, settings, named), content_type="text/html; charset=utf-8")
        else:
            triples = void_triples(stats, settings, root, document, named)
            body = graph_bytes(triples, fmt, used_prefixes(triples, _PREFIXES))
            response = Response(body, content_type=fmt.content_type)
        response.headers["Vary"] = "Accept"
        return response

    return bp


def _html(stats: VoidStats, settings: Settings, queries: dict[str, NamedQuery]) -> str:
    linker = Linker(settings.base_iri, request.script_root + "/id/", request.url_root)
    vocab = [packaged_vocabulary()]
    return render_template(
        "void.html", stats=stats, title=TITLE, description=DESCRIPTION,
        dataset=dataset_iri(settings), base_iri=settings.base_iri, root=request.url_root,
        vocabularies=[linker.link(v) for v in VOCABULARIES],
        examples=[linker.link(e) for e in stats.examples],
        graphs=None if stats.graphs is None else [(linker.link(g), n) for g, n in stats.graphs],
        classes=[(term_link(c, linker, vocab), n) for c, n in stats.classes or ()],
        queries=list(queries.values()), alternates=ALTERNATES, version=__version__,
    )
