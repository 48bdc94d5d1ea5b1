"""The SPARQL 1.1 Protocol at ``/sparql``: query (GET, POST form, POST sparql-query), update.

Status codes follow Oxigraph's server: 400 with the parser's message, 406 when Accept cannot be
met, 415 for an unknown body type, 401/403 for writes, 413 past the body limit, 503 past the
time limit, 422 past the result limit.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, request
from werkzeug.datastructures import MultiDict

from narcograph.config import Settings
from narcograph.endpoint.auth import require_token
from narcograph.endpoint.description import service_description
from narcograph.endpoint.errors import BadRequest, NotAcceptable, UnsupportedMediaType
from narcograph.endpoint.evaluate import QueryRequest
from narcograph.endpoint.formats import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    choose,
    describe,
)
from narcograph.endpoint.scan import Scan, scan, with_using
from narcograph.endpoint.state import EndpointStore

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
FORMAT_PARAMS = ("format", "output", "results")


def sparql_blueprint(store: EndpointStore, settings: Settings) -> Blueprint:
    """Return the blueprint answering ``/sparql`` over ``store``."""
    bp = Blueprint("sparql", __name__)

    @bp.route("/sparql", methods=["GET", "POST"])
    def sparql() -> Response:
        kind, text, params = _read_operation()
        if kind == "query":
            return _query(store, settings, text, params)
        if kind == "update":
            return _update(store, settings, text, params)
        return service_description(store, settings)

    return bp


def _read_operation() -> tuple[str | None, str, MultiDict]:
    """Return ``(kind, text, parameters)`` of the request, kind "query", "update" or None."""
    if request.method == "GET":
        params = request.args
        if "update" in params:
            raise BadRequest("SPARQL Update must be sent with POST")
        if "query" in params:
            return "query", _single(params, "query"), params
        return None, "", params
    mimetype = request.mimetype
    if mimetype == FORM:
        params = MultiDict(request.args)
        for key, values in request.form.lists():
            params.setlist(key, params.getlist(key) + values)
        if "query" in params and "update" in params:
            raise BadRequest("send either a query or an update, not both")
        if "query" in params:
            return "query", _single(params, "query"), params
        if "update" in params:
            return "update", _single(params, "update"), params
        raise BadRequest("the form has neither a 'query' nor an 'update' field")
    if mimetype in (QUERY_TYPE, UPDATE_TYPE):
        charset = request.mimetype_params.get("charset", "utf-8")
        try:
            text = request.get_data().decode(charset)
        except (LookupError, UnicodeDecodeError) as exc:
            raise BadRequest(f"the body is not valid {charset}: {exc}") from None
        return ("query" if mimetype == QUERY_TYPE else "update"), text, request.args
    raise UnsupportedMediaType(
        f"POST /sparql takes {FORM}, {QUERY_TYPE} or {UPDATE_TYPE}, "
        f"not {mimetype or 'a body without Content-Type'}"
    )


def _single(params: MultiDict, key: str) -> str:
    values = params.getlist(key)
    if len(values) != 1:
        raise BadRequest(f"give exactly one '{key}' parameter, not {len(values)}")
    if not values[0].strip():
        raise BadRequest(f"the '{key}' parameter is empty")
    return values[0]


def _iris(params: MultiDict, key: str) -> tuple[str, ...] | None:
    values = params.getlist(key)
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError:
            raise BadRequest(f"{key}: {value!r} is not an absolute IRI") from None
    return tuple(values) if values else None


def _check_fetches(found: Scan, settings: Settings) -> None:
    """Reject, before evaluation, whatever would make the server fetch a non-allow-listed URL."""
    if found.loads:
        raise BadRequest(
            "LOAD is disabled: the endpoint never fetches remote data; "
            "send RDF to /store or reports to /reports instead"
        )
    forbidden = found.forbidden_services(settings.service_allowlist)
    if forbidden:
        allowed = ", ".join(f"<{s}>" for s in settings.service_allowlist) or "none"
        raise BadRequest(
            f"SERVICE {forbidden[0]} is not allowed: federated queries may only call the "
            f"allow-listed endpoints ({allowed})"
        )


def run_query(store: EndpointStore, settings: Settings, text: str, params: MultiDict) -> Response:
    """Answer a SPARQL query as ``/sparql`` does (the named-queries route runs through here too)."""
    return _query(store, settings, text, params)


def _query(store: EndpointStore, settings: Settings, text: str, params: MultiDict) -> Response:
    found = scan(text, settings.base_iri)
    _check_fetches(found, settings)
    default_graphs = _iris(params, "default-graph-uri")
    named_graphs = _iris(params, "named-graph-uri")
    for iri in (*found.from_graphs, *found.from_named_graphs, *(default_graphs or ()),
                *(named_graphs or ())):
        if not store.has_graph(iri):
            raise BadRequest(
                f"<{iri}> is not a graph of this store; the endpoint does not fetch remote "
                "graphs, so FROM and default-graph-uri / named-graph-uri name local graphs only"
            )
    requested = next((params.get(p) for p in FORMAT_PARAMS if params.get(p)), None)
    accept = request.headers.get("Accept")
    results_format = choose(RESULT_FORMATS, accept, requested)
    graph_format = choose(GRAPH_FORMATS, accept, requested)
    if found.form:  # when the form is known, 406 before any work
        is_results = found.form in ("SELECT", "ASK")
        if (results_format if is_results else graph_format) is None:
            formats = RESULT_FORMATS if is_results else GRAPH_FORMATS
            raise NotAcceptable(
                f"{found.form} results are available as {describe(formats)}; the Accept "
                "header or format parameter allows none of them"
            )
    answer = store.query(
        QueryRequest(
            query=text,
            base_iri=settings.base_iri,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            union_default_graph=not (found.from_graphs or found.from_named_graphs),
            results_format=results_format.name if results_format else None,
            graph_format=graph_format.name if graph_format else None,
            limit=settings.result_limit,
            uses_service=bool(found.services),
        )
    )
    response = Response(answer.body, content_type=answer.content_type)
    response.headers["Vary"] = "Accept"
    return response


def _update(store: EndpointStore, settings: Settings, text: str, params: MultiDict) -> Response:
    require_token(settings)
    found = scan(text, settings.base_iri)
    # using-graph-uri / using-named-graph-uri set the dataset of the WHERE clauses, as USING
    # clauses would; without a WHERE (INSERT DATA, CLEAR...) they change nothing
    try:
        text = with_using(text, params.getlist("using-graph-uri"), params.getlist("using-named-graph-uri"))
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
    _check_fetches(found, settings)
    with store.writing() as graph_store:
        try:
            graph_store.ox.update(text, base_iri=settings.base_iri)
        except SyntaxError as exc:
            raise BadRequest(f"malformed update: {exc}") from None
    return Response(status=204)

