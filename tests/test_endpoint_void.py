"""The VoID description at /.well-known/void, through Flask's test client and over real HTTP."""

from __future__ import annotations

import json
import urllib.request

import pytest
from endpoint_fixtures import ID, NG, TOKEN, app_over, running
from flask import Flask
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS

from narcograph.endpoint.errors import QueryTimeout, Unavailable, register_error_handlers
from narcograph.endpoint.void import VOCABULARIES, dataset_iri, void_blueprint
from narcograph.queries import parse_query_file, registry
from narcograph.vocabulary import VOCABULARY_GRAPH, ensure_vocabulary

VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = Namespace("https://schema.org/")
DATASET = URIRef(ID + "dataset")
ENDPOINT = URIRef("http://localhost/sparql")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def app():
    """The endpoint test dataset plus the packaged vocabulary graph, as `narcograph` stores it."""
    with app_over(None) as app:
        ensure_vocabulary(app.extensions["narcograph"].graph_store)
        yield app


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def void(app) -> Graph:
    response = app.test_client().get("/.well-known/void")
    assert response.status_code == 200, response.data
    return Graph().parse(data=response.data, format="turtle")


def select(client, query: str) -> list[dict]:
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 200, response.data
    rows = json.loads(response.data)["results"]["bindings"]
    return [{k: v["value"] for k, v in row.items()} for row in rows]


def subsets(graph: Graph) -> dict[str, int]:
    """Return {graph name: void:triples} of the dataset's subsets."""
    out = {}
    for subset in graph.objects(DATASET, VOID.subset):
        out[str(graph.value(subset, SD.name))] = int(graph.value(subset, VOID.triples))
    return out


# -- content ------------------------------------------------------------------------------------
def test_turtle_by_default_describing_the_dataset(client, void):
    response = client.get("/.well-known/void")
    assert response.mimetype == "text/turtle" and response.headers["Vary"] == "Accept"
    assert (DATASET, RDF.type, VOID.Dataset) in void
    assert (DATASET, RDF.type, DCAT.Dataset) in void
    assert void.value(DATASET, DCTERMS.title) == Literal("narcograph knowledge graph", lang="en")
    assert (DATASET, VOID.sparqlEndpoint, ENDPOINT) in void
    assert (DATASET, VOID.uriSpace, Literal(ID)) in void
    document = URIRef("http://localhost/.well-known/void")
    assert (document, RDF.type, VOID.DatasetDescription) in void
    assert (document, URIRef("http://xmlns.com/foaf/0.1/primaryTopic"), DATASET) in void
    # DCAT: the endpoint as a data service of the dataset
    assert (ENDPOINT, DCAT.servesDataset, DATASET) in void
    assert (ENDPOINT, DCAT.endpointURL, ENDPOINT) in void
    distribution = void.value(DATASET, DCAT.distribution)
    assert (distribution, DCAT.accessService, ENDPOINT) in void


def test_counts_agree_with_the_store(client, void):
    assert int(void.value(DATASET, VOID.triples)) == client.get("/healthz").get_json()["triples"]
    subjects = select(client, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]
    assert int(void.value(DATASET, VOID.distinctSubjects)) == int(subjects)


