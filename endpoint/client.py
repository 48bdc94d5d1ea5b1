"""Send report files to a running endpoint (``narcograph ingest --endpoint URL --token T``)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from narcograph.errors import NarcographError


class UploadError(NarcographError):
    """The endpoint could not be reached, or answered with something other than JSON."""


def upload_reports(url: str, token: str | None, paths: Iterable[str | Path],
                   timeout: float = 300.0) -> list[dict[str, Any]]:
    """POST each file to ``URL/reports``; return one dict per file.

    Each dict is the server's JSON answer plus ``file`` (the path) and ``http_status``: 201/200
    bodies are ``{"status", "graph", "operations", "reports"}``, error bodies (400, 401, 403,
    415, 422 with ``violations``) are ``{"error": {...}}``. Raises UploadError when the server
    cannot be reached or does not answer JSON; a file that cannot be read raises OSError.

    >>> upload_reports("http://127.0.0.1:7878", "T", ["report.txt"])  # doctest: +SKIP
    [{'status': 'stored', 'graph': 'https://w3id.org/narcograph/id/...', ...}]
    """
    base = url.rstrip("/")
    if base.endswith("/sparql"):
        base = base[: -len("/sparql")]
    results = []
    for path in map(Path, paths):
        data = path.read_bytes()
        target = f"{base}/reports?{urllib.parse.urlencode({'filename': path.name})}"
        request = urllib.request.Request(target, data=data, method="POST")
        request.add_header("Content-Type", "application/octet-stream")
        request.add_header("Accept", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                status, body = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, body = exc.code, exc.read()
            exc.close()
        except (urllib.error.URLError, OSError) as exc:
            raise UploadError(f"cannot reach {base}/reports: {exc}") from exc
        try:
            answer = json.loads(body)
        except ValueError:
            raise UploadError(f"{base}/reports answered {status} without JSON") from None
        results.append({"file": str(path), "http_status": status, **answer})
    return results
