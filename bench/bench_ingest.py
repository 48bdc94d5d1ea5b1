"""How fast ingest is, stage by stage, against a reference run.

Run: ``.venv/bin/python bench/bench_ingest.py [--copies 20] [--save-reference]``.
The example reports are read once and ingested ``--copies`` times under distinct URLs into a
fresh on-disk store. Prints the median milliseconds per report for each stage (extract, build
RDF, validate, write), the reports per second end to end, and beside each figure its ratio to
the reference run kept in ``bench/ingest_reference.json`` (written by ``--save-reference``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from narcograph import __version__
from narcograph.config import load_settings
from narcograph.ingest.pipeline import extract
from narcograph.ingest.readers import find_report_files, read_report_items
from narcograph.ingest.report import Report
from narcograph.ingest.to_rdf import report_graph
from narcograph.shapes import validate
from narcograph.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = Path(__file__).with_name("ingest_reference.json")


def example_reports() -> list[Report]:
    reports = []
    for path in find_report_files([ROOT / "examples" / "reports"]):
        reports += [r for r in read_report_items(path) if isinstance(r, Report)]
    return reports


def run(copies: int) -> dict[str, float]:
    settings = load_settings()
    reports = example_reports()
    stages: dict[str, list[float]] = {"extract": [], "build RDF": [], "validate": [], "write": []}
    with tempfile.TemporaryDirectory() as tmp:
        store = GraphStore(Path(tmp) / "store")
        validate(
            report_graph(
                reports[0],
                extract(reports[0]),
                base_iri=settings.base_iri,
                version=__version__,
                ingested_at=datetime.now(UTC),
            )[1]
        )  # warm-up
        start = time.perf_counter()
        count = 0
        for n in range(copies):
            for report in reports:
                report = replace(report, url=f"{report.source_iri}#copy-{n}")
                t0 = time.perf_counter()
                operations = extract(report)
                t1 = time.perf_counter()
                iri, graph = report_graph(
                    report, operations, base_iri=settings.base_iri, version=__version__, ingested_at=datetime.now(UTC)
                )
                t2 = time.perf_counter()
                validate(graph)
                t3 = time.perf_counter()
                if operations:
                    store.replace_graph(str(iri), graph)
                t4 = time.perf_counter()
                for name, seconds in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
                    stages[name].append(seconds * 1000)
                count += 1
        elapsed = time.perf_counter() - start
        store.close()
    result = {f"{name} (ms/report)": statistics.median(values) for name, values in stages.items()}
    result["end to end (reports/s)"] = count / elapsed
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--save-reference", action="store_true")
    args = parser.parse_args()
    result = run(args.copies)
    reference = json.loads(REFERENCE.read_text()) if REFERENCE.exists() else {}
    print(f"{'measure':28} {'now':>10} {'reference':>10} {'ratio':>7}")
    for name, value in result.items():
        ref = reference.get(name)
        ratio = f"{value / ref:7.2f}" if ref else "      -"
        ref_text = f"{ref:10.2f}" if ref else "         -"
        print(f"{name:28} {value:10.2f} {ref_text} {ratio}")
    if args.save_reference:
        REFERENCE.write_text(json.dumps(result, indent=2) + "\n")
        print(f"reference saved to {REFERENCE.name}")


if __name__ == "__main__":
    main()
