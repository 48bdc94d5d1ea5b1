"""``/healthz``: is the server up, and how much does it hold."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from narcograph import __version__
from narcograph.endpoint.state import EndpointStore


def health_blueprint(store: EndpointStore) -> Blueprint:
    """Return the blueprint of ``GET /healthz``."""
    bp = Blueprint("health", __name__)

    @bp.get("/healthz")
    def healthz() -> ResponseReturnValue:
        triples, graphs = store.stats()
        return jsonify(status="ok", triples=triples, graphs=graphs, version=__version__)

    return bp
