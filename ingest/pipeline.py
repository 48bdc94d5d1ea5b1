"""The ingest pipeline: file → reports → facts → RDF graph → SHACL → store.

The CLI (`narcograph ingest` / `validate`), the HTTP upload route and ``KnowledgeGraph.ingest``
all call :func:`ingest_paths` or :func:`process_report`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Graph

from narcograph import __version__
from narcograph.config import Settings
from narcograph.errors import IngestError, ReadError, StoreError
from narcograph.ingest import facts
from narcograph.ingest.readers import find_report_files, read_report_items
from narcograph.ingest.report import Report
from narcograph.ingest.to_rdf import content_hash, report_graph
from narcograph.shapes import Violation, validate
from narcograph.store import GraphStore

STORED, UNCHANGED, VALID, SKIPPED, REJECTED, FAILED = (
    "stored",
    "unchanged",
    "valid",
    "skipped",
    "rejected",
    "failed",
)


@dataclass
class Outcome:
    """What happened to one report (or to one file that could not be read)."""

    origin: str
    status: str
    message: str = ""
    graph_iri: str | None = None
    operations: list[facts.Operation] = field(default_factory=list)
    triples: int = 0
    violations: list[Violation] = field(default_factory=list)

    def line(self) -> str:
        """Return the one-line message shown for this report."""
        if self.status in (STORED, UNCHANGED, VALID):
            return f"{self.origin}: {self.status}, {len(self.operations)} operation(s), {self.triples} triples"
        return f"{self.origin}: {self.status}: {self.message}"


@dataclass
class Summary:
    """The outcome of a run over many reports."""

    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, *statuses: str) -> int:
        return sum(1 for o in self.outcomes if o.status in statuses)

    @property
    def operations(self) -> int:
        return sum(len(o.operations) for o in self.outcomes if o.status in (STORED, UNCHANGED, VALID))

    @property
    def triples(self) -> int:
        return sum(o.triples for o in self.outcomes if o.status in (STORED, UNCHANGED, VALID))

    @property
    def exit_code(self) -> int:
        """0 when every report went in (or was skipped as empty of facts), else 1."""
        return 1 if self.count(REJECTED, FAILED) else 0

    def line(self) -> str:
        """Return the one-line summary of the run."""
        ok = self.count(STORED, UNCHANGED, VALID)
        return (
            f"{ok} report(s) ok ({self.count(UNCHANGED)} unchanged), {self.operations} operation(s), "
            f"{self.triples} triples, {self.count(SKIPPED)} skipped, {self.count(REJECTED, FAILED)} rejected"
        )


def extract(report: Report) -> list[facts.Operation]:
    """Return the operations of a report: table rows mapped directly, text through extraction."""
    if report.records:
        from narcograph.ingest.tables import operations_from_records

        return operations_from_records(report)
    from narcograph.ingest.extract.assemble import extract_operations

    return extract_operations(report.text, report.published)


def build(report: Report, settings: Settings) -> tuple[str, Graph, list[facts.Operation]]:
    """Return ``(graph IRI, graph, operations)`` for one report, without validating."""
    operations = extract(report)
    iri, graph = report_graph(
        report,
        operations,
        base_iri=settings.base_iri,
        version=__version__,
        ingested_at=datetime.now(UTC),
    )
    return str(iri), graph, operations


def process_report(report: Report, settings: Settings, store: GraphStore | None) -> Outcome:
    """Extract, validate and (when ``store`` is given) write one report. Never raises IngestError."""
    try:
        iri, graph, operations = build(report, settings)
    except IngestError as exc:
        return Outcome(exc.where or report.origin, FAILED, exc.message)
    if not operations:
        return Outcome(report.origin, SKIPPED, "no operation found")
    result = validate(graph)
    if not result.conforms:
        errors = [v for v in result.violations if v.severity == "Violation"]
        text = "; ".join(str(v) for v in errors[:5]) + (" ..." if len(errors) > 5 else "")
        return Outcome(report.origin, REJECTED, text, iri, operations, len(graph), errors)
    outcome = Outcome(report.origin, VALID, "", iri, operations, len(graph))
    if store is None:
        return outcome
    if store.content_hash(iri) == content_hash(graph):
        outcome.status = UNCHANGED
        return outcome
    try:
        store.replace_graph(iri, graph)
    except StoreError as exc:
        return Outcome(report.origin, FAILED, str(exc), iri, operations)
    outcome.status = STORED
    return outcome


def ingest_paths(
    paths: Iterable[str | Path],
    settings: Settings,
    store: GraphStore | None,
    *,
    on_outcome: Callable[[Outcome], None] | None = None,
    progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None,
) -> Summary:
    """Ingest every report under ``paths`` into ``store`` (or only validate when it is None).

    A file that cannot be read, or a report that fails validation, is reported and counted;
    the other reports still go in.
    """
    summary = Summary()

    def record(outcome: Outcome) -> None:
        summary.outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)

    try:
        files = find_report_files(Path(p) for p in paths)
    except ReadError as exc:
        record(Outcome(exc.where or "?", FAILED, exc.message))
        return summary
    for path in progress(files) if progress else files:
        for item in read_report_items(path):
            if isinstance(item, IngestError):
                record(Outcome(item.where or str(path), FAILED, item.message))
            else:
                record(process_report(item, settings, store))
    if store is not None:
        if summary.count(STORED):
            # the same operation told by several reports is counted once (narcograph.link)
            from narcograph.link import link_operations

            link_operations(store)
        store.flush()
    return summary
