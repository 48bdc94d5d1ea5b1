"""``narcograph serve``: the endpoint under waitress, a production WSGI server."""

from __future__ import annotations

import logging
import signal
import sys
import threading

from flask import Flask
from waitress.server import BaseWSGIServer, MultiSocketServer, create_server

from narcograph.config import Settings
from narcograph.endpoint import create_app
from narcograph.endpoint.executor import WorkerPool
from narcograph.store import GraphStore

# waitress cuts off bodies past this margin over the app's own limit; the app answers 413 with
# the JSON error body first.
_BODY_MARGIN = 1024 * 1024


def make_server(app: Flask, settings: Settings, *, port: int | None = None) -> BaseWSGIServer:
    """Return a bound (not yet running) waitress server for ``app``."""
    server = create_server(
        app,
        host=settings.host,
        port=settings.port if port is None else port,
        threads=settings.threads,
        ident="narcograph",
        max_request_body_size=settings.max_body_bytes + _BODY_MARGIN,
        clear_untrusted_proxy_headers=True,
    )
    assert not isinstance(server, MultiSocketServer), "one host, one socket"
    return server


def url_of(server: BaseWSGIServer, host: str) -> str:
    """Return ``http://HOST:PORT`` for a bound server."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{server.effective_port}"


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(0)


def serve(settings: Settings, store: GraphStore | None = None) -> None:
    """Serve ``store`` until interrupted; print the endpoint URL once it accepts connections.

    Raises StoreError when the store cannot be opened.
    """
    if not logging.getLogger("narcograph").handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
        logging.getLogger("narcograph").addHandler(handler)
        logging.getLogger("narcograph").setLevel(logging.INFO)
    app = create_app(settings, store)
    state = app.extensions["narcograph"]
    if threading.current_thread() is threading.main_thread():
        # A service manager stops with SIGTERM: leave through the `finally`s, which stop the
        # query workers and delete the snapshots.
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        executor = state.executor
        if isinstance(executor, WorkerPool):
            executor.wait_ready()
        triples, _ = state.stats()
        server = make_server(app, settings)
        print(f"narcograph serving {triples} triples at {url_of(server, settings.host)}/sparql",
              flush=True)
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            server.close()
    finally:
        state.close()
