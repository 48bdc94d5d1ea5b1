"""The endpoint over real HTTP (waitress on a free port), with the clients analysts use."""

from __future__ import annotations

import json
import os
import re
import select
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import replace

import pytest
from endpoint_fixtures import ID, NG, TOKEN, build_store, make_settings, running, serving
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

from narcograph.endpoint import create_app
from narcograph.endpoint.server import make_server, url_of

SELECT_OPS = f"PREFIX ng: <{NG}> SELECT ?op ?n WHERE {{ ?op a ng:Operation ; ng:arrestCount ?n }}"
RUNAWAY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
           "?m ?n1 ?o . ?q ?r ?t }")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = tmp_path_factory.mktemp("http") / "store"
    app = create_app(make_settings(path, token=TOKEN, query_timeout=2.0), build_store(path))
    try:
        with running(app) as url:
            yield url, app
    finally:
        app.extensions["narcograph"].close()


@pytest.fixture(scope="module")
def url(server):
    return server[0] + "/sparql"


def http(url: str, data: bytes | None = None, headers: dict | None = None,
         method: str | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, dict(exc.headers), exc.read()


def get_query(url: str, query: str, **headers: str) -> tuple[int, dict, bytes]:
    return http(f"{url}?{urllib.parse.urlencode({'query': query})}", headers=headers)


# -- SPARQLWrapper ------------------------------------------------------------------------------
def test_sparqlwrapper_select_json(url):
    client = SPARQLWrapper(url)
    client.setQuery(SELECT_OPS)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert sorted((r["op"]["value"], int(r["n"]["value"])) for r in rows) == [
        (ID + "op-a", 5), (ID + "op-b", 3)]


def test_sparqlwrapper_select_xml(url):
    client = SPARQLWrapper(url)
    client.setQuery(SELECT_OPS)
    client.setReturnFormat(XML)
    document = client.query().convert()
    uris = sorted(node.firstChild.data for node in document.getElementsByTagName("uri"))
    assert uris == [ID + "op-a", ID + "op-b"]


def test_sparqlwrapper_ask(url):
    client = SPARQLWrapper(url)
    client.setQuery(f"ASK {{ <{ID}op-b> <{NG}arrestCount> 3 }}")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True


# SPARQLWrapper 2.0 builds an rdflib ConjunctiveGraph for RDF/XML, deprecated in rdflib 7.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("fmt", [TURTLE, XML])
def test_sparqlwrapper_construct_to_rdflib_graph(url, fmt):
    client = SPARQLWrapper(url)
    pattern = f"?op <{NG}arrestCount> ?n"
    client.setQuery(f"CONSTRUCT {{ {pattern} }} WHERE {{ {pattern} }}")
    client.setReturnFormat(fmt)
    result = client.query().convert()
    graph = result if isinstance(result, Graph) else Graph().parse(data=result, format="turtle")
    expected = Graph()
    expected.add((URIRef(ID + "op-a"), URIRef(NG + "arrestCount"), Literal(5)))
    expected.add((URIRef(ID + "op-b"), URIRef(NG + "arrestCount"), Literal(3)))
    assert set(graph) == set(expected)


def test_sparqlwrapper_post(url):
    client = SPARQLWrapper(url)
    client.setMethod("POST")
    client.setQuery(SELECT_OPS)
    client.setReturnFormat(JSON)
    assert len(client.query().convert()["results"]["bindings"]) == 2


# -- rdflib SPARQLStore / SPARQLUpdateStore -----------------------------------------------------
def test_rdflib_sparqlstore_union_default_graph(url):
    graph = Graph(SPARQLStore(url))
    rows = list(graph.query(f"SELECT ?op WHERE {{ ?op a <{NG}Operation> }}"))
    assert sorted(str(r.op) for r in rows) == [ID + "op-a", ID + "op-b"]


def test_rdflib_sparqlstore_named_graph_via_default_graph_uri(url):
    store = SPARQLStore(url)
    graph = Graph(store, identifier=URIRef(ID + "report-b"))
    rows = list(graph.query(f"SELECT ?op WHERE {{ ?op a <{NG}Operation> }}"))
    assert [str(r.op) for r in rows] == [ID + "op-b"]


def test_rdflib_sparqlupdatestore_with_the_token(server):
    base, _ = server
    store = SPARQLUpdateStore(base + "/sparql", base + "/sparql",
                              headers={"Authorization": f"Bearer {TOKEN}"})
    graph = Graph(store, identifier=URIRef(ID + "report-http"))
    triple = (URIRef(ID + "op-http"), URIRef(NG + "arrestCount"), Literal(7))
    graph.add(triple)
    assert triple in graph
    rows = list(Graph(SPARQLStore(base + "/sparql")).query(
        f"SELECT ?n WHERE {{ <{ID}op-http> <{NG}arrestCount> ?n }}"))
    assert [int(r.n) for r in rows] == [7]
    graph.remove(triple)
    assert triple not in graph


def test_rdflib_sparqlupdatestore_without_the_token_is_refused(url):
    store = SPARQLUpdateStore(url, url)
    graph = Graph(store, identifier=URIRef(ID + "report-http"))
    with pytest.raises(urllib.error.HTTPError) as info:
        graph.add((URIRef(ID + "x"), URIRef(NG + "arrestCount"), Literal(1)))
    assert info.value.code == 401
    info.value.close()


# -- protocol facets over the wire --------------------------------------------------------------
def test_error_shape_over_http(url):
    status, headers, body = get_query(url, "SELECT WHERE")
    assert status == 400
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body)["error"]["status"] == 400


