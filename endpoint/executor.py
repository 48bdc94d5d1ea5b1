"""Query execution with a time limit that really stops runaway queries.

Design note
-----------
What pyoxigraph 0.5 allows: ``Store.query`` has no timeout or cancel; a thread running it cannot
be interrupted; stopping the iteration of a streaming result stops the work, but an aggregate
or a sort yields nothing until it is done; only one process may open the store read-write, and
a read-only open beside a live writer is undefined behaviour.

So the only way to stop an aggregate that would run for hours is to end the process that
evaluates it, and that process cannot be the server, which owns the store and the writes. The
endpoint therefore splits the two:

1. **Snapshots.** The server keeps the store open read-write. At start and after every write it
   takes a snapshot with ``Store.backup`` into a private folder beside the store. On the same
   file system that is a RocksDB checkpoint of hard links (a few ms, almost no disk), and since
   nothing ever writes to a snapshot, opening it read-only is well defined.
2. **Worker processes.** Queries run in a pool of ``settings.threads`` worker processes
   (spawned, not forked: the parent runs RocksDB threads). A worker opens the newest snapshot
   read-only (once per snapshot), evaluates the query, serialises the *whole* answer bounded by
   the result limit, and sends the bytes over a pipe. Only then does the server pick a status.
3. **Kill on timeout.** The request thread waits for the answer until the query's deadline;
   past it, it kills the worker (SIGKILL frees the CPU at once), answers 503 with the JSON error,
   and starts a replacement that joins the pool once it is ready, so that no query pays (or
   counts against its limit) a start-up. Other requests meanwhile use the other workers; when
   all are busy past the limit, the answer is 503 with Retry-After.

Reads see every write acknowledged before them, because a write makes its snapshot before it
answers. A snapshot is deleted once it is neither current nor open in a worker (an idle worker
keeps its last one until its next query); snapshots left by a killed server are deleted at
the next start, since only the process holding the store's lock can use them.

Costs, measured by ``bench/bench_queries.py`` (50,000 triples, 2 CPUs): per query a pipe round
trip and the copy of the answer, about 0.2 ms over the same query in-process for an ASK or a
10-row SELECT and 1-1.5 ms for a 1,000-row answer or a full-store COUNT; 10-20 ms per write
for the snapshot; 0.35-0.5 s to start a replacement worker (off the request path); and the
memory of one RocksDB reader per worker. A runaway query is answered within ~30 ms of its
limit.

Left as they are: SPARQL Update runs in the server process without a time limit (updates need
the write token, so they come from trusted clients), and in-memory stores, which cannot be
snapshotted, use :class:`InlineExecutor`, whose limit is checked between results: it stops
streaming queries, not aggregates. That mode serves tests and notebooks, not networks.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import queue
import shutil
import tempfile
import threading
import time
import weakref
from pathlib import Path
from typing import Protocol

from narcograph.endpoint import worker as worker_module
from narcograph.endpoint.errors import EndpointError, QueryTimeout, Unavailable
from narcograph.endpoint.evaluate import Answer, QueryRequest, evaluate
from narcograph.store import GraphStore

log = logging.getLogger("narcograph.endpoint")


class Executor(Protocol):
    """Runs queries under a time limit; told when the store changed."""

    def run(self, request: QueryRequest, timeout: float | None = None) -> Answer: ...

    def refresh(self) -> None: ...

    def close(self) -> None: ...


class InlineExecutor:
    """Run queries in the calling thread, checking the deadline between results."""

    def __init__(self, store: GraphStore, timeout: float) -> None:
        self.store = store
        self.timeout = timeout

    def run(self, request: QueryRequest, timeout: float | None = None) -> Answer:
        limit = self.timeout if timeout is None else timeout
        return evaluate(self.store.ox, request, deadline=time.monotonic() + limit)

    def refresh(self) -> None:
        """Nothing to do: queries read the live store."""

    def close(self) -> None:
        """Nothing to release."""


class _Snapshot:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.refs = 0


class Snapshots:
    """Read-only checkpoints of a store, newest first in line, deleted once unused."""

    def __init__(self, store: GraphStore) -> None:
        assert store.path is not None, "in-memory stores cannot be snapshotted"
        self._store = store
        prefix = f".{store.path.name}-snapshots-"
        # Left by a server that was killed: no one else can use them, since we hold the store.
        for stale in store.path.parent.glob(prefix + "*"):
            shutil.rmtree(stale, ignore_errors=True)
        try:  # beside the store, so that checkpoints are hard links, not copies
            root = tempfile.mkdtemp(prefix=prefix, dir=store.path.parent)
        except OSError:
            root = tempfile.mkdtemp(prefix="narcograph-snapshots-")
        self.root = Path(root)
        self._lock = threading.Lock()
        self._count = 0
        self.current: _Snapshot | None = None
        self.refresh()

    def refresh(self) -> None:
        """Take a new snapshot of the store; it is the one queries use from now on."""
        with self._lock:
            self._count += 1
            path = self.root / f"{self._count:06d}"
            self._store.ox.backup(str(path))
            old, self.current = self.current, _Snapshot(path)
            if old is not None and old.refs == 0:
                shutil.rmtree(old.path, ignore_errors=True)

    def acquire(self) -> _Snapshot:
        """Return the current snapshot, counted as open until :meth:`release`."""
        with self._lock:
            assert self.current is not None
            self.current.refs += 1
            return self.current

    def release(self, snapshot: _Snapshot) -> None:
        with self._lock:
            snapshot.refs -= 1
            if snapshot.refs == 0 and snapshot is not self.current:
                shutil.rmtree(snapshot.path, ignore_errors=True)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


class _Worker:
    def __init__(self, ctx: mp.context.SpawnContext) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=worker_module.main, args=(child,), name="narcograph-query", daemon=True
        )
        self.process.start()
        child.close()
        self.snapshot: _Snapshot | None = None
        self._kill_lock = threading.Lock()
        self._killed = False

    def wait_ready(self, timeout: float = 60.0) -> bool:
        """Wait for the worker's "ready" message (sent once its imports are done)."""
        try:
            return self.conn.poll(timeout) and self.conn.recv() == "ready"
        except (EOFError, OSError, ValueError):  # killed, or closed by another thread
            return False

    def kill(self) -> None:
        """Stop the process now; safe to call from several threads, and more than once."""
        with self._kill_lock:
            if self._killed:
                return
            self._killed = True
            self.process.kill()
            self.process.join(5)
            self.conn.close()


