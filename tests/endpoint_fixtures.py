"""Helpers shared by the endpoint tests: a tiny store, settings, a real server on a free port."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
from flask import Flask
from waitress import wasyncore
from waitress.server import BaseWSGIServer

from narcograph.config import Settings
from narcograph.endpoint import create_app
from narcograph.endpoint.server import make_server, url_of
from narcograph.store import GraphStore

DATA = Path(__file__).parent / "data" / "endpoint"
DATASET = DATA / "dataset.trig"
ID = "https://w3id.org/narcograph/id/"
NG = "https://w3id.org/narcograph/ontology#"
TOKEN = "test-token-7f3a"


def build_store(path: Path | None) -> GraphStore:
    """Return a store (on disk at ``path``, or in memory) holding the test dataset."""
    store = GraphStore(path)
    store.ox.load(path=str(DATASET), format=ox.RdfFormat.TRIG)
    store.flush()
    return store


def make_settings(store_path: Path | None, **overrides: object) -> Settings:
    """Return settings for tests, independent of the environment and of config files."""
    base = Settings(store=str(store_path or "unused"), threads=2, query_timeout=10.0)
    return replace(base, **overrides)  # type: ignore[arg-type]


@contextmanager
def app_over(store_path: Path | None, **overrides: object) -> Iterator[Flask]:
    """Yield an app over a fresh copy of the test dataset; release its workers afterwards."""
    store = build_store(store_path)
    app = create_app(make_settings(store_path, **overrides), store)
    try:
        yield app
    finally:
        app.extensions["narcograph"].close()


@contextmanager
def running(app: Flask) -> Iterator[str]:
    """Serve ``app`` with waitress on a free port of 127.0.0.1; yield its base URL."""
    settings = app.extensions["narcograph"].settings
    server = make_server(app, replace(settings, host="127.0.0.1"), port=0)
    with serving(server):
        yield url_of(server, "127.0.0.1")


@contextmanager
def serving(server: BaseWSGIServer) -> Iterator[None]:
    """Run a waitress server in a thread; stop it from that same thread afterwards.

    ``server.close()`` from another thread races with the loop's ``select`` (EBADF), so the
    loop runs in short turns and closes everything itself once asked to stop.
    """
    stop = threading.Event()

    def loop() -> None:
        try:
            while not stop.is_set():
                server.asyncore.loop(timeout=0.05, map=server._map, count=1)
        finally:
            server.task_dispatcher.shutdown()
            wasyncore.close_all(server._map, ignore_all=True)

    thread = threading.Thread(target=loop, name="waitress-test", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(10)
