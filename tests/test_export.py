"""Export for partners: deterministic, described, validated, redacted, and round-trips."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from types import SimpleNamespace

import click
import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from narcograph import queries
from narcograph.api import KnowledgeGraph
from narcograph.cli import Context
from narcograph.cli_export import export as export_command
from narcograph.cli_export import list_queries
from narcograph.config import load_settings
from narcograph.errors import ConfigError
from narcograph.export import FORMATS, ExportError, export
from narcograph.store import GraphStore
from narcograph.vocabulary import ensure_vocabulary

DATA = Path(__file__).parent / "data" / "graphs"
ID = "https://w3id.org/narcograph/id/"
NG = "https://w3id.org/narcograph/ontology#"
VOCABULARY = [("vocabulary.ttl", (DATA / "vocabulary.ttl").read_text("utf-8"))]
RDFLIB_FORMATS = {"ttl": "turtle", "trig": "trig", "nt": "nt", "nq": "nquads", "jsonld": "json-ld"}
PERSONS = ("Ahmad Khalil", "Omar Haddad", "Khaled Nasser", "Hassan Mansour")
KEY = "partner-delivery-key"


def sample_store(reverse: bool = False) -> GraphStore:
    """The sample graph; ``reverse`` inserts the report graphs in the opposite order."""
    source = ox.Store()
    source.load(path=str(DATA / "sample.trig"), format=ox.RdfFormat.TRIG)
    store = GraphStore(None)
    graphs = sorted(source.named_graphs(), key=lambda g: g.value, reverse=reverse)
    for g in graphs:
        quads = list(source.quads_for_pattern(None, None, None, g))
        store.ox.extend(reversed(quads) if reverse else quads)
    ensure_vocabulary(store, VOCABULARY)
    return store


@pytest.fixture(scope="module")
def store() -> GraphStore:
    return sample_store()


def parse(path: Path, fmt: str) -> rdflib.Dataset:
    dataset = rdflib.Dataset()
    dataset.parse(path, format=RDFLIB_FORMATS[fmt])
    return dataset


def triples_of(dataset: rdflib.Dataset) -> set[tuple]:
    return {(s, p, o) for s, p, o, _ in dataset.quads()}


# -- deterministic, readable, described ------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_same_graph_same_bytes(tmp_path: Path, fmt: str) -> None:
    a = export(sample_store(), tmp_path / f"a.{fmt}", fmt, with_provenance=True)
    b = export(sample_store(reverse=True), tmp_path / f"b.{fmt}", fmt, with_provenance=True)
    assert a.path.read_bytes() == b.path.read_bytes()
    assert a.sha256 == b.sha256 == hashlib.sha256(a.path.read_bytes()).hexdigest()
    assert a.checksum_path.read_text() == f"{a.sha256}  a.{fmt}\n"


@pytest.mark.parametrize("fmt", FORMATS)
def test_rdflib_reads_every_format_back(store: GraphStore, tmp_path: Path, fmt: str) -> None:
    result = export(store, tmp_path / f"out.{fmt}", fmt)
    dataset = parse(result.path, fmt)
    data = {t for t in triples_of(dataset) if not str(t[0]).startswith(ID + "dataset/")}
    statements = {q for q in dataset.quads() if not str(q[0]).startswith(ID + "dataset/")}
    assert len(statements if fmt in ("trig", "nq") else data) == result.triples
    assert (rdflib.URIRef(ID + "operation/r1-1"), rdflib.URIRef(NG + "date"),
            rdflib.Literal("2024-03-05", datatype=rdflib.XSD.date)) in data
    # the store returns xsd:integer; the export restores the ontology's declared datatype
    assert (rdflib.URIRef(ID + "operation/r1-1"), rdflib.URIRef(NG + "arrestCount"),
            rdflib.Literal("3", datatype=rdflib.XSD.nonNegativeInteger)) in data


def test_turtle_is_readable(store: GraphStore, tmp_path: Path) -> None:
    text = export(store, tmp_path / "out.ttl").path.read_text("utf-8")
    assert text.startswith("# narcograph export: 5 report(s), 7 operation(s)")
    assert "@prefix ng: <https://w3id.org/narcograph/ontology#> ." in text
    assert "@prefix operation: <https://w3id.org/narcograph/id/operation/> ." in text
    subjects = re.findall(r"^(\S+)$", text, flags=re.MULTILINE)
    assert subjects[0].startswith("dataset:")  # the description first, then sorted subjects
    assert subjects[1:] == sorted(subjects[1:])
    assert "\noperation:r1-1\n    a ng:Operation ;\n" in text


def test_trig_keeps_one_graph_per_report(store: GraphStore, tmp_path: Path) -> None:
    dataset = parse(export(store, tmp_path / "out.trig", "trig").path, "trig")
    graphs = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert {ID + f"report/r{i}" for i in range(1, 6)} <= graphs


def test_dataset_description(store: GraphStore, tmp_path: Path) -> None:
    result = export(store, tmp_path / "out.ttl", country="JO", publisher="Example Unit")
    graph = rdflib.Graph().parse(result.path, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    dct = rdflib.namespace.DCTERMS
    dataset = next(graph.subjects(rdflib.RDF.type, void.Dataset))
    assert (dataset, rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/dcat#Dataset")) in graph
    assert int(graph.value(dataset, void.triples)) == result.triples
    # the latest ingest time among the exported reports (r2), not the time of the export
    assert str(graph.value(dataset, dct.modified)) == "2024-05-02T08:30:00"
    assert str(graph.value(dataset, dct.publisher)) == "Example Unit"
    assert graph.value(dataset, dct.license) == rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert set(graph.objects(dataset, dct.source)) == {
        rdflib.URIRef("https://news.example.org/jo/2024/03/jaber")
    }
    assert "country JO" in str(graph.value(dataset, dct.description))
    assert graph.value(dataset, dct.title)


# -- selection ------------------------------------------------------------------------------------
def exported_operations(path: Path, fmt: str = "ttl") -> set[str]:
    dataset = parse(path, fmt)
    return {str(s) for s, _, _ in dataset.triples((None, rdflib.RDF.type, rdflib.URIRef(NG + "Operation")))}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {"r1-1", "r2-1", "r2-2", "r3-1", "r4-1", "r4-2", "r5-1"}),
        ({"country": "JO"}, {"r2-1", "r2-2"}),
        ({"country": ["lebanon", "IQ"]}, {"r3-1", "r4-1", "r4-2"}),
        ({"since": "2024-03-06", "until": "2024-04-05"}, {"r2-1", "r3-1"}),
        ({"substance": "Captagon"}, {"r1-1", "r2-1", "r5-1"}),
        ({"substance": "class-ats"}, {"r1-1", "r2-1", "r3-1", "r5-1"}),
        ({"substance": "Amphetamine-type stimulants", "country": "IQ"}, {"r3-1"}),
        ({"agency": "ISF"}, {"r4-1", "r4-2"}),
        ({"agency": ID + "agency/int-interpol"}, {"r3-1"}),
        ({"report": "https://wire.example.com/2024/03/06/syria-captagon"}, {"r5-1"}),
        ({"report": [ID + "report/r4"], "since": "2000-01-01"}, {"r4-1"}),
        ({"country": 'SY" } ; DROP ALL ; #'}, set()),
    ],
)
def test_filters(store: GraphStore, tmp_path: Path, filters: dict, expected: set[str]) -> None:
    before = len(store)
    result = export(store, tmp_path / "out.ttl", **filters)
    assert exported_operations(result.path) == {ID + f"operation/{o}" for o in expected}
    assert result.operations == len(expected)
    assert len(store) == before


def test_a_selected_operation_brings_what_it_links_to_and_nothing_else(
    store: GraphStore, tmp_path: Path
) -> None:
    graph = parse(export(store, tmp_path / "out.ttl", since="2024-04-10").path, "ttl")
    subjects = {str(s) for s in graph.subjects()}
    assert ID + "seizure/r2-2-1" in subjects and ID + "report/r2" in subjects
    assert ID + "country/LB" in subjects and ID + "agency/jo-anti-narcotics-department" in subjects
    assert ID + "seizure/r2-1-1" not in subjects  # r2-1 is in the same report but not selected
    assert ID + "person/jo-omar-haddad" not in subjects


def test_provenance_only_when_asked(store: GraphStore, tmp_path: Path) -> None:
    plain = export(store, tmp_path / "plain.ttl").path.read_text("utf-8")
    assert "ng:ingestedAt" not in plain and "ng:sourceFile" not in plain
    assert "ng:evidence" in plain and "ng:source " in plain  # facts keep their citation
    full = export(store, tmp_path / "full.ttl", with_provenance=True).path.read_text("utf-8")
    for term in ("ng:ingestedAt", "ng:sourceFile", "ng:software", "ng:contentHash"):
        assert term in full


# -- redaction --------------------------------------------------------------------------------------
def test_redaction_replaces_persons_by_stable_pseudonyms(store: GraphStore, tmp_path: Path) -> None:
    first = export(store, tmp_path / "a.ttl", redact_persons=True, redaction_key=KEY)
    text = first.path.read_text("utf-8")
    for name in PERSONS:
        for part in name.split():
            assert part not in text
    assert KEY not in text
    assert first.persons_redacted == 4
    assert first.literals_withheld >= 2  # the sentences naming Khalil and Mansour
    pseudonyms = sorted(set(re.findall(r'"Person [0-9a-f]{10}"', text)))
    assert len(pseudonyms) == 4
    again = export(sample_store(reverse=True), tmp_path / "b.ttl", redact_persons=True, redaction_key=KEY)
    assert again.path.read_bytes().replace(b"b.ttl", b"a.ttl") == first.path.read_bytes()
    other = export(store, tmp_path / "c.ttl", redact_persons=True, redaction_key="another key")
    assert sorted(set(re.findall(r'"Person [0-9a-f]{10}"', other.path.read_text("utf-8")))) != pseudonyms
    # operations still point to the (pseudonymous) persons, and the rest of the text is kept
    assert "ng:arrested person:redacted-" in text
    assert "seized 1.2 million Captagon pills and 50 kg of hashish" in text


def test_redaction_keeps_every_seizure_quoting_a_sentence(tmp_path: Path) -> None:
    store = sample_store()
    seizure = ox.NamedNode(ID + "seizure/r4-1-3")
    g = ox.NamedNode(ID + "report/r4")
    evidence = ox.NamedNode(NG + "evidence")
    for quad in list(store.ox.quads_for_pattern(seizure, evidence, None, g)):
        store.ox.remove(quad)
    store.ox.add(ox.Quad(seizure, evidence, ox.Literal("Hassan Mansour carried the tramadol."), g))
    text = export(store, tmp_path / "out.ttl", redact_persons=True, redaction_key=KEY).path.read_text()
    assert "Mansour" not in text
    assert '"[sentence withheld: it names a person]"' in text


def test_redaction_needs_a_key(store: GraphStore, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="redaction_key"):
        export(store, tmp_path / "out.ttl", redact_persons=True)
    assert not (tmp_path / "out.ttl").exists()


# -- validation -----------------------------------------------------------------------------------
def test_nothing_is_written_when_the_shapes_are_violated(store: GraphStore, tmp_path: Path) -> None:
    def refuse(graph: rdflib.Graph) -> SimpleNamespace:
        violation = SimpleNamespace(__str__=lambda self: "focus x: broken")
        return SimpleNamespace(conforms=False, violations=[violation], errors=["focus x: broken"], text="")

    with pytest.raises(ExportError, match="violates the shapes.*focus x: broken"):
        export(store, tmp_path / "out.ttl", validate=refuse)
    assert list(tmp_path.iterdir()) == []  # no file, no checksum, no temporary left behind


def test_real_shapes_reject_an_invalid_graph(tmp_path: Path) -> None:
    store = sample_store()
    seizure = ox.NamedNode(ID + "seizure/r2-2-1")
    for quad in list(store.ox.quads_for_pattern(seizure, ox.NamedNode(NG + "evidence"), None, None)):
        store.ox.remove(quad)
    with pytest.raises(ExportError, match="seizure/r2-2-1"):
        export(store, tmp_path / "out.ttl")
    assert not (tmp_path / "out.ttl").exists()
    export(store, tmp_path / "ok.ttl", country="SY")  # the valid part can still be exported


def test_bad_options(store: GraphStore, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown format"):
        export(store, tmp_path / "out.xml", "rdfxml")
    with pytest.raises(ExportError, match="not a date"):
        export(store, tmp_path / "out.ttl", since="last week")


# -- large ----------------------------------------------------------------------------------------
def test_sorting_in_runs_gives_the_same_file(store: GraphStore, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    whole = export(store, tmp_path / "whole.nq", "nq").path.read_bytes()
    monkeypatch.setattr("narcograph.export._CHUNK", 7)  # spill sorted runs to disk, then merge
    runs = export(store, tmp_path / "runs.nq", "nq", progress=True).path.read_bytes()
    assert runs.replace(b"runs.nq", b"whole.nq") == whole


# -- round trip -----------------------------------------------------------------------------------
REQUIRED = {  # the parameters of the named queries that need some
    "operation_reports": {"operation": ID + "operation/r1-1"},
    "seizures_by_class": {"class": "ATS"},
    "operations_between": {"since": "2024-01-01", "until": "2024-12-31"},
    "operations_in_country": {"country": "JO"},
    "operations_in_place": {"place": "Bekaa"},
}


def answers(kg: KnowledgeGraph) -> dict[str, list]:
    out = {}
    for name in queries.registry():
        rows = kg.run_rows(name, **REQUIRED.get(name, {}))
        # GROUP_CONCAT has no defined order: compare its parts as sets
        normal = [
            tuple(" ".join(sorted(re.split(r"; | |\n", v))) if isinstance(v, str) else v for v in r)
            for r in rows.rows
        ]
        out[name] = sorted(normal, key=repr)
    return out


@pytest.mark.parametrize("fmt", ["trig", "nq", "ttl", "jsonld"])
def test_round_trip_gives_the_same_answers(store: GraphStore, tmp_path: Path, fmt: str) -> None:
    result = export(store, tmp_path / f"out.{fmt}", fmt, with_provenance=True)
    fresh = GraphStore(None)
    ensure_vocabulary(fresh, VOCABULARY)
    kg = KnowledgeGraph(fresh, load_settings(store=None))
    kg.load(result.path)
    assert answers(kg) == answers(KnowledgeGraph(store, load_settings(store=None)))


# -- the CLI commands ------------------------------------------------------------------------------
def cli_for(store_path: Path, **settings: str) -> click.Group:
    @click.group()
    @click.pass_context
    def cli(ctx: click.Context) -> None:
        ctx.obj = Context(load_settings(store=str(store_path), **settings))

    cli.add_command(export_command)
    cli.add_command(list_queries)
    return cli


def on_disk(folder: Path) -> Path:
    path = folder / "store"
    store = GraphStore(path)
    store.ox.load(path=str(DATA / "sample.trig"), format=ox.RdfFormat.TRIG)
    store.flush()
    del store
    return path


def test_cli_export(tmp_path: Path) -> None:
    path = on_disk(tmp_path)
    out = tmp_path / "delivery.trig"
    result = CliRunner().invoke(
        cli_for(path, redaction_key=KEY),
        ["export", "--out", str(out), "--country", "JO", "--country", "SY", "--redact", "persons", "-q"],
    )
    assert result.exit_code == 0, result.output
    assert out.exists() and (tmp_path / "delivery.trig.sha256").exists()
    assert "Haddad" not in out.read_text("utf-8")
    assert " {\n" in out.read_text("utf-8")  # TriG from the suffix


def test_cli_export_errors(tmp_path: Path) -> None:
    runner = CliRunner()  # one store per run: the command's context keeps its store open
    result = runner.invoke(cli_for(on_disk(tmp_path / "a")),
                           ["export", "--out", str(tmp_path / "x.ttl"), "--redact", "persons"])
    assert result.exit_code == 2 and "redaction_key" in result.output
    result = runner.invoke(cli_for(on_disk(tmp_path / "b")),
                           ["export", "--out", str(tmp_path / "x.ttl"), "--since", "soon"])
    assert result.exit_code == 2 and "not a date" in result.output


def test_cli_lists_queries(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli_for(tmp_path / "store"), ["queries"])
    assert result.exit_code == 0
    for name in queries.registry():
        assert name in result.output
    assert "--param unit=<string>  (default kg)" in result.output
    listing = CliRunner().invoke(cli_for(tmp_path / "store"), ["queries", "--format", "json"])
    assert '"name": "routes"' in listing.output
