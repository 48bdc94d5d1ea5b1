"""``POST /reports``: a report file in, through the same pipeline as ``narcograph ingest``.

Answers 201 when a report was stored, 200 when nothing changed (already stored, or no operation
found), 422 with the SHACL violations when a report was rejected (nothing of it is written),
400 when the file cannot be read, 415 for a file type the readers do not know.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, request

from narcograph.config import Settings
from narcograph.endpoint.auth import require_token
from narcograph.endpoint.errors import BadRequest, Unprocessable, UnsupportedMediaType
from narcograph.endpoint.state import EndpointStore
from narcograph.store import GraphStore

REPORT_SUFFIXES = (".txt", ".md", ".json", ".jsonl", ".html", ".htm", ".csv")
Ingest = Callable[[Path, Settings, GraphStore], list[Any]]


def ingest_file(path: Path, settings: Settings, store: GraphStore) -> list[Any]:
    """Run the ingest pipeline over one file; return one Outcome per report (or unreadable item)."""
    from narcograph.errors import IngestError
    from narcograph.ingest.pipeline import FAILED, STORED, Outcome, process_report, read_report_items

    outcomes = []
    for item in read_report_items(path):
        if isinstance(item, IngestError):
            outcomes.append(Outcome(item.where or path.name, FAILED, item.message))
        else:
            outcomes.append(process_report(item, settings, store))
    if any(o.status == STORED for o in outcomes):
        from narcograph.link import link_operations

        link_operations(store)  # the same operation told by several reports is counted once
    return outcomes


def reports_blueprint(store: EndpointStore, settings: Settings,
                      ingest: Ingest = ingest_file) -> Blueprint:
    """Return the blueprint of ``POST /reports``; ``ingest`` is the pipeline call (swappable)."""
    bp = Blueprint("reports", __name__)
    folder: list[Path] = []  # made on first upload

    @bp.post("/reports")
    def upload() -> Response:
        require_token(settings)
        name, data = _read_upload()
        with store.writing() as graph_store:  # the lock also keeps two uploads of a name apart
            if not folder:
                folder.append(_upload_folder(graph_store))
            path = folder[0] / name
            path.write_bytes(data)
            try:
                outcomes = ingest(path, settings, graph_store)
            finally:
                path.unlink(missing_ok=True)
        for o in outcomes:  # messages name the uploaded file, not the server's folder
            o.origin = str(o.origin).replace(str(folder[0]) + "/", "")
        return _answer(outcomes)

    return bp


def _upload_folder(store: GraphStore) -> Path:
    """Return the folder uploads are read from: beside the store, always the same one.

    A report without a URL gets its IRI from its file's path, so the path of an upload must
    not change between uploads of the same file name, nor between server runs.
    """
    if store.path is None:
        return Path(tempfile.mkdtemp(prefix="narcograph-uploads-"))
    path = store.path.parent / f".{store.path.name}-uploads"
    path.mkdir(mode=0o700, exist_ok=True)
    return path.resolve()


def _read_upload() -> tuple[str, bytes]:
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise BadRequest("the form has no 'file' field with a file name")
        name, data = upload.filename, upload.read()
    else:
        name = request.args.get("filename", "")
        if not name:
            raise BadRequest(
                "send the report as multipart 'file', or as the body with ?filename=NAME.txt"
            )
        data = request.get_data()
    # Only the base name, in safe characters: it names the temporary file and the report origin.
    name = re.sub(r"[^\w.\-]+", "_", Path(name.replace("\\", "/")).name).lstrip(".") or "report"
    if Path(name).suffix.lower() not in REPORT_SUFFIXES:
        raise UnsupportedMediaType(
            f"{name}: reports are read from {', '.join(REPORT_SUFFIXES)} files"
        )
    if not data:
        raise BadRequest(f"{name}: the file is empty")
    return name, data


def _violation(v: Any) -> dict[str, str | None]:
    def text(*names: str) -> str | None:
        for n in names:
            value = getattr(v, n, None)
            if value is not None:
                return str(value)
        return None

    return {
        "focus": text("focus", "focus_node"),
        "path": text("path", "result_path"),
        "message": text("message") or str(v),
    }


def _outcome(o: Any) -> dict[str, Any]:
    out = {
        "origin": o.origin,
        "status": o.status,
        "graph": o.graph_iri,
        "operations": len(o.operations),
        "triples": o.triples,
    }
    if o.message:
        out["message"] = o.message
    if o.violations:
        out["violations"] = [_violation(v) for v in o.violations]
    return out


def _answer(outcomes: list[Any]) -> Response:
    reports = [_outcome(o) for o in outcomes]
    statuses = {o.status for o in outcomes}
    if "rejected" in statuses:
        violations = [
            {"report": r["origin"], **v} for r in reports for v in r.get("violations", [])
        ]
        rejected = [r["origin"] for r in reports if r["status"] == "rejected"]
        raise Unprocessable(
            f"{', '.join(rejected)}: the report violates the shapes; nothing of it was written",
            violations=violations,
            reports=reports,
        )
    if not outcomes or statuses == {"failed"}:
        detail = "; ".join(r.get("message", "") for r in reports) or "no report found in the file"
        raise BadRequest(detail, reports=reports)
    first = reports[0]
    body = {
        "status": first["status"] if len(reports) == 1 else "stored" if "stored" in statuses
        else first["status"],
        "graph": first["graph"] if len(reports) == 1 else None,
        "operations": sum(r["operations"] for r in reports),
        "reports": reports,
    }
    status = 201 if "stored" in statuses else 200
    response = Response(json.dumps(body), status=status, mimetype="application/json")
    if status == 201 and len(reports) == 1 and first["graph"]:
        response.headers["Location"] = first["graph"]
    return response
