"""The endpoint's exceptions and the one JSON error body every failure is answered with.

Every error is ``{"error": {"status": 400, "title": "Bad Request", "detail": "..."}}``; extra
members (e.g. ``violations``) go beside ``detail``. A 5xx never carries internals: the detail is
a fixed sentence plus the request id that the access log repeats.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Flask, Response, g
from werkzeug.exceptions import HTTPException

from narcograph.errors import NarcographError

log = logging.getLogger("narcograph.endpoint")


class EndpointError(NarcographError):
    """An error answered with ``status``; ``detail`` is shown to the client as it is."""

    status = 500
    title = "Internal Server Error"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra
        self.headers: dict[str, str] = {}


class BadRequest(EndpointError):
    """Malformed query, update or parameters (400)."""

    status, title = 400, "Bad Request"


class Unauthorized(EndpointError):
    """A write without a bearer token (401)."""

    status, title = 401, "Unauthorized"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.headers["WWW-Authenticate"] = 'Bearer realm="narcograph"'


class Forbidden(EndpointError):
    """A write with a wrong token, or any write while writes are disabled (403)."""

    status, title = 403, "Forbidden"


class NotFound(EndpointError):
    """No such graph or resource (404)."""

    status, title = 404, "Not Found"


class NotAcceptable(EndpointError):
    """The Accept header names no format this result has (406)."""

    status, title = 406, "Not Acceptable"


class UnsupportedMediaType(EndpointError):
    """A request body of a type the route does not read (415)."""

    status, title = 415, "Unsupported Media Type"


class Unprocessable(EndpointError):
    """Well-formed but not acceptable: too many results, or a report violating the shapes (422)."""

    status, title = 422, "Unprocessable Content"


class QueryTimeout(EndpointError):
    """The query ran past the time limit and was stopped (503)."""

    status, title = 503, "Query Timeout"


class Unavailable(EndpointError):
    """No query worker could take the query in time, or the worker died (503)."""

    status, title = 503, "Service Unavailable"


def error_response(status: int, title: str, detail: str, headers: dict | None = None,
                   **extra: Any) -> Response:
    """Return the JSON error body for ``status``."""
    body = {"error": {"status": status, "title": title, "detail": detail, **extra}}
    response = Response(json.dumps(body), status=status, mimetype="application/json")
    response.headers.update(headers or {})
    return response


def register_error_handlers(app: Flask) -> None:
    """Answer every error, ours, werkzeug's and unexpected ones, with the JSON error body."""

    @app.errorhandler(EndpointError)
    def _endpoint_error(exc: EndpointError) -> Response:
        if exc.status >= 500:
            log.warning("request %s: %s", g.get("request_id", "-"), exc.detail)
        return error_response(exc.status, exc.title, exc.detail, exc.headers, **exc.extra)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        detail = exc.description or exc.name
        if status == 413:
            limit = app.config.get("MAX_CONTENT_LENGTH")
            detail = f"the request body is larger than the limit of {limit} bytes"
        if status >= 500:
            detail = _internal_detail()
        response = error_response(status, exc.name, detail)
        if status == 405 and exc.get_response().headers.get("Allow"):
            response.headers["Allow"] = exc.get_response().headers["Allow"]
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("request %s failed", g.get("request_id", "-"))
        return error_response(500, "Internal Server Error", _internal_detail())


def _internal_detail() -> str:
    return f"the server failed to answer; request id {g.get('request_id', '-')}"
