"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/store`` (``?graph=IRI`` or ``?default``).

GET/HEAD read a graph (404 for a named graph that does not exist), or without a parameter the
whole dataset as TriG/N-Quads. PUT replaces, POST merges (201 when the graph is new, else 204;
POST without a target creates a new graph and answers 201 with its Location), DELETE removes
(204, or 404). Writes need the token and replace atomically (one SPARQL update). Bodies are
parsed by pyoxigraph; RDF/XML with entity declarations is refused (no entity expansion).
"""

from __future__ import annotations

import uuid
from urllib.parse import quote

import pyoxigraph as ox
from flask import Blueprint, Response, request

from narcograph.config import Settings
from narcograph.endpoint.auth import require_token
from narcograph.endpoint.errors import (
    BadRequest,
    NotAcceptable,
    NotFound,
    Unprocessable,
    UnsupportedMediaType,
)
from narcograph.endpoint.formats import DATASET_FORMATS, GRAPH_FORMATS, choose, describe
from narcograph.endpoint.serialize import TooManyResults, bounded
from narcograph.endpoint.state import EndpointStore

DEFAULT = ox.DefaultGraph()


def graph_store_blueprint(store: EndpointStore, settings: Settings) -> Blueprint:
    """Return the blueprint of ``/store`` over ``store``."""
    bp = Blueprint("graph_store", __name__)

    @bp.route("/store", methods=["GET", "HEAD"])
    def read() -> Response:
        target = _target(required=False)
        dataset = target is None
        formats = DATASET_FORMATS if dataset else GRAPH_FORMATS
        fmt = choose(formats, request.headers.get("Accept"), request.args.get("format"))
        if fmt is None:
            raise NotAcceptable(f"this resource is available as {describe(formats)}")
        if isinstance(target, ox.NamedNode) and not store.has_graph(target.value):
            raise NotFound(f"there is no graph <{target.value}>")
        ox_store = store.graph_store.ox
        try:
            if dataset:
                items = bounded(ox_store.quads_for_pattern(None, None, None, None),
                                settings.result_limit, None)
            else:
                items = [q.triple for q in bounded(
                    ox_store.quads_for_pattern(None, None, None, target),
                    settings.result_limit, None)]
                if fmt.rdf_format.supports_datasets:
                    items = [ox.Quad(t.subject, t.predicate, t.object, DEFAULT) for t in items]
        except TooManyResults:
            raise Unprocessable(
                f"more than {settings.result_limit} triples; use /sparql with LIMIT, or export"
            ) from None
        body = ox.serialize(items, format=fmt.rdf_format)
        response = Response(b"" if request.method == "HEAD" else body,
                            content_type=fmt.content_type)
        response.headers["Content-Length"] = str(len(body))
        response.headers["Vary"] = "Accept"
        return response

    @bp.route("/store", methods=["PUT", "POST"])
    def write() -> Response:
        require_token(settings)
        target = _target(required=request.method == "PUT")
        created_iri = None
        if target is None:  # POST to the store itself: a new graph
            created_iri = f"{settings.base_iri}graph/{uuid.uuid4()}"
            target = ox.NamedNode(created_iri)
        triples = _read_body(target)
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        is_default = isinstance(target, ox.DefaultGraph)
        with store.writing() as graph_store:
            existed = is_default or store.has_graph(target.value)
            where = "DEFAULT" if is_default else f"GRAPH <{target.value}>"
            insert = f"INSERT DATA {{ {data} }}" if is_default else \
                f"INSERT DATA {{ GRAPH <{target.value}> {{ {data} }} }}"
            update = (f"DROP SILENT {where} ;\n" if request.method == "PUT" else "") + insert
            graph_store.ox.update(update)
            if not is_default and not triples and not existed:
                graph_store.ox.add_graph(target)
        if existed:
            return Response(status=204)
        response = Response(status=201)
        response.headers["Location"] = f"{request.base_url}?graph={quote(target.value, safe='')}"
        return response

    @bp.delete("/store")
    def delete() -> Response:
        require_token(settings)
        target = _target(required=True)
        with store.writing() as graph_store:
            if isinstance(target, ox.DefaultGraph):
                graph_store.ox.clear_graph(target)
            elif not graph_store.drop_graph(target.value):
                raise NotFound(f"there is no graph <{target.value}>")
        return Response(status=204)

    return bp


def _target(required: bool) -> ox.NamedNode | ox.DefaultGraph | None:
    graph, default = request.args.get("graph"), "default" in request.args
    if graph is not None and default:
        raise BadRequest("give either ?graph=IRI or ?default, not both")
    if default:
        return DEFAULT
    if graph is None:
        if required:
            raise BadRequest("name the graph: ?graph=IRI or ?default")
        return None
    try:
        return ox.NamedNode(graph)
    except ValueError:
        raise BadRequest(f"graph: {graph!r} is not an absolute IRI") from None


def _read_body(target: ox.NamedNode | ox.DefaultGraph) -> list[ox.Triple]:
    if request.mimetype == "multipart/form-data":
        parts = [(f.mimetype, f.filename or "", f.read()) for f in request.files.values()]
        if not parts:
            raise BadRequest("the form holds no file")
    else:
        parts = [(request.mimetype, "", request.get_data())]
    base = target.value if isinstance(target, ox.NamedNode) else None
    triples: list[ox.Triple] = []
    for mimetype, filename, data in parts:
        fmt = _rdf_format(mimetype, filename)
        if fmt == ox.RdfFormat.RDF_XML and b"<!ENTITY" in data:
            raise BadRequest("RDF/XML with entity declarations is refused (entity expansion)")
        try:
            for item in ox.parse(data, format=fmt, base_iri=base):
                if isinstance(item, ox.Quad):
                    if not isinstance(item.graph_name, ox.DefaultGraph):
                        raise BadRequest("a graph's body cannot hold named graphs")
                    item = item.triple
                triples.append(item)
        except SyntaxError as exc:
            raise BadRequest(f"{filename or 'the body'} is not valid {fmt.name}: {exc}") from None
    return triples


def _rdf_format(mimetype: str, filename: str) -> ox.RdfFormat:
    fmt = ox.RdfFormat.from_media_type(mimetype) if mimetype else None
    if fmt is None and filename and "." in filename:
        fmt = ox.RdfFormat.from_extension(filename.rsplit(".", 1)[1])
    if fmt is None:
        known = describe(GRAPH_FORMATS)
        raise UnsupportedMediaType(f"the body must be RDF ({known}), not {mimetype or 'untyped'}")
    return fmt
