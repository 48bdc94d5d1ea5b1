"""Evaluate one query against a pyoxigraph store into a finished answer (bytes and type).

Runs in a query worker process (see ``narcograph.endpoint.executor``) or, for in-memory
stores, in the request thread. Either way the whole body is produced before a status is chosen.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pyoxigraph as ox

from narcograph.endpoint import errors
from narcograph.endpoint.formats import GRAPH_FORMATS, RESULT_FORMATS, describe
from narcograph.endpoint.serialize import (
    DeadlinePassed,
    TooManyResults,
    boolean_bytes,
    bounded,
    graph_bytes,
    solutions_bytes,
)

log = logging.getLogger("narcograph.endpoint")
_BY_NAME = {f.name: f for f in RESULT_FORMATS + GRAPH_FORMATS}


@dataclass(frozen=True)
class QueryRequest:
    """A query with its dataset, the formats acceptable for each result kind, and its limit.

    ``default_graphs`` / ``named_graphs`` None means "as the query says, else the union of all
    graphs". A format None means the client accepts no format of that kind (406).
    """

    query: str
    base_iri: str | None = None
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    union_default_graph: bool = True
    results_format: str | None = "json"
    graph_format: str | None = "turtle"
    limit: int = 100_000
    uses_service: bool = False


@dataclass(frozen=True)
class Answer:
    """A finished successful answer."""

    content_type: str
    body: bytes
    kind: str  # "solutions", "boolean" or "graph"


def evaluate(store: ox.Store, req: QueryRequest, deadline: float | None = None) -> Answer:
    """Run ``req`` on ``store``; raise an EndpointError subclass for anything but success.

    ``deadline`` (``time.monotonic()``) is checked between results; it stops streaming queries
    only, which is why the server runs queries in killable worker processes.
    """
    kwargs: dict[str, object] = {}
    if req.default_graphs is not None or req.named_graphs is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in req.default_graphs or ()]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in req.named_graphs or ()]
    elif req.union_default_graph:
        kwargs["use_default_graph_as_union"] = True
    try:
        result = store.query(req.query, base_iri=req.base_iri, **kwargs)  # type: ignore[arg-type]
        if isinstance(result, ox.QuerySolutions):
            fmt = _format(req.results_format, RESULT_FORMATS, "SELECT")
            variables = [v.value for v in result.variables]
            width = len(variables)
            rows = bounded(([s[i] for i in range(width)] for s in result), req.limit, deadline)
            return Answer(fmt.content_type, solutions_bytes(variables, rows, fmt), "solutions")
        if isinstance(result, ox.QueryBoolean):
            fmt = _format(req.results_format, RESULT_FORMATS, "ASK")
            return Answer(fmt.content_type, boolean_bytes(result, fmt), "boolean")
        fmt = _format(req.graph_format, GRAPH_FORMATS, "CONSTRUCT and DESCRIBE")
        triples = bounded(result, req.limit, deadline)
        return Answer(fmt.content_type, graph_bytes(triples, fmt), "graph")
    except SyntaxError as exc:
        raise errors.BadRequest(f"malformed query: {exc}") from None
    except TooManyResults:
        raise errors.Unprocessable(
            f"the query has more than {req.limit} results, the limit of this endpoint; "
            "add LIMIT or narrow the query"
        ) from None
    except DeadlinePassed:
        raise errors.QueryTimeout("the query ran past the time limit and was stopped") from None
    except OSError as exc:
        if req.uses_service:
            error = errors.EndpointError(f"a SERVICE call failed: {exc}")
            error.status, error.title = 502, "Bad Gateway"
            raise error from None
        log.error("query evaluation failed: %s", exc)
        raise errors.EndpointError("the query could not be evaluated") from None


def _format(name: str | None, formats: tuple, kind: str) -> object:
    if name is None:
        raise errors.NotAcceptable(
            f"{kind} results are available as {describe(formats)}; the Accept header or "
            "format parameter allows none of them"
        )
    return _BY_NAME[name]
