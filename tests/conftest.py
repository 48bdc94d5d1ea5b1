"""Shared fixtures: a fresh store and settings in tmp_path, the example reports, a CLI runner, and
a Wikidata stand-in SPARQL endpoint on 127.0.0.1."""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from narcograph.config import Settings, load_settings
from narcograph.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "reports"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    for var in ("NARCOGRAPH_STORE", "NARCOGRAPH_CONFIG", "NARCOGRAPH_TOKEN", "NARCOGRAPH_BASE_IRI"):
        monkeypatch.delenv(var, raising=False)
    return load_settings(store=str(tmp_path / "store"))


@pytest.fixture
def store(settings: Settings) -> GraphStore:
    return GraphStore(settings.store)


def load_sample(path: Path | None = None) -> GraphStore:
    """The hand-written sample graph (``data/graphs/sample.trig``) and its test vocabulary, in a
    store at ``path`` (in memory when None)."""
    from narcograph.vocabulary import ensure_vocabulary

    store = GraphStore(path)
    store.ox.load(path=str(DATA / "graphs" / "sample.trig"), format=ox.RdfFormat.TRIG)
    ensure_vocabulary(store, [("vocabulary.ttl", (DATA / "graphs" / "vocabulary.ttl").read_text("utf-8"))])
    return store


@pytest.fixture
def sample_store() -> Callable[[Path | None], GraphStore]:
    """:func:`load_sample`, for tests that need the sample graph in a store of their own."""
    return load_sample


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for var in ("NARCOGRAPH_STORE", "NARCOGRAPH_CONFIG", "NARCOGRAPH_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    return CliRunner()


# -- a Wikidata stand-in -----------------------------------------------------------------------
@dataclass
class StandIn:
    """A running stand-in endpoint: its URL and the queries it was sent."""

    url: str
    server: ThreadingHTTPServer
    queries: list[str] = field(default_factory=list)


def _handler(store: ox.Store, seen: list[str]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

        def _answer(self, query: str) -> None:
            seen.append(query)
            body = store.query(query).serialize(format=ox.QueryResultsFormat.JSON)  # type: ignore[union-attr]
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802
            self._answer(urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["query"][0])

        def do_POST(self) -> None:  # noqa: N802
            data = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
            if "form-urlencoded" in self.headers.get("Content-Type", ""):
                data = urllib.parse.parse_qs(data)["query"][0]
            self._answer(data)

    return Handler


@pytest.fixture
def wikidata() -> Iterator[StandIn]:
    """A Wikidata stand-in on 127.0.0.1 (ephemeral port) serving ``data/link/wikidata*.ttl``,
    stopped after the test."""
    store = ox.Store()
    for path in sorted((DATA / "link").glob("wikidata*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    seen: list[str] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(store, seen))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield StandIn(f"http://127.0.0.1:{server.server_port}/sparql", server, seen)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def down() -> str:
    """The URL of an endpoint that is not there: a port that was just free on 127.0.0.1."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    url = f"http://127.0.0.1:{server.server_port}/sparql"
    server.server_close()
    return url
