"""The SPARQL 1.1 Graph Store HTTP Protocol at /store."""

from __future__ import annotations

import io
import json
from urllib.parse import quote

import pytest
from endpoint_fixtures import ID, NG, TOKEN, app_over
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

AUTH = {"Authorization": f"Bearer {TOKEN}"}
NEW = f"{ID}report-new"
TURTLE = f'<{ID}op-new> <{NG}arrestCount> 9 ; <http://www.w3.org/2000/01/rdf-schema#label> "n" .'


@pytest.fixture()
def client(tmp_path):
    with app_over(tmp_path / "store", token=TOKEN) as app:
        yield app.test_client()


def graph_url(iri: str) -> str:
    return f"/store?graph={quote(iri, safe='')}"


def status_of(response, status: int) -> None:
    assert response.status_code == status, response.data
    if status >= 400:
        assert json.loads(response.data)["error"]["status"] == status


def test_get_a_named_graph_as_turtle(client):
    response = client.get(graph_url(ID + "vocabulary"))
    assert response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.data, format="turtle")
    assert (URIRef(ID + "captagon"), None, Literal("Captagon", lang="en")) in graph
    assert len(graph) == 5


def test_get_negotiates_rdf_formats(client):
    response = client.get(graph_url(ID + "vocabulary"), headers={"Accept": "application/ld+json"})
    assert len(Graph().parse(data=response.data, format="json-ld")) == 5


def test_head_has_the_headers_without_the_body(client):
    get = client.get(graph_url(ID + "vocabulary"))
    head = client.head(graph_url(ID + "vocabulary"))
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Type"] == get.headers["Content-Type"]
    assert head.headers["Content-Length"] == str(len(get.data))


def test_get_the_default_graph_and_the_dataset(client):
    default = Graph().parse(data=client.get("/store?default").data, format="turtle")
    assert len(default) == 1
    response = client.get("/store")
    assert response.mimetype == "application/trig"
    dataset = Dataset()
    dataset.parse(data=response.data, format="trig")
    assert len(list(dataset.quads((None, None, None, None)))) == 32


def test_missing_graph_is_404(client):
    status_of(client.get(graph_url(ID + "nothing")), 404)
    status_of(client.delete(graph_url(ID + "nothing"), headers=AUTH), 404)


def test_put_creates_then_replaces(client):
    response = client.put(graph_url(NEW), data=TURTLE, content_type="text/turtle", headers=AUTH)
    status_of(response, 201)
    assert "graph=" in response.headers["Location"]
    status_of(client.put(graph_url(NEW), data=f"<{ID}a> <{ID}b> <{ID}c> .",
                         content_type="application/n-triples", headers=AUTH), 204)
    graph = Graph().parse(data=client.get(graph_url(NEW)).data, format="turtle")
    assert set(graph) == {(URIRef(ID + "a"), URIRef(ID + "b"), URIRef(ID + "c"))}


def test_post_merges_and_the_sparql_side_sees_it(client):
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ID}report-a> {{ ?s ?p ?o }} }}"

    def count() -> int:
        rows = client.get("/sparql", query_string={"query": query}).get_json()
        return int(rows["results"]["bindings"][0]["n"]["value"])

    before = count()
    status_of(client.post(graph_url(ID + "report-a"), data=TURTLE, content_type="text/turtle",
                          headers=AUTH), 204)
    assert count() == before + 2


def test_post_multipart(client):
    data = {"file": (io.BytesIO(TURTLE.encode()), "part.ttl")}
    status_of(client.post(graph_url(NEW), data=data, headers=AUTH), 201)
    expected = Graph().parse(data=TURTLE, format="turtle")
    assert isomorphic(Graph().parse(data=client.get(graph_url(NEW)).data, format="turtle"),
                      expected)


def test_post_to_the_store_creates_a_graph(client):
    response = client.post("/store", data=TURTLE, content_type="text/turtle", headers=AUTH)
    status_of(response, 201)
    location = response.headers["Location"]
    assert len(Graph().parse(data=client.get(location).data, format="turtle")) == 2


def test_delete(client):
    status_of(client.delete(graph_url(ID + "report-b"), headers=AUTH), 204)
    status_of(client.get(graph_url(ID + "report-b")), 404)


@pytest.mark.parametrize(("method", "url", "kwargs", "status"), [
    ("put", graph_url(NEW), {"data": TURTLE, "content_type": "text/turtle"}, 401),
    ("delete", graph_url(ID + "report-a"), {}, 401),
    ("put", graph_url(NEW), {"data": TURTLE, "content_type": "application/pdf",
                             "headers": AUTH}, 415),
    ("put", graph_url(NEW), {"data": "<a> <b>", "content_type": "text/turtle",
                             "headers": AUTH}, 400),
    ("put", "/store", {"data": TURTLE, "content_type": "text/turtle", "headers": AUTH}, 400),
    ("get", "/store?default&graph=" + quote(NEW), {}, 400),
    ("get", "/store?graph=relative", {}, 400),
    ("get", "/store", {"headers": {"Accept": "text/turtle"}}, 406),
    ("put", graph_url(NEW), {"data": f"<{ID}s> <{ID}p> <{ID}o> <{ID}g> .",
                             "content_type": "application/n-quads", "headers": AUTH}, 400),
])
def test_graph_store_errors(client, method, url, kwargs, status):
    status_of(getattr(client, method)(url, **kwargs), status)


def test_rdf_xml_entity_expansion_is_refused(client):
    body = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY a "aaaaaaaaaa"> <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">
<rdf:Description rdf:about="http://e/s"><e:p>&b;</e:p></rdf:Description></rdf:RDF>"""
    response = client.put(graph_url(NEW), data=body, content_type="application/rdf+xml",
                          headers=AUTH)
    status_of(response, 400)
    assert "entity" in response.get_json()["error"]["detail"]
