"""Linked data: /id/..., /substance/<key> and /ontology, through Flask's test client and HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from endpoint_fixtures import DATA, ID, NG, build_store, make_settings, running
from flask import Flask
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from narcograph.endpoint import create_app
from narcograph.endpoint import describe as describe_module
from narcograph.endpoint.linked_data import route_prefixes
from narcograph.ontology import ontology_graph

LINKED = DATA / "linked.trig"
OP = ID + "operation/t1-1"
AGENCY = ID + "agency/sy-interior"
SY = ID + "country/SY"
SUBSTANCE = "https://w3id.org/narcograph/substance/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@contextmanager
def linked_app(store_path: Path | None, data: Path = LINKED, **overrides: object) -> Iterator[Flask]:
    """Yield an app over the endpoint test dataset plus ``data``."""
    store = build_store(store_path)
    store.ox.load(path=str(data), format=ox.RdfFormat.TRIG)
    app = create_app(make_settings(store_path, **overrides), store)
    try:
        yield app
    finally:
        app.extensions["narcograph"].close()


@pytest.fixture(scope="module")
def app():
    with linked_app(None) as app:
        yield app


@pytest.fixture()
def client(app):
    return app.test_client()


def local(iri: str, prefix: str = "/id/") -> str:
    return prefix + iri[len(ID):]


def stored(app: Flask, s: str | None = None, o: str | None = None) -> set[tuple]:
    """Return the distinct triples of the store with subject ``s`` / object ``o``, as rdflib terms."""
    graph = Graph()
    ox_store = app.extensions["narcograph"].graph_store.ox
    subject = ox.NamedNode(s) if s else None
    obj = ox.NamedNode(o) if o else None
    for quad in ox_store.quads_for_pattern(subject, None, obj, None):
        graph.parse(data=f"{quad.triple} .", format="nt")
    return set(graph)


class Page(HTMLParser):
    """The links, headings and text of an HTML page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[dict] = []
        self.headings: list[str] = []
        self.text: list[str] = []
        self._open: dict | None = None
        self._heading = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open = {**dict(attrs), "text": ""}
            self.links.append(self._open)
        self._heading = tag in ("h1", "h2", "h3") or self._heading

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None
        if tag in ("h1", "h2", "h3"):
            self._heading = False

    def handle_data(self, data):
        self.text.append(data)
        if self._open is not None:
            self._open["text"] += data
        if self._heading:
            self.headings.append(data.strip())

    def link(self, href: str) -> dict:
        found = [a for a in self.links if a.get("href") == href]
        assert found, f"no link to {href}: {[a.get('href') for a in self.links]}"
        return found[0]


def html_page(response) -> Page:
    assert response.status_code == 200, response.data
    assert response.mimetype == "text/html"
    return Page(response.get_data(as_text=True))


def assert_error(response, status: int) -> dict:
    assert response.status_code == status, response.data
    assert response.mimetype == "application/json"
    body = json.loads(response.data)
    assert set(body) == {"error"} and body["error"]["status"] == status
    return body["error"]


# -- machines -----------------------------------------------------------------------------------
def test_turtle_is_the_default_and_holds_the_resources_triples(app, client):
    response = client.get(local(OP))
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    assert response.headers["Vary"] == "Accept"
    graph = Graph().parse(data=response.data, format="turtle")
    assert stored(app, s=OP) <= set(graph)
    # the neighbours are named, so that a client can show the links without more requests
    assert (URIRef(AGENCY), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            Literal("Syrian Ministry of Interior")) in graph
    assert (URIRef(AGENCY), URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            URIRef(NG + "Agency")) in graph


def test_incoming_links_are_part_of_the_description(app, client):
    graph = Graph().parse(data=client.get(local(AGENCY)).data, format="turtle")
    assert stored(app, s=AGENCY) | stored(app, o=AGENCY) <= set(graph)
    operations = set(graph.subjects(URIRef(NG + "conductedBy"), URIRef(AGENCY)))
    assert operations == {URIRef(OP), URIRef(ID + "operation/t2-1")}


@pytest.mark.parametrize(("accept", "param", "rdflib_format", "mimetype"), [
    ("application/ld+json", None, "json-ld", "application/ld+json"),
    ("application/n-triples", None, "nt", "application/n-triples"),
    ("application/rdf+xml", None, "xml", "application/rdf+xml"),
    ("application/json", None, "json-ld", "application/ld+json"),
    ("text/html;q=0.5, text/turtle", None, "turtle", "text/turtle"),
    (BROWSER, "jsonld", "json-ld", "application/ld+json"),
    (None, "nt", "nt", "application/n-triples"),
    (None, "ttl", "turtle", "text/turtle"),
])
def test_formats_by_accept_or_format_parameter(client, accept, param, rdflib_format, mimetype):
    expected = Graph().parse(data=client.get(local(OP)).data, format="turtle")
    headers = {"Accept": accept} if accept else {}
    query = {"format": param} if param else {}
    response = client.get(local(OP), headers=headers, query_string=query)
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert isomorphic(Graph().parse(data=response.data, format=rdflib_format), expected)


