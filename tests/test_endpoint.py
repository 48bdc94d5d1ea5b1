"""The SPARQL 1.1 protocol at /sparql, one test per facet, through Flask's test client.

The module's app runs queries in real worker processes over a store snapshot, as in production.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from endpoint_fixtures import ID, NG, TOKEN, app_over
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

SELECT_OPS = (
    f"PREFIX ng: <{NG}> SELECT ?op ?arrests "
    "WHERE { ?op a ng:Operation ; ng:arrestCount ?arrests } ORDER BY ?op"
)
CONSTRUCT_A = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ID}report-a> {{ ?s ?p ?o }} }}"
SRJ = "application/sparql-results+json"
SRX = "application/sparql-results+xml"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with app_over(tmp_path_factory.mktemp("endpoint") / "store") as app:
        yield app


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def writable(tmp_path):
    """A fresh app with a write token, for tests that change the store."""
    with app_over(tmp_path / "store", token=TOKEN) as app:
        yield app.test_client()


def report_a() -> Graph:
    dataset = Dataset()
    dataset.parse("tests/data/endpoint/dataset.trig", format="trig")
    graph = Graph()
    for triple in dataset.graph(URIRef(ID + "report-a")):
        graph.add(triple)
    return graph


def bindings(response) -> list[dict]:
    assert response.status_code == 200, response.data
    return json.loads(response.data)["results"]["bindings"]


def ask(client, query: str) -> bool:
    return json.loads(client.get("/sparql", query_string={"query": query}).data)["boolean"]


def assert_error(response, status: int) -> dict:
    """Every error has the one JSON shape, and never a stack trace."""
    assert response.status_code == status, response.data
    assert response.mimetype == "application/json"
    body = json.loads(response.data)
    assert set(body) == {"error"}
    assert {"status", "title", "detail"} <= set(body["error"])
    assert body["error"]["status"] == status
    assert "Traceback" not in response.get_data(as_text=True)
    return body["error"]


# -- query by GET, POST form, POST body ---------------------------------------------------------
def test_get_query_answers_json_by_default(client):
    rows = bindings(client.get("/sparql", query_string={"query": SELECT_OPS}))
    assert [(r["op"]["value"], r["arrests"]["value"]) for r in rows] == [
        (ID + "op-a", "5"),
        (ID + "op-b", "3"),
    ]
    assert rows[0]["arrests"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"


def test_post_form_query(client):
    response = client.post("/sparql", data={"query": SELECT_OPS})
    assert len(bindings(response)) == 2


def test_post_sparql_query_body(client):
    response = client.post("/sparql", data=SELECT_OPS, content_type="application/sparql-query")
    assert len(bindings(response)) == 2


def test_post_sparql_query_with_charset(client):
    query = 'SELECT ?s WHERE { ?s ?p "كبتاغون"@ar }'
    response = client.post(
        "/sparql", data=query.encode("utf-8"),
        content_type="application/sparql-query; charset=UTF-8",
    )
    assert [r["s"]["value"] for r in bindings(response)] == [ID + "captagon"]


def test_post_sparql_query_in_latin1(client):
    query = 'SELECT ?x WHERE { BIND("café" AS ?x) }'
    response = client.post(
        "/sparql", data=query.encode("latin-1"),
        content_type="application/sparql-query; charset=ISO-8859-1",
    )
    assert bindings(response)[0]["x"]["value"] == "café"


def test_relative_iris_resolve_against_the_base(client):
    query = "SELECT ?n WHERE { <op-a> <https://w3id.org/narcograph/ontology#arrestCount> ?n }"
    assert bindings(client.get("/sparql", query_string={"query": query}))[0]["n"]["value"] == "5"


# -- the dataset --------------------------------------------------------------------------------
def test_default_graph_is_the_union_of_all_graphs(client):
    rows = bindings(client.get("/sparql", query_string={
        "query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}))
    assert rows[0]["n"]["value"] == "32"


def test_default_graph_uri_selects_the_default_graph(client):
    response = client.get("/sparql", query_string={
        "query": f"SELECT DISTINCT ?op WHERE {{ ?op a <{NG}Operation> }}",
        "default-graph-uri": ID + "report-b",
    })
    assert [r["op"]["value"] for r in bindings(response)] == [ID + "op-b"]


def test_named_graph_uri_limits_graph_patterns(client):
    response = client.post("/sparql", data={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        "named-graph-uri": [ID + "report-a", ID + "vocabulary"],
    })
    assert sorted(r["g"]["value"] for r in bindings(response)) == [
        ID + "report-a", ID + "vocabulary"]


def test_from_clause_names_a_local_graph(client):
    query = f"SELECT (COUNT(*) AS ?n) FROM <{ID}vocabulary> WHERE {{ ?s ?p ?o }}"
    assert bindings(client.get("/sparql", query_string={"query": query}))[0]["n"]["value"] == "5"


@pytest.mark.parametrize("params", [
    {"query": "SELECT * FROM <http://evil.example/data.ttl> WHERE { ?s ?p ?o }"},
    {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": "http://evil.example/g"},
    {"query": "SELECT * WHERE { ?s ?p ?o }", "named-graph-uri": "not an iri"},
])
def test_remote_or_invalid_dataset_is_rejected(client, params):
    assert_error(client.get("/sparql", query_string=params), 400)


# -- formats and negotiation --------------------------------------------------------------------
def test_select_as_xml(client):
    response = client.get("/sparql", query_string={"query": SELECT_OPS}, headers={"Accept": SRX})
    assert response.mimetype == SRX
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(response.data)
    values = [b.find("r:uri", ns).text for b in root.iterfind(".//r:binding[@name='op']", ns)]
    assert values == [ID + "op-a", ID + "op-b"]


def test_select_as_csv(client):
    response = client.get("/sparql", query_string={"query": SELECT_OPS},
                          headers={"Accept": "text/csv"})
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows == [["op", "arrests"], [ID + "op-a", "5"], [ID + "op-b", "3"]]


def test_select_as_tsv(client):
    response = client.get("/sparql", query_string={"query": SELECT_OPS},
                          headers={"Accept": "text/tab-separated-values"})
    assert response.mimetype == "text/tab-separated-values"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "?op\t?arrests"
    assert lines[1].split("\t")[0] == f"<{ID}op-a>"


def test_tsv_escapes_quotes_and_tabs_in_literals(client):
    query = 'SELECT ?x WHERE { BIND("a\\tb \\"c\\"" AS ?x) }'
    response = client.get("/sparql", query_string={"query": query, "format": "tsv"})
    assert response.get_data(as_text=True).splitlines()[1] == '"a\\tb \\"c\\""'


def test_accept_q_values_choose_the_best(client):
    accept = f"{SRJ};q=0.4, text/csv;q=0.9, {SRX};q=0.5"
    response = client.get("/sparql", query_string={"query": SELECT_OPS},
                          headers={"Accept": accept})
    assert response.mimetype == "text/csv"
    assert response.headers["Vary"] == "Accept"


def test_accept_with_charset_parameter(client):
    response = client.get("/sparql", query_string={"query": SELECT_OPS},
                          headers={"Accept": f"{SRX}; charset=utf-8"})
    assert response.mimetype == SRX


def test_accept_wildcard_gives_the_default(client):
    response = client.get("/sparql", query_string={"query": SELECT_OPS},
                          headers={"Accept": "*/*"})
    assert response.mimetype == SRJ


@pytest.mark.parametrize(("param", "value", "mimetype"), [
    ("format", "csv", "text/csv"),
    ("output", "xml", SRX),
    ("results", "tsv", "text/tab-separated-values"),
    ("format", SRX, SRX),
])
def test_format_parameters_choose_the_format(client, param, value, mimetype):
    response = client.get("/sparql", query_string={"query": SELECT_OPS, param: value},
                          headers={"Accept": SRJ})
    assert response.status_code == 200
    assert response.mimetype == mimetype


@pytest.mark.parametrize(("accept", "expected"), [
    (SRJ, b'{"head": {}, "boolean": true}'),
    ("text/csv", b"true"),
    ("text/tab-separated-values", b"true"),
])
def test_ask(client, accept, expected):
    query = f"ASK {{ <{ID}op-a> ?p ?o }}"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.data.replace(b" ", b"") == expected.replace(b" ", b"")


def test_ask_as_xml(client):
    response = client.get("/sparql", query_string={"query": "ASK { ?s ?p 42 }"},
                          headers={"Accept": SRX})
    root = ET.fromstring(response.data)
    assert root.find("{http://www.w3.org/2005/sparql-results#}boolean").text == "false"


@pytest.mark.parametrize(("accept", "rdflib_format"), [
    (None, "turtle"),
    ("text/turtle", "turtle"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "xml"),
    ("application/ld+json", "json-ld"),
])
def test_construct_in_each_rdf_format(client, accept, rdflib_format):
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", query_string={"query": CONSTRUCT_A}, headers=headers)
    assert response.status_code == 200, response.data
    graph = Graph().parse(data=response.data, format=rdflib_format)
    assert isomorphic(graph, report_a())


@pytest.mark.parametrize(("accept", "rdflib_format"), [
    ("application/trig", "trig"),
    ("application/n-quads", "nquads"),
])
def test_construct_as_dataset_formats(client, accept, rdflib_format):
    response = client.get("/sparql", query_string={"query": CONSTRUCT_A},
                          headers={"Accept": accept})
    assert response.mimetype == accept
    dataset = Dataset()
    dataset.parse(data=response.data, format=rdflib_format)
    assert isomorphic(Graph().parse(data=dataset.serialize(format="nt"), format="nt"), report_a())


def test_describe_answers_turtle(client):
    response = client.get("/sparql", query_string={"query": f"DESCRIBE <{ID}op-a>"})
    assert response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.data, format="turtle")
    assert (URIRef(ID + "op-a"), URIRef(NG + "arrestCount"), Literal(5)) in graph


# -- errors -------------------------------------------------------------------------------------
def test_malformed_query_is_400_with_the_parser_message(client):
    error = assert_error(client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p }"}),
                         400)
    assert "1:" in error["detail"]  # line:column from the parser


@pytest.mark.parametrize(("query", "accept"), [
    (SELECT_OPS, "text/turtle"),
    (CONSTRUCT_A, "text/csv"),
    ("ASK {}", "image/png"),
    (SELECT_OPS, f"{SRJ};q=0, {SRX};q=0, text/csv;q=0, text/tab-separated-values;q=0"),
])
def test_unmet_accept_is_406_saying_what_can(client, query, accept):
    error = assert_error(client.get("/sparql", query_string={"query": query},
                                    headers={"Accept": accept}), 406)
    assert "available as" in error["detail"]


def test_unknown_format_parameter_is_406(client):
    assert_error(client.get("/sparql", query_string={"query": SELECT_OPS, "format": "pdf"}), 406)


@pytest.mark.parametrize("content_type", ["text/plain", "application/json", None])
def test_unknown_content_type_is_415(client, content_type):
    kwargs = {"content_type": content_type} if content_type else {}
    assert_error(client.post("/sparql", data=SELECT_OPS, **kwargs), 415)


@pytest.mark.parametrize(("method", "kwargs"), [
    ("get", {"query_string": [("query", "ASK {}"), ("query", "ASK {}")]}),
    ("get", {"query_string": {"query": "  "}}),
    ("get", {"query_string": {"update": "CLEAR ALL"}}),
    ("post", {"data": {"query": "ASK {}", "update": "CLEAR ALL"}}),
    ("post", {"data": {"nothing": "here"}}),
    ("post", {"data": b"\xff\xfe", "content_type": "application/sparql-query"}),
])
def test_bad_requests_are_400(client, method, kwargs):
    assert_error(getattr(client, method)("/sparql", **kwargs), 400)


def test_unknown_route_and_method_use_the_error_shape(client):
    assert_error(client.get("/nowhere"), 404)
    response = client.delete("/sparql")
    assert_error(response, 405)
    assert "GET" in response.headers["Allow"]


def test_body_over_the_limit_is_413(tmp_path):
    with app_over(None, max_body_bytes=1000) as app:
        client = app.test_client()
        big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 2000
        assert_error(client.post("/sparql", data=big, content_type="application/sparql-query"),
                     413)
        assert_error(client.post("/sparql", data={"query": big}), 413)


def test_result_limit_is_an_error_not_a_truncated_body(tmp_path):
    with app_over(tmp_path / "store", result_limit=3) as app:
        client = app.test_client()
        query = "SELECT * WHERE { ?s ?p ?o }"
        error = assert_error(client.get("/sparql", query_string={"query": query}), 422)
        assert "more than 3 results" in error["detail"]
        assert len(bindings(client.get("/sparql", query_string={"query": query + " LIMIT 3"}))) == 3
        construct = "CONSTRUCT WHERE { ?s ?p ?o }"
        assert_error(client.get("/sparql", query_string={"query": construct}), 422)


def test_unexpected_failure_is_500_without_internals(tmp_path, monkeypatch):
    with app_over(None) as app:
        state = app.extensions["narcograph"]

        def broken(request):
            raise RuntimeError("secret internal detail /etc/narcograph")

        monkeypatch.setattr(state, "query", broken)
        response = app.test_client().get("/sparql", query_string={"query": "ASK {}"})
        error = assert_error(response, 500)
        assert "secret" not in response.get_data(as_text=True)
        assert response.headers["X-Request-Id"] in error["detail"]


# -- federation and fetching --------------------------------------------------------------------
@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://169.254.169.254/latest/> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "PREFIX x: <http://internal.example/> SELECT * WHERE { SERVICE x:sparql { ?s ?p ?o } }",
    "SELECT * WHERE { BIND(<http://evil/> AS ?e) SERVICE ?e { ?s ?p ?o } }",
])
def test_service_outside_the_allowlist_is_400(client, query):
    error = assert_error(client.get("/sparql", query_string={"query": query}), 400)
    assert "allow-listed" in error["detail"]


def test_service_keyword_inside_strings_and_comments_is_harmless(client):
    query = ('SELECT ?x WHERE { BIND("SERVICE <http://evil/> { }" AS ?x) }'
             " # SERVICE <http://evil/>\n")
    assert len(bindings(client.get("/sparql", query_string={"query": query}))) == 1


def test_load_is_rejected_before_evaluation(writable):
    response = writable.post("/sparql", data={"update": "LOAD <http://127.0.0.1:1/x.ttl>"},
                             headers={"Authorization": f"Bearer {TOKEN}"})
    assert "LOAD is disabled" in assert_error(response, 400)["detail"]


# -- updates and the token ----------------------------------------------------------------------
INSERT = f'INSERT DATA {{ GRAPH <{ID}report-c> {{ <{ID}op-c> a <{NG}Operation> }} }}'
ASK_C = f"ASK {{ <{ID}op-c> a <{NG}Operation> }}"


def test_updates_are_403_when_no_token_is_configured(client):
    error = assert_error(client.post("/sparql", data={"update": INSERT},
                                     headers={"Authorization": "Bearer anything"}), 403)
    assert "writes are disabled" in error["detail"]


def test_update_without_a_token_is_401(writable):
    response = writable.post("/sparql", data=INSERT, content_type="application/sparql-update")
    assert_error(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_update_with_a_wrong_token_is_403(writable):
    response = writable.post("/sparql", data={"update": INSERT},
                             headers={"Authorization": "Bearer nope"})
    assert_error(response, 403)


@pytest.mark.parametrize("as_form", [True, False])
def test_update_with_the_token_is_seen_by_later_queries(writable, as_form):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert ask(writable, ASK_C) is False
    if as_form:
        response = writable.post("/sparql", data={"update": INSERT}, headers=auth)
    else:
        response = writable.post("/sparql", data=INSERT, headers=auth,
                                 content_type="application/sparql-update; charset=utf-8")
    assert response.status_code == 204, response.data
    assert ask(writable, ASK_C) is True


def test_malformed_update_is_400(writable):
    response = writable.post("/sparql", data={"update": "INSERT DATA { <a> }"},
                             headers={"Authorization": f"Bearer {TOKEN}"})
    assert_error(response, 400)


def _count(client, where: str) -> int:
    response = client.get("/sparql", query_string={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"})
    return int(response.get_json()["results"]["bindings"][0]["n"]["value"])


def test_using_graph_uri_sets_the_dataset_of_the_where_clause(writable):
    copy = f"{ID}copy"
    response = writable.post("/sparql?using-graph-uri=" + ID + "report-a",
                             data=f"INSERT {{ GRAPH <{copy}> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o }}",
                             content_type="application/sparql-update",
                             headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 204, response.data
    report_a = _count(writable, f"GRAPH <{ID}report-a> {{ ?s ?p ?o }}")
    assert report_a > 0 and _count(writable, f"GRAPH <{copy}> {{ ?s ?p ?o }}") == report_a


def test_using_graph_uri_and_using_clauses_together_are_400(writable):
    response = writable.post("/sparql?using-graph-uri=" + ID + "report-a",
                             data=f"DELETE {{ ?s ?p ?o }} USING <{ID}report-b> WHERE {{ ?s ?p ?o }}",
                             content_type="application/sparql-update",
                             headers={"Authorization": f"Bearer {TOKEN}"})
    assert_error(response, 400)


# -- description, health, CORS ------------------------------------------------------------------
def test_service_description_in_turtle(client):
    response = client.get("/sparql")
    assert response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.data, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef("http://localhost/sparql")
    assert (endpoint, URIRef(sd + "endpoint"), endpoint) in graph
    assert (endpoint, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in graph
    assert (endpoint, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Update")) not in graph


def test_service_description_in_json_ld(client):
    response = client.get("/sparql", headers={"Accept": "application/ld+json"})
    graph = Graph().parse(data=response.data, format="json-ld")
    assert len(graph) > 10


def test_browsers_get_the_query_page(client):
    response = client.get("/sparql", headers={
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert response.mimetype == "text/html"
    assert b"<textarea" in response.data


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["triples"] == 32 and body["graphs"] == 3
    assert body["version"]


def test_cors_for_reads_without_credentials(client):
    response = client.get("/sparql", query_string={"query": "ASK {}"},
                          headers={"Origin": "https://notebook.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    preflight = client.options("/sparql", headers={
        "Origin": "https://notebook.example", "Access-Control-Request-Method": "POST"})
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "authorization" not in preflight.headers["Access-Control-Allow-Headers"].lower()


def test_request_id_is_echoed(client):
    response = client.get("/healthz", headers={"X-Request-Id": "abc-123"})
    assert response.headers["X-Request-Id"] == "abc-123"


def test_in_memory_store_stops_a_streaming_query_at_the_limit():
    with app_over(None, query_timeout=0.3, result_limit=10**9) as app:
        query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"
        response = app.test_client().get("/sparql", query_string={"query": query})
        assert assert_error(response, 503)["title"] == "Query Timeout"