def test_406_over_http(url):
    status, _, body = get_query(url, SELECT_OPS, Accept="application/rdf+xml")
    assert status == 406
    assert "application/sparql-results+json" in json.loads(body)["error"]["detail"]


def test_body_limit_over_http(tmp_path):
    app = create_app(make_settings(None, max_body_bytes=2048), build_store(None))
    with running(app) as base:
        status, _, body = http(base + "/sparql", data=b"#" * 10_000,
                               headers={"Content-Type": "application/sparql-query"})
    assert status == 413
    assert json.loads(body)["error"]["status"] == 413


def test_content_length_matches_the_body(url):
    status, headers, body = get_query(url, SELECT_OPS, Accept="text/csv")
    assert status == 200
    assert int(headers["Content-Length"]) == len(body)
    assert headers["Content-Type"] == "text/csv; charset=utf-8"


def test_healthz_over_http(server):
    status, _, body = http(server[0] + "/healthz")
    assert status == 200 and json.loads(body)["status"] == "ok"


def test_federated_query_to_an_allowlisted_endpoint(tmp_path):
    """SERVICE goes out to allow-listed endpoints: here a second local endpoint."""
    remote_app = create_app(make_settings(None), build_store(None))
    with running(remote_app) as remote:
        with socket.socket() as s:  # the port must be known for the allow-list
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        path = tmp_path / "store"
        settings = make_settings(path, service_allowlist=(remote + "/sparql",), host="127.0.0.1")
        app = create_app(settings, build_store(path))
        server = make_server(app, settings, port=port)
        try:
            with serving(server):
                local = url_of(server, "127.0.0.1") + "/sparql"
                query = (f"SELECT ?n WHERE {{ SERVICE <{remote}/sparql> "
                         f"{{ <{ID}op-a> <{NG}arrestCount> ?n }} }}")
                status, _, body = get_query(local, query)
                assert status == 200, body
                assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "5"
                other = query.replace(remote, "http://127.0.0.1:9")
                assert get_query(local, other)[0] == 400
        finally:
            app.extensions["narcograph"].close()


# -- the time limit -----------------------------------------------------------------------------
def test_runaway_query_is_stopped_while_others_are_answered(server, url):
    _, app = server
    pool = app.extensions["narcograph"].executor
    assert pool.wait_ready()
    before = set(pool.pids())
    outcome: dict = {}

    def run_away() -> None:
        start = time.monotonic()
        outcome["status"], _, outcome["body"] = http(
            url, data=RUNAWAY.encode(), headers={"Content-Type": "application/sparql-query"})
        outcome["elapsed"] = time.monotonic() - start

    thread = threading.Thread(target=run_away)
    thread.start()
    time.sleep(0.3)
    start = time.monotonic()
    status, _, body = get_query(url, SELECT_OPS)
    quick = time.monotonic() - start
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 2
    assert thread.is_alive(), "the runaway query should still be running"
    assert quick < 2.0  # well under the time limit the runaway query is still using
    thread.join(30)

    assert outcome["status"] == 503
    error = json.loads(outcome["body"])["error"]
    assert error["title"] == "Query Timeout" and "time limit" in error["detail"]
    assert 1.9 < outcome["elapsed"] < 10.0  # the limit is 2 s; generous for loaded CI machines
    killed = before - set(pool.pids())
    assert len(killed) == 1, "the worker running the runaway query is replaced"
    for pid in killed:  # and it no longer uses CPU: the process is gone
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert get_query(url, SELECT_OPS)[0] == 200


def test_busy_pool_answers_503_not_a_hang(tmp_path):
    path = tmp_path / "store"
    settings = replace(make_settings(path, query_timeout=1.0), threads=1)
    app = create_app(settings, build_store(path))
    try:
        with running(app) as base:
            app.extensions["narcograph"].executor.wait_ready()
            results: list[int] = []
            threads = [
                threading.Thread(target=lambda: results.append(http(
                    base + "/sparql", data=RUNAWAY.encode(),
                    headers={"Content-Type": "application/sparql-query"})[0]))
                for _ in range(2)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join(30)
            assert sorted(results) == [503, 503]
    finally:
        app.extensions["narcograph"].close()


# -- narcograph serve ---------------------------------------------------------------------------
def test_narcograph_serve_prints_the_url_and_stops_cleanly_on_sigterm(tmp_path):
    path = tmp_path / "store"
    build_store(path)  # released below: the server must be able to lock the store
    env = {k: v for k, v in os.environ.items() if not k.startswith("NARCOGRAPH_")}
    command = [sys.executable, "-m", "narcograph.cli", "--store", str(path), "serve", "--port", "0"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                          text=True) as proc:
        try:
            ready = select.select([proc.stdout], [], [], 60)[0]
            assert ready, "the server did not print its URL"
            line = proc.stdout.readline()
            pattern = r"narcograph serving (\d+) triples at (http://127\.0\.0\.1:\d+)/sparql\n"
            match = re.fullmatch(pattern, line)
            assert match, line
            assert int(match[1]) >= 32  # the CLI may add the packaged vocabulary graph
            status, _, body = http(match[2] + "/healthz")
            assert status == 200 and json.loads(body)["triples"] == int(match[1])
        finally:
            proc.terminate()
            _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert not list(tmp_path.glob(".store-snapshots-*")), "snapshots are deleted on exit"