class _Resources:
    """What must be released even if the pool is never closed (run by weakref.finalize)."""

    def __init__(self) -> None:
        self.workers: set[_Worker] = set()
        self.snapshots: Snapshots | None = None

    def release(self) -> None:
        for w in list(self.workers):
            w.kill()
        self.workers.clear()
        if self.snapshots is not None:
            self.snapshots.close()


class WorkerPool:
    """Run each query in a worker process over a store snapshot; kill it at the time limit.

    Raises QueryTimeout (503) past the limit, Unavailable (503) when no worker is free in time
    or a worker died, and the worker's own EndpointError (400, 406, 422, ...) otherwise.
    """

    def __init__(self, store: GraphStore, size: int, timeout: float) -> None:
        self.store = store
        self.size = max(1, size)
        self.timeout = timeout
        self._ctx = mp.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._res = _Resources()
        self._closed = False
        self._finalizer = weakref.finalize(self, self._res.release)

    def start(self) -> None:
        """Take the first snapshot and start the workers (done by the first query otherwise)."""
        with self._lock:
            if self._res.snapshots is not None or self._closed:
                return
            self._res.snapshots = Snapshots(self.store)
            for _ in range(self.size):
                self._add_worker()

    def _add_worker(self) -> None:
        # A worker joins the idle queue once it has started, so that no query pays (or counts
        # against its time limit) the start-up of a replacement.
        w = _Worker(self._ctx)
        self._res.workers.add(w)

        def enlist() -> None:
            ready = w.wait_ready()
            if ready and not self._closed:
                self._idle.put(w)
                return
            if not self._closed:
                log.error("a query worker failed to start")
                with self._lock:
                    self._res.workers.discard(w)
            w.kill()

        threading.Thread(target=enlist, name="narcograph-worker-start", daemon=True).start()

    def wait_ready(self, timeout: float = 60.0) -> bool:
        """Start the pool and wait until every worker can take a query (used at server start)."""
        self.start()
        end = time.monotonic() + timeout
        while self._idle.qsize() < self.size and time.monotonic() < end:
            time.sleep(0.02)
        return self._idle.qsize() >= self.size

    def pids(self) -> list[int]:
        """Return the process ids of the live workers (for tests and monitoring)."""
        return [w.process.pid for w in list(self._res.workers) if w.process.pid is not None]

    def refresh(self) -> None:
        """Make queries from now on see the store as it is (call after each write)."""
        if self._res.snapshots is not None:
            self._res.snapshots.refresh()

    def run(self, request: QueryRequest, timeout: float | None = None) -> Answer:
        self.start()
        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        try:
            w = self._idle.get(timeout=limit)
        except queue.Empty:
            busy = Unavailable(
                f"all {self.size} query workers stayed busy for {limit:g} s; try again later"
            )
            busy.headers["Retry-After"] = "5"
            raise busy from None
        snapshots = self._res.snapshots
        assert snapshots is not None
        try:
            snapshot = snapshots.acquire()
            if w.snapshot is not None:
                snapshots.release(w.snapshot)
            w.snapshot = snapshot
            w.conn.send((str(snapshot.path), request))
            if not w.conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace(w)
                raise QueryTimeout(
                    f"the query ran past the time limit of {limit:g} s and was stopped; "
                    "narrow it or add LIMIT"
                )
            reply = w.conn.recv()
        except (EOFError, OSError):
            self._replace(w)
            raise Unavailable("the query worker stopped unexpectedly; try again") from None
        self._idle.put(w)
        if reply[0] == "ok":
            return reply[1]
        _, status, title, detail, extra = reply
        error = EndpointError(detail, **extra)
        error.status, error.title = status, title
        raise error

    def _replace(self, w: _Worker) -> None:
        w.kill()
        with self._lock:
            self._res.workers.discard(w)
            if w.snapshot is not None and self._res.snapshots is not None:
                self._res.snapshots.release(w.snapshot)
            if not self._closed:
                self._add_worker()

    def close(self) -> None:
        """Stop the workers and delete the snapshots."""
        with self._lock:
            self._closed = True
        self._finalizer()


def make_executor(store: GraphStore, threads: int, timeout: float) -> Executor:
    """Return a WorkerPool for an on-disk store, an InlineExecutor for an in-memory one."""
    if store.path is None:
        return InlineExecutor(store, timeout)
    return WorkerPool(store, threads, timeout)
