"""The store as the app holds it: opened on first use, its query executor, its write lock."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from narcograph.config import Settings
from narcograph.endpoint.evaluate import Answer, QueryRequest
from narcograph.endpoint.executor import Executor, make_executor
from narcograph.store import GraphStore


class EndpointStore:
    """One per app. Reads go through :meth:`query`; writes through :meth:`writing`.

    ``store`` given by the caller stays the caller's; otherwise ``settings.store`` is opened on
    first use and released by :meth:`close`. Raises StoreError when the store cannot be opened.
    """

    def __init__(self, settings: Settings, store: GraphStore | None = None) -> None:
        self.settings = settings
        self._store = store
        self._owned = store is None
        self._executor: Executor | None = None
        self._open_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._stats: tuple[int, int] | None = None
        self._generation = 0  # counts writes: what is cached under an older one is stale
        self._cache: dict[str, tuple[int, Any]] = {}
        self._cache_lock = threading.Lock()

    @property
    def graph_store(self) -> GraphStore:
        """The GraphStore, opened on first use."""
        if self._store is None:
            with self._open_lock:
                if self._store is None:
                    self._store = GraphStore(self.settings.store)
        return self._store

    @property
    def executor(self) -> Executor:
        """The query executor (worker processes for an on-disk store), made on first use."""
        if self._executor is None:
            store = self.graph_store
            with self._open_lock:
                if self._executor is None:
                    self._executor = make_executor(
                        store, self.settings.threads, self.settings.query_timeout
                    )
        return self._executor

    def query(self, request: QueryRequest, timeout: float | None = None) -> Answer:
        """Answer a query within ``timeout`` (default: the time limit); raises EndpointError
        subclasses."""
        if timeout is None:
            return self.executor.run(request)
        return self.executor.run(request, timeout)

    @contextmanager
    def writing(self) -> Iterator[GraphStore]:
        """Hold the write lock around a change; afterwards queries see it."""
        with self._write_lock:
            try:
                yield self.graph_store
            finally:
                self.graph_store.flush()
                self._stats = None
                self.executor.refresh()
                self._generation += 1  # after the snapshot, so recomputations see the change

    def has_graph(self, iri: str) -> bool:
        import pyoxigraph as ox

        return bool(self.graph_store.ox.contains_named_graph(ox.NamedNode(iri)))

    def stats(self) -> tuple[int, int]:
        """Return ``(triples, named graphs)``, counted once per change (a full scan)."""
        stats = self._stats
        if stats is None:
            store = self.graph_store
            stats = (len(store), sum(1 for _ in store.graphs()))
            self._stats = stats
        return stats

    def cached(self, key: str, compute: Callable[[], Any]) -> Any:
        """Return ``compute()``, computed once per change of the store (e.g. the VoID counts).

        One computation at a time, so that a burst of first requests runs it once; whatever
        ``compute`` raises is not cached.
        """
        with self._cache_lock:
            generation = self._generation
            entry = self._cache.get(key)
            if entry is not None and entry[0] == generation:
                return entry[1]
            value = compute()
            if self._generation == generation:  # no write finished meanwhile
                self._cache[key] = (generation, value)
            return value

    def close(self) -> None:
        """Stop the query workers and drop the store this object opened."""
        if self._executor is not None:
            self._executor.close()
            self._executor = None
        if self._owned:
            self._store = None  # pyoxigraph closes RocksDB (and its lock) when the object goes