def test_one_subset_per_named_graph_with_its_triple_count(client, void):
    rows = select(client, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    expected = {r["g"]: int(r["n"]) for r in rows}
    assert set(expected) == {ID + "report-a", ID + "report-b", ID + "vocabulary", VOCABULARY_GRAPH}
    assert subsets(void) == expected
    vocabulary = next(s for s in void.objects(DATASET, VOID.subset)
                      if void.value(s, SD.name) == URIRef(VOCABULARY_GRAPH))
    assert (vocabulary, VOID.dataDump, URIRef("http://localhost/ontology")) in void


def test_vocabularies_and_class_partitions(void):
    used = {str(v) for v in void.objects(DATASET, VOID.vocabulary)}
    assert used == set(VOCABULARIES)
    for namespace in ("https://w3id.org/narcograph/ontology#", "https://schema.org/",
                      "http://www.w3.org/ns/prov#", "http://www.w3.org/2004/02/skos/core#",
                      "http://qudt.org/schema/qudt/", "http://www.w3.org/2003/01/geo/wgs84_pos#",
                      "http://www.opengis.net/ont/geosparql#"):
        assert namespace in used
    partitions = {void.value(p, VOID["class"]): int(void.value(p, VOID.entities))
                  for p in void.objects(DATASET, VOID.classPartition)}
    assert partitions[URIRef(NG + "Operation")] == 2
    assert partitions[URIRef(NG + "Substance")] > 1  # the substance scheme's concepts


def test_example_resources_resolve_here(client, void):
    examples = sorted(str(e) for e in void.objects(DATASET, VOID.exampleResource))
    assert ID + "op-a" in examples or ID + "op-b" in examples
    for iri in examples:
        assert iri.startswith(ID)
        response = client.get("/id/" + iri[len(ID):])
        assert response.status_code == 200, iri


def test_named_queries_are_example_queries(void):
    queries = registry()
    nodes = {str(void.value(n, DCTERMS.identifier)): n for n in void.subjects(RDF.type,
                                                                             SH.SPARQLExecutable)}
    assert set(nodes) == set(queries)
    for name, query in queries.items():
        node = nodes[name]
        assert node == URIRef(f"http://localhost/.well-known/void#query-{name}")
        assert (DATASET, RDFS.seeAlso, node) in void
        assert (node, RDF.type, SH.SPARQLSelectExecutable) in void
        assert void.value(node, RDFS.label) == Literal(query.title, lang="en")
        assert str(void.value(node, RDFS.comment)).startswith(query.description)
        assert str(void.value(node, SH.select)) == query.text
        assert (node, SCHEMA.target, ENDPOINT) in void
    comment = str(void.value(nodes["operations"], RDFS.comment))
    assert "since (date, optional)" in comment


@pytest.mark.parametrize(("accept", "rdflib_format"), [
    ("application/ld+json", "json-ld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "xml"),
    ("*/*", "turtle"),
])
def test_other_rdf_formats_say_the_same(client, void, accept, rdflib_format):
    response = client.get("/.well-known/void", headers={"Accept": accept})
    assert response.status_code == 200
    assert isomorphic(Graph().parse(data=response.data, format=rdflib_format), void)


def test_browsers_get_html_with_local_links(client):
    response = client.get("/.well-known/void", headers={"Accept": BROWSER})
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert 'href="/id/op-' in html  # example resources link to their local pages
    assert "Operations" in html and 'id="query-operations"' in html
    assert "&lt;https://w3id.org/narcograph/ontology#&gt;" in html  # query text, escaped


def test_unmet_accept_is_406(client):
    response = client.get("/.well-known/void", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.get_json()["error"]["detail"]


# -- bounded and cached -------------------------------------------------------------------------
def test_counts_are_computed_once_per_change_of_the_store(tmp_path, monkeypatch):
    with app_over(None, token=TOKEN) as app:
        client = app.test_client()
        state = app.extensions["narcograph"]
        queries: list[str] = []
        original = state.query

        def counting(request, timeout=None):
            queries.append(request.query)
            return original(request, timeout)

        monkeypatch.setattr(state, "query", counting)
        first = Graph().parse(data=client.get("/.well-known/void").data, format="turtle")
        computed = len(queries)
        assert computed >= 3
        client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
        assert len(queries) == computed  # cached

        response = client.put("/store", query_string={"graph": ID + "report-c"},
                              data=f"<{ID}op-c> a <{NG}Operation> .",
                              content_type="text/turtle",
                              headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 201
        after = Graph().parse(data=client.get("/.well-known/void").data, format="turtle")
        assert len(queries) == 2 * computed  # the write made the counts stale
        assert ID + "report-c" not in subsets(first)
        assert subsets(after)[ID + "report-c"] == 1


def test_a_count_stopped_at_its_limit_is_left_out(monkeypatch):
    with app_over(None) as app:
        state = app.extensions["narcograph"]
        original = state.query
        timeouts = []

        def slow_distinct(request, timeout=None):
            if "COUNT(DISTINCT ?s)" in request.query and "?class" not in request.query:
                timeouts.append(timeout)
                raise QueryTimeout("stopped")
            return original(request, timeout)

        monkeypatch.setattr(state, "query", slow_distinct)
        graph = Graph().parse(data=app.test_client().get("/.well-known/void").data,
                              format="turtle")
        assert graph.value(DATASET, VOID.distinctSubjects) is None
        assert graph.value(DATASET, VOID.triples) is not None and subsets(graph)
        assert timeouts and timeouts[0] <= 5.0  # a shorter limit than other queries get
        app.test_client().get("/.well-known/void")
        assert len(timeouts) == 1  # not tried again until the store changes


def test_busy_workers_are_a_503_and_not_cached(monkeypatch):
    with app_over(None) as app:
        client = app.test_client()
        state = app.extensions["narcograph"]
        original = state.query

        def busy(request, timeout=None):
            raise Unavailable("all query workers stayed busy")

        monkeypatch.setattr(state, "query", busy)
        response = client.get("/.well-known/void")
        assert response.status_code == 503
        assert response.get_json()["error"]["status"] == 503
        monkeypatch.setattr(state, "query", original)
        assert client.get("/.well-known/void").status_code == 200


def test_the_blueprint_takes_its_queries_as_a_dependency():
    with app_over(None) as full:
        state = full.extensions["narcograph"]
        app = Flask(__name__)
        text = "# title: Just one\n# description: A <b>tiny</b> query.\nSELECT * WHERE { ?s ?p ?o }\n"
        app.register_blueprint(void_blueprint(state, state.settings,
                                              {"one": parse_query_file("one", text)}))
        register_error_handlers(app)
        client = app.test_client()
        graph = Graph().parse(data=client.get("/.well-known/void").data, format="turtle")
        examples = set(graph.subjects(RDF.type, SH.SPARQLExecutable))
        assert examples == {URIRef("http://localhost/.well-known/void#query-one")}
        html = client.get("/.well-known/void", headers={"Accept": "text/html"}).get_data(as_text=True)
        assert "A &lt;b&gt;tiny&lt;/b&gt; query." in html
        assert dataset_iri(state.settings) == ID + "dataset"


# -- over real HTTP, with query workers ---------------------------------------------------------
def test_void_over_http_through_the_worker_pool(tmp_path):
    with app_over(tmp_path / "store") as app, running(app) as base:
        request = urllib.request.Request(base + "/.well-known/void",
                                         headers={"Accept": "application/ld+json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.headers["Content-Type"] == "application/ld+json"
            graph = Graph().parse(data=response.read(), format="json-ld")
        assert (DATASET, VOID.sparqlEndpoint, URIRef(base + "/sparql")) in graph
        assert subsets(graph) == {ID + "report-a": 13, ID + "report-b": 13, ID + "vocabulary": 5}
        assert int(graph.value(DATASET, VOID.triples)) == 32
