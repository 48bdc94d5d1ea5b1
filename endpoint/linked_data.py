"""Linked data: data IRIs, substance concepts and the ontology resolve at the server.

- ``/id/<path>`` describes ``<base_iri><path>``; so does the base IRI's own path (e.g.
  ``/narcograph/id/<path>`` for the default base), for a server reached through the base IRI's
  host (a w3id redirect, a proxy). ``/id/`` always works, as the local mirror of the base.
  ``/id/dataset`` is the dataset's IRI: it answers 303 See Other to ``/.well-known/void``.
- ``/substance/<key>`` describes ``https://w3id.org/narcograph/substance/<key>``.
- ``/ontology`` answers the packaged ontology files (Turtle as written, or another RDF format).

A description is Turtle (the default), JSON-LD, N-Triples or RDF/XML by Accept or ``?format=``,
or an HTML page for browsers; it holds the resource's triples, the triples pointing to it and
the types and labels of its neighbours (see ``narcograph.endpoint.describe``). A resource with
no triples is 404: the JSON error body, or an HTML page for browsers.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
from flask import Blueprint, Response, redirect, render_template, request
from flask.typing import ResponseReturnValue

from narcograph.config import Settings
from narcograph.endpoint.describe import Description, describe, packaged_vocabulary
from narcograph.endpoint.description import HTML
from narcograph.endpoint.errors import NotAcceptable, NotFound
from narcograph.endpoint.formats import Format, choose
from narcograph.endpoint.formats import describe as describe_formats
from narcograph.endpoint.pages import Linker, resource_page
from narcograph.endpoint.serialize import graph_bytes, used_prefixes
from narcograph.endpoint.state import EndpointStore
from narcograph.endpoint.void import ALTERNATES, RDF_FORMATS, dataset_iri
from narcograph.ontology import PREFIXES, SUBSTANCE
from narcograph.vocabulary import packaged_files, vocabulary_hash

MIRROR = "/id/"
RESOURCE_FORMATS = (RDF_FORMATS[0], HTML, *RDF_FORMATS[1:])  # Turtle first: the default
ONTOLOGY_FORMATS = RDF_FORMATS


def route_prefixes(base_iri: str) -> list[str]:
    """Return the path prefixes that resolve data IRIs: ``/id/`` and the base IRI's own path.

    >>> route_prefixes("https://w3id.org/narcograph/id/")
    ['/id/', '/narcograph/id/']
    """
    prefixes = [MIRROR]
    path = urlsplit(base_iri).path
    # A base ending in '#' names fragments of one document: only the mirror can tell them apart.
    if base_iri.endswith("/") and path.startswith("/") and path not in prefixes:
        prefixes.append(path)
    return prefixes


def linked_data_blueprint(store: EndpointStore, settings: Settings,
                          vocabulary: ox.Store | None = None) -> Blueprint:
    """Return the blueprint of the linked data routes; ``vocabulary`` (default: the packaged
    ontology files) names classes and predicates and describes the substance concepts even in
    a store without the vocabulary graph."""
    bp = Blueprint("linked_data", __name__, template_folder="templates")
    vocab = packaged_vocabulary() if vocabulary is None else vocabulary

    def answer(iris: list[str], local_prefix: str) -> Response:
        fmt = choose(RESOURCE_FORMATS, request.headers.get("Accept"), request.args.get("format"))
        if fmt is None:
            raise NotAcceptable(f"this resource is available as "
                                f"{describe_formats(RESOURCE_FORMATS)}")
        sources = [store.graph_store.ox, vocab]
        found: Description | None = None
        for iri in iris:
            try:
                found = describe(sources, iri)
            except ValueError:  # not a valid IRI: nothing can be known about it
                continue
            if found.exists:
                break
        linker = Linker(settings.base_iri, request.script_root + local_prefix, request.url_root)
        if found is None or not found.exists:
            return _not_found(iris[0], fmt, linker)
        if fmt is HTML:
            page = resource_page(found, linker, [vocab])
            html = render_template("resource.html", page=page, alternates=ALTERNATES,
                                   root=request.url_root)
            response = Response(html, content_type="text/html; charset=utf-8")
        else:
            triples = found.triples()
            body = graph_bytes(triples, fmt, used_prefixes(triples, linker.prefixes))
            response = Response(body, content_type=fmt.content_type)
        response.headers["Vary"] = "Accept"
        return response

    def data(path: str) -> ResponseReturnValue:
        rule = request.url_rule.rule if request.url_rule is not None else MIRROR
        prefix = rule.split("<", 1)[0]
        iris = _candidates(settings.base_iri, request.script_root + prefix, path)
        if iris[0] == dataset_iri(settings):
            target = request.url_root + ".well-known/void"
            query = request.query_string.decode("latin-1")
            return redirect(f"{target}?{query}" if query else target, 303)
        return answer(iris, prefix)

    for i, prefix in enumerate(route_prefixes(settings.base_iri)):
        bp.add_url_rule(f"{prefix}<path:path>", endpoint=f"data_{i}", view_func=data)

    @bp.get("/substance/<key>")
    def substance(key: str) -> Response:
        return answer([str(SUBSTANCE) + key], MIRROR)

    @bp.get("/ontology")
    def ontology() -> ResponseReturnValue:
        fmt = choose(ONTOLOGY_FORMATS, request.headers.get("Accept"), request.args.get("format"))
        if fmt is None:
            raise NotAcceptable(f"the ontology is available as "
                                f"{describe_formats(ONTOLOGY_FORMATS)}")
        files = packaged_files()
        if fmt.name == "turtle":  # as written, with the comments that explain the choices
            body = "".join(f"# ---- {name} ----\n{text}\n" for name, text in files).encode()
        else:
            triples = [t for _, text in files for t in ox.parse(text, format=ox.RdfFormat.TURTLE)]
            body = graph_bytes(triples, fmt, used_prefixes(triples, PREFIXES))
        response = Response(body, content_type=fmt.content_type)
        response.headers["Vary"] = "Accept"
        response.headers["Cache-Control"] = "public, max-age=3600"
        response.set_etag(f"{vocabulary_hash(files)[:32]}-{fmt.name}")
        return response.make_conditional(request)

    return bp


def _candidates(base_iri: str, prefix: str, path: str) -> list[str]:
    """Return the IRIs a request path may stand for: as sent (percent-encoding kept, as data
    IRIs are minted), then decoded (for IRIs with non-ASCII characters)."""
    raw = urlsplit(request.environ.get("REQUEST_URI", "")).path
    local = raw[len(prefix):] if raw.startswith(prefix) and len(raw) > len(prefix) else path
    iris = [base_iri + local]
    decoded = base_iri + unquote(local)
    if decoded != iris[0]:
        iris.append(decoded)
    return iris


def _not_found(iri: str, fmt: Format, linker: Linker) -> Response:
    detail = f"nothing is known about <{iri}>"
    if fmt is not HTML:
        raise NotFound(detail)
    html = render_template("missing.html", iri=iri, root=linker.root)
    return Response(html, status=404, content_type="text/html; charset=utf-8")