def test_unmet_accept_is_406(client):
    error = assert_error(client.get(local(OP), headers={"Accept": "image/png"}), 406)
    assert "text/turtle" in error["detail"] and "text/html" in error["detail"]
    assert_error(client.get(local(OP), query_string={"format": "pdf"}), 406)


@pytest.mark.parametrize("path", ["/id/nothing-here", "/id/operation/t1-1/more", "/id/a%20b",
                                  "/substance/no-such-drug"])
def test_a_resource_without_triples_is_404_in_the_error_shape(client, path):
    error = assert_error(client.get(path), 404)
    assert "nothing is known about" in error["detail"]


def test_browsers_get_an_html_404(client):
    response = client.get("/id/nothing-here", headers={"Accept": BROWSER})
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "https://w3id.org/narcograph/id/nothing-here" in response.get_data(as_text=True)


# -- browsers -----------------------------------------------------------------------------------
def test_operation_page_lists_its_report_seizures_agencies_places_and_persons(client):
    page = html_page(client.get(local(OP), headers={"Accept": BROWSER}))
    assert "Operation of 2024-03-05" in page.headings[0]
    for heading in ("Reports (1)", "Seizures (1)", "Agencies (1)", "Places (2)", "Persons (1)"):
        assert heading in page.headings
    assert page.link(local(ID + "report/t1"))["text"] == (
        "Syrian forces seize 1.2 million Captagon pills in Daraa")
    assert page.link(local(ID + "seizure/t1-1-1"))["text"] == "1,200,000 pill of Captagon"
    assert page.link(local(AGENCY))["text"] == "Syrian Ministry of Interior"
    assert page.link(local(SY))["text"] == "Syria"
    assert page.link(local(ID + "person/sy-ahmad-khalil"))["text"] == "Ahmad Khalil"
    for name in ("turtle", "jsonld", "nt"):  # the same resource for machines, one click away
        page.link(f"?format={name}")


@pytest.mark.parametrize(("iri", "heading"), [
    (AGENCY, "Operations (2)"),
    (SY, "Operations (2)"),
    (ID + "person/sy-ahmad-khalil", "Operations (1)"),
])
def test_agency_place_and_person_pages_list_the_operations_pointing_to_them(client, iri, heading):
    page = html_page(client.get(local(iri), headers={"Accept": "text/html"}))
    assert heading in page.headings
    operation = page.link(local(OP))
    assert operation["text"] == "Operation of 2024-03-05"


def test_external_ids_are_outbound_links(client):
    page = html_page(client.get(local(SY), headers={"Accept": "text/html"}))
    assert "External identifiers" in page.headings
    wikidata = page.link("http://www.wikidata.org/entity/Q858")
    assert wikidata["text"] == "Wikidata Q858" and "external" in wikidata["class"]
    assert "noopener" in wikidata["rel"]
    assert page.link("https://sws.geonames.org/163843/")["text"] == "GeoNames 163843"
    # the country's places and agencies point to it: they are related, with local links
    assert page.link(local(ID + "place/sy-daraa"))
    assert page.link(local(AGENCY))


def test_substance_pages_show_chebi_and_wikidata_and_local_links(client):
    page = html_page(client.get("/substance/class-ats", headers={"Accept": "text/html"}))
    assert page.headings[0] == "Amphetamine-type stimulants"
    assert page.link("http://www.wikidata.org/entity/Q2445303")["text"] == "Wikidata Q2445303"
    assert page.link("http://purl.obolibrary.org/obo/CHEBI_35338")["text"] == "ChEBI 35338"
    # narrower substances point to the class: they resolve here, not at w3id.org
    assert page.link("http://localhost/substance/captagon")["text"] == "Captagon"


def test_html_is_escaped_and_only_http_iris_become_links(client):
    response = client.get(local(OP), headers={"Accept": "text/html"})
    html = response.get_data(as_text=True)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more" in html
    assert "Daraa &lt;b&gt;governorate&lt;/b&gt;" in html
    report = Page(client.get(local(ID + "report/t1"), headers={"Accept": "text/html"})
                  .get_data(as_text=True))
    assert "javascript:alert(1)" in "".join(report.text)  # shown as text...
    assert all(not a.get("href", "").lower().startswith("javascript") for a in report.links)
    assert report.link("https://news.example.org/sy/captagon-daraa")  # ...http IRIs are links


def test_a_page_says_when_it_shows_only_the_first_links(app, client, monkeypatch):
    monkeypatch.setattr(describe_module, "MAX_IN", 1)
    response = client.get(local(SY), headers={"Accept": "text/html"})
    assert "more links than a page shows" in response.get_data(as_text=True)
    graph = Graph().parse(data=client.get(local(SY)).data, format="turtle")
    assert len(set(graph.subjects(None, URIRef(SY)))) == 1


