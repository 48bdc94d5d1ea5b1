"""Named queries over HTTP: ``GET /queries`` lists them, ``GET /queries/NAME?k=v`` runs one.

A named query runs exactly as the same text sent to ``/sparql`` would (same workers, limits,
formats and errors); its parameters are bound as typed RDF terms by the registry, never pasted.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from werkzeug.datastructures import MultiDict

from narcograph import queries
from narcograph.api import bind_values
from narcograph.config import Settings
from narcograph.endpoint.errors import BadRequest, NotFound
from narcograph.endpoint.sparql import FORMAT_PARAMS, run_query
from narcograph.endpoint.state import EndpointStore
from narcograph.errors import QueryError


def named_queries_blueprint(store: EndpointStore, settings: Settings) -> Blueprint:
    """Return the blueprint answering ``/queries`` and ``/queries/<name>`` over ``store``."""
    bp = Blueprint("named_queries", __name__)

    @bp.route("/queries", methods=["GET"])
    def listing() -> Response:
        return jsonify(
            [
                {
                    "name": q.name,
                    "title": q.title,
                    "description": q.description,
                    "url": f"{request.script_root}/queries/{q.name}",
                    "parameters": [
                        {
                            "name": p.name,
                            "type": p.type,
                            "default": p.default,
                            "required": p.required,
                            "description": p.description,
                        }
                        for p in q.parameters
                    ],
                }
                for q in queries.registry().values()
            ]
        )

    @bp.route("/queries/<name>", methods=["GET"])
    def run(name: str) -> Response:
        if name not in queries.registry():
            raise NotFound(f"no named query {name!r}; GET /queries lists them")
        query = queries.get(name)
        params = {k: v for k, v in request.args.items() if k not in FORMAT_PARAMS}
        try:
            text = bind_values(query.text, query.substitutions(params))
        except QueryError as exc:
            raise BadRequest(str(exc)) from None
        return run_query(store, settings, text, MultiDict(request.args))

    return bp
