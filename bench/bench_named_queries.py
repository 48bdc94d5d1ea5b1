"""How fast every named query answers on a store where the same entities recur in many reports.

Run: ``.venv/bin/python bench/bench_named_queries.py [--copies 40] [--limit 30] [--save-reference]``.
The example reports are ingested ``--copies`` times under distinct URLs into a fresh on-disk
store, and linked (every copy of an operation is the same real operation). Countries, places and
agencies are described again in every report graph that names them, so this is the shape of a
real store after months of reports on the same region, where joins through those descriptions
grow with the number of reports. Each query runs in its own process, three times, stopped after
``--limit`` seconds; the median is printed in milliseconds beside its ratio to the reference run
kept in ``bench/named_queries_reference.json`` (written by ``--save-reference``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bench_ingest import example_reports  # run as a script: bench/ is on sys.path

from narcograph import __version__
from narcograph.config import load_settings
from narcograph.ingest.pipeline import extract
from narcograph.ingest.to_rdf import report_graph
from narcograph.link import link_operations
from narcograph.queries import registry
from narcograph.shapes import validate
from narcograph.store import GraphStore
from narcograph.vocabulary import ensure_vocabulary

REFERENCE = Path(__file__).with_name("named_queries_reference.json")
OFFLINE_SERVICE = "http://127.0.0.1:9/sparql"  # federated queries: Wikidata unreachable, as offline
PARAMS = {  # the required parameters, with values the examples have
    "operation_reports": {"operation": "FIRST"},
    "operations_between": {"since": "2000-01-01", "until": "2100-01-01"},
    "operations_by_agency": {"agency": "police"},
    "operations_in_country": {"country": "SY"},
    "operations_in_place": {"place": "Homs"},
    "seizures_by_class": {"class": "Amphetamine-type stimulants"},
}
TIMER = r"""
import json, statistics, sys, time
from narcograph.api import named_query_text
from narcograph.link import with_service_endpoint
from narcograph.store import GraphStore
store = GraphStore(sys.argv[1], read_only=True)
name, params = sys.argv[2], json.loads(sys.argv[3])
if params.get("operation") == "FIRST":
    first = "SELECT ?o WHERE { ?o a <https://w3id.org/narcograph/ontology#Operation> } ORDER BY ?o LIMIT 1"
    params["operation"] = next(iter(store.query(first)))["o"].value
text = with_service_endpoint(named_query_text(name, params), sys.argv[4])
times, rows = [], 0
for _ in range(3):
    start = time.perf_counter()
    rows = len(list(store.query(text)))
    times.append((time.perf_counter() - start) * 1000)
print(json.dumps({"ms": statistics.median(times), "rows": rows}))
"""


def build_store(path: Path, copies: int) -> tuple[int, int]:
    """Ingest the examples ``copies`` times into a store at ``path``; return (reports, operations)."""
    settings = load_settings()
    store = GraphStore(path)
    ensure_vocabulary(store)
    extracted = []
    for report in example_reports():  # the reports ingest would store: with operations, valid
        operations = extract(report)
        _, graph = report_graph(
            report, operations, base_iri=settings.base_iri, version=__version__, ingested_at=datetime.now(UTC)
        )
        if operations and validate(graph).conforms:
            extracted.append((report, operations))
    count = 0
    for n in range(copies):
        for report, operations in extracted:
            copy = replace(report, url=f"{report.source_iri}#copy-{n}")
            iri, graph = report_graph(
                copy, operations, base_iri=settings.base_iri, version=__version__, ingested_at=datetime.now(UTC)
            )
            store.replace_graph(str(iri), graph)
            count += 1
    linking = link_operations(store)
    store.flush()
    store.close()
    return count, len(linking.operations)


def time_query(store: Path, name: str, limit: float) -> dict | None:
    """Median ms and row count of ``name`` over three runs, or None when it ran past ``limit``."""
    args = [sys.executable, "-c", TIMER, str(store), name, json.dumps(PARAMS.get(name, {})), OFFLINE_SERVICE]
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=limit, check=True)
    except subprocess.TimeoutExpired:
        return None
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=40, help="how many times the examples are ingested")
    parser.add_argument("--limit", type=float, default=30.0, help="seconds before a query is stopped")
    parser.add_argument("--save-reference", action="store_true", help="save this run as the reference")
    args = parser.parse_args()
    reference = json.loads(REFERENCE.read_text()) if REFERENCE.exists() else {}
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        reports, operations = build_store(Path(tmp) / "store", args.copies)
        print(f"store: {reports} reports, {operations} operations, built in {time.perf_counter() - start:.1f} s")
        print(f"{'named query':<28}{'rows':>7}{'ms':>11}{'reference':>11}{'ratio':>8}")
        results: dict[str, float | None] = {}
        for name in sorted(registry()):
            found = time_query(Path(tmp) / "store", name, args.limit)
            results[name] = found["ms"] if found else None
            ref = reference.get("queries", {}).get(name)
            ms = f"{found['ms']:11.1f}" if found else f"{'> ' + format(args.limit, 'g') + ' s':>11}"
            ref_text = f"{ref:11.1f}" if ref else f"{'-':>11}"
            ratio = f"{found['ms'] / ref:8.2f}" if found and ref else f"{'-':>8}"
            print(f"{name:<28}{found['rows'] if found else '-':>7}{ms}{ref_text}{ratio}")
    if args.save_reference:
        REFERENCE.write_text(
            json.dumps(
                {"copies": args.copies, "operations": operations, "date": datetime.now(UTC).date().isoformat(),
                 "queries": results},
                indent=2,
            )
            + "\n"
        )
        print(f"saved as the reference in {REFERENCE.name}")


if __name__ == "__main__":
    main()
