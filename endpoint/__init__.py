"""The HTTP face of narcograph: the SPARQL 1.1 protocol, report upload and health.

>>> from narcograph.config import load_settings
>>> app = create_app(load_settings(store=None))      # doctest: +SKIP

Routes: ``/sparql`` (query, update, service description), ``/store`` (Graph Store
Protocol), ``/reports`` (upload, token), ``/queries`` and ``/queries/<name>`` (named queries),
``/healthz``, ``/.well-known/void`` (VoID), and the
linked data pages ``/id/...``, ``/substance/<key>``, ``/ontology``. The app owns its store (opened on first
use from ``settings.store`` unless one is given) and its query workers;
``app.extensions["narcograph"].close()`` releases them.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, g, request

from narcograph.config import Settings
from narcograph.endpoint.errors import register_error_handlers
from narcograph.endpoint.graph_store import graph_store_blueprint
from narcograph.endpoint.health import health_blueprint
from narcograph.endpoint.linked_data import linked_data_blueprint
from narcograph.endpoint.named_queries import named_queries_blueprint
from narcograph.endpoint.reports import reports_blueprint
from narcograph.endpoint.sparql import sparql_blueprint
from narcograph.endpoint.state import EndpointStore
from narcograph.endpoint.void import void_blueprint
from narcograph.store import GraphStore

access_log = logging.getLogger("narcograph.access")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def create_app(settings: Settings, store: GraphStore | None = None) -> Flask:
    """Return the endpoint app over ``store`` (or over ``settings.store``, opened lazily)."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    # Form fields hold whole queries: the body limit is the only limit that should apply.
    app.config["MAX_FORM_MEMORY_SIZE"] = settings.max_body_bytes
    state = EndpointStore(settings, store)
    app.extensions["narcograph"] = state

    app.register_blueprint(sparql_blueprint(state, settings))
    app.register_blueprint(graph_store_blueprint(state, settings))
    app.register_blueprint(reports_blueprint(state, settings))
    app.register_blueprint(health_blueprint(state))
    app.register_blueprint(void_blueprint(state, settings))
    app.register_blueprint(linked_data_blueprint(state, settings))
    app.register_blueprint(named_queries_blueprint(state, settings))
    register_error_handlers(app)
    _add_request_hooks(app)
    return app


def _add_request_hooks(app: Flask) -> None:
    @app.before_request
    def _start() -> None:
        given = request.headers.get("X-Request-Id", "")
        g.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex[:16]
        g.started = time.perf_counter()

    @app.after_request
    def _finish(response: Response) -> Response:
        # CORS for reads, never with credentials: Authorization is not an allowed header, so a
        # browser page on another origin cannot send the write token.
        response.headers["Access-Control-Allow-Origin"] = "*"
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
            response.headers["Access-Control-Max-Age"] = "600"
        request_id = g.get("request_id", "-")
        response.headers["X-Request-Id"] = request_id
        millis = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        # The path only: query strings may hold long queries, and headers (the token) never.
        access_log.info(
            "%s %s %s %d %.1fms", request_id, request.method, request.path,
            response.status_code, millis,
        )
        return response