# -- where data IRIs resolve --------------------------------------------------------------------
def test_the_base_iris_own_path_resolves_too(client):
    assert route_prefixes(ID) == ["/id/", "/narcograph/id/"]
    mirror = client.get(local(OP))
    direct = client.get(local(OP, "/narcograph/id/"))
    assert direct.status_code == 200
    assert isomorphic(Graph().parse(data=direct.data, format="turtle"),
                      Graph().parse(data=mirror.data, format="turtle"))
    page = html_page(client.get(local(OP, "/narcograph/id/"), headers={"Accept": "text/html"}))
    assert page.link(local(AGENCY, "/narcograph/id/"))  # links stay under the path used


def test_iris_with_non_ascii_characters_resolve_percent_encoded(client):
    path = "/id/place/" + urllib.parse.quote("sy-ḥimṣ")
    graph = Graph().parse(data=client.get(path).data, format="turtle")
    assert (URIRef(ID + "place/sy-ḥimṣ"), None, Literal("Ḥimṣ")) in graph
    page = html_page(client.get(local(ID + "operation/t2-1"), headers={"Accept": "text/html"}))
    assert page.link(path)["text"] == "Ḥimṣ"


@pytest.mark.parametrize("base", ["http://data.example.org/kg/", "http://localhost/"])
def test_a_configured_base_iri_resolves_at_its_path_and_under_id(tmp_path, base, monkeypatch):
    data = tmp_path / "custom.trig"
    data.write_text(f'<{base}op-x> {{ <{base}op-x> a <{NG}Operation> ; '
                    f'<{NG}conductedBy> <{base}agency-y> . }}\n', encoding="utf-8")
    with linked_app(None, data, base_iri=base) as app:
        client = app.test_client()
        path = urllib.parse.urlsplit(base).path
        for prefix in {path, "/id/"}:
            graph = Graph().parse(data=client.get(f"{prefix}op-x").data, format="turtle")
            assert (URIRef(base + "op-x"), URIRef(NG + "conductedBy"), URIRef(base + "agency-y")) \
                in graph
        # the other routes keep working, even when the base path is the root
        assert client.get("/healthz").status_code == 200
        assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
        assert client.get("/.well-known/void").status_code == 200


def test_the_dataset_iri_redirects_to_the_void_description(client):
    response = client.get("/id/dataset", query_string={"format": "jsonld"})
    assert response.status_code == 303
    assert response.headers["Location"] == "http://localhost/.well-known/void?format=jsonld"


def test_substance_concepts_come_from_the_packaged_vocabulary(app, client):
    """The store holds no vocabulary graph here; the packaged scheme still describes the drug."""
    captagon = URIRef(SUBSTANCE + "captagon")
    graph = Graph().parse(data=client.get("/substance/captagon").data, format="turtle")
    assert (captagon, URIRef(SKOS + "prefLabel"), Literal("Captagon", lang="en")) in graph
    assert (captagon, URIRef(SKOS + "broader"), URIRef(SUBSTANCE + "class-ats")) in graph
    # and the seizures of the store that point to it
    assert (URIRef(ID + "seizure/t1-1-1"), URIRef(NG + "substance"), captagon) in graph


# -- the ontology -------------------------------------------------------------------------------
def test_ontology_is_the_packaged_turtle(client):
    response = client.get("/ontology")
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    text = response.get_data(as_text=True)
    assert "# The narcograph ontology" in text  # the files as written, comments and all
    assert isomorphic(Graph().parse(data=text, format="turtle"), ontology_graph())
    again = client.get("/ontology", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(("accept", "rdflib_format"), [
    ("application/ld+json", "json-ld"), ("application/n-triples", "nt"),
    ("application/rdf+xml", "xml")])
def test_ontology_in_other_formats(client, accept, rdflib_format):
    response = client.get("/ontology", headers={"Accept": accept})
    assert response.mimetype == accept
    assert isomorphic(Graph().parse(data=response.data, format=rdflib_format), ontology_graph())


def test_ontology_unmet_accept_is_406(client):
    assert_error(client.get("/ontology", headers={"Accept": "text/html"}), 406)


# -- over real HTTP -----------------------------------------------------------------------------
def http(url: str, **headers: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, dict(exc.headers), exc.read()


def test_linked_data_over_http(app):
    with running(app) as base:
        status, headers, body = http(base + local(OP), Accept="application/ld+json")
        assert status == 200 and headers["Content-Type"] == "application/ld+json"
        assert (URIRef(OP), URIRef(NG + "conductedBy"), URIRef(AGENCY)) in \
            Graph().parse(data=body, format="json-ld")

        status, headers, body = http(base + local(AGENCY), Accept=BROWSER)
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        assert Page(body.decode()).link(local(OP))

        path = "/id/place/" + urllib.parse.quote("sy-ḥimṣ")  # raw path through waitress
        status, _, body = http(base + path)
        assert status == 200
        assert (None, None, Literal("Ḥimṣ")) in Graph().parse(data=body, format="turtle")

        status, headers, body = http(base + "/id/nothing-here")
        assert status == 404 and headers["Content-Type"] == "application/json"
        assert json.loads(body)["error"]["status"] == 404

        status, headers, body = http(base + "/ontology")
        assert status == 200 and headers["Content-Type"] == "text/turtle; charset=utf-8"
        assert int(headers["Content-Length"]) == len(body)
