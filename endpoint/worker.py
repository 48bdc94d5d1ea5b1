"""The query worker process: opens store snapshots read-only and answers queries over a pipe.

Kept small on purpose: it is what the server kills when a query passes its time limit.
"""

from __future__ import annotations

import logging
import signal
from multiprocessing.connection import Connection

import pyoxigraph as ox

from narcograph.endpoint.errors import EndpointError
from narcograph.endpoint.evaluate import evaluate

log = logging.getLogger("narcograph.endpoint.worker")


def main(conn: Connection) -> None:
    """Answer ``(snapshot_dir, QueryRequest)`` messages until None or the pipe closes."""
    # Ctrl-C in the terminal reaches the whole process group: the parent stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    store: ox.Store | None = None
    opened: str | None = None
    conn.send("ready")
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        snapshot, request = message
        try:
            if snapshot != opened:
                store = None  # release the previous snapshot's files before opening the next
                store = ox.Store.read_only(snapshot)
                opened = snapshot
            reply: tuple = ("ok", evaluate(store, request))  # type: ignore[arg-type]
        except EndpointError as exc:
            reply = ("error", exc.status, exc.title, exc.detail, exc.extra)
        except Exception:  # the parent needs an answer to every request; it sends a plain 500
            log.exception("query worker failed")
            reply = ("error", 500, "Internal Server Error", "the query could not be evaluated", {})
        conn.send(reply)
