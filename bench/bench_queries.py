"""What the endpoint's time limit costs: queries in worker processes vs in-process.

Run: ``.venv/bin/python bench/bench_queries.py [--triples 50000] [--repeat 200]``.
Prints, per query, the median time in-process (pyoxigraph + serialisation, no limit that can
stop an aggregate) and through the worker pool (snapshot + pipe + kill on timeout), the
snapshot cost per write, and the time to respawn a killed worker.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from narcograph.endpoint.errors import QueryTimeout
from narcograph.endpoint.evaluate import QueryRequest, evaluate
from narcograph.endpoint.executor import WorkerPool
from narcograph.store import GraphStore

EX = "https://w3id.org/narcograph/id/"
NG = "https://w3id.org/narcograph/ontology#"
QUERIES = {
    "ASK": f"ASK {{ <{EX}op-1> ?p ?o }}",
    "SELECT 10 rows": f"SELECT ?op ?n WHERE {{ ?op <{NG}arrestCount> ?n }} LIMIT 10",
    "SELECT 1000 rows": f"SELECT ?op ?n WHERE {{ ?op <{NG}arrestCount> ?n }} LIMIT 1000",
    "COUNT all": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "CONSTRUCT 1000": f"CONSTRUCT {{ ?op <{NG}arrestCount> ?n }} WHERE "
                      f"{{ ?op <{NG}arrestCount> ?n }} LIMIT 1000",
}


def fill(store: GraphStore, triples: int) -> None:
    quads = []
    for i in range(triples // 4):
        op, graph = ox.NamedNode(f"{EX}op-{i}"), ox.NamedNode(f"{EX}report-{i // 10}")
        quads += [
            ox.Quad(op, ox.NamedNode(f"{NG}arrestCount"), ox.Literal(str(i % 17),
                    datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), graph),
            ox.Quad(op, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                    ox.NamedNode(f"{NG}Operation"), graph),
            ox.Quad(op, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                    ox.Literal(f"Operation {i}", language="en"), graph),
            ox.Quad(op, ox.NamedNode(f"{NG}reportedIn"), ox.NamedNode(f"{EX}report-{i // 10}"),
                    graph),
        ]
    store.ox.bulk_extend(quads)
    store.flush()


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = GraphStore(Path(tmp) / "store")
        fill(store, args.triples)
        pool = WorkerPool(store, size=2, timeout=2.0)
        try:
            t = time.perf_counter()
            pool.wait_ready()
            print(f"store: {len(store)} triples; pool of 2 workers ready in "
                  f"{time.perf_counter() - t:.2f} s")
            print(f"{'query':<18}{'in-process ms':>15}{'worker ms':>12}{'overhead ms':>13}")
            for name, text in QUERIES.items():
                request = QueryRequest(text)
                for _ in range(10):  # warm each worker's caches, as a running server has them
                    pool.run(request)
                    evaluate(store.ox, request)
                inline = median_ms(lambda r=request: evaluate(store.ox, r), args.repeat)
                pooled = median_ms(lambda r=request: pool.run(r), args.repeat)
                print(f"{name:<18}{inline:>15.3f}{pooled:>12.3f}{pooled - inline:>13.3f}")

            writes = []
            for i in range(20):
                store.ox.add(ox.Quad(ox.NamedNode(f"{EX}w{i}"), ox.NamedNode(f"{NG}p"),
                                     ox.Literal("x")))
                start = time.perf_counter()
                pool.refresh()
                writes.append((time.perf_counter() - start) * 1000)
            print(f"snapshot after a write: median {statistics.median(writes):.1f} ms")

            runaway = QueryRequest("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . "
                                   "?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o }")
            start = time.perf_counter()
            try:
                pool.run(runaway, timeout=0.5)
            except QueryTimeout:
                pass
            stopped = time.perf_counter() - start
            start = time.perf_counter()
            pool.wait_ready()
            print(f"runaway query stopped after {stopped:.2f} s (limit 0.5 s); replacement "
                  f"worker ready {time.perf_counter() - start:.2f} s later")
        finally:
            pool.close()


if __name__ == "__main__":
    main()
