"""Linking: grammar-only places to the gazetteer, operations reported twice, coverage, `narcograph link`."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from narcograph.api import KnowledgeGraph, named_query_text
from narcograph.cli import Context
from narcograph.cli_link import link
from narcograph.config import Settings, load_settings
from narcograph.export import export
from narcograph.ingest import facts
from narcograph.ingest.pipeline import ingest_paths
from narcograph.ingest.report import Report
from narcograph.ingest.to_rdf import report_graph
from narcograph.link import (
    LINKS_GRAPH,
    OperationFacts,
    cluster,
    compare,
    coverage,
    find_links,
    link_operations,
    resolve_place,
    with_service_endpoint,
)
from narcograph.ontology import GEO, GN, NG, WGS84
from narcograph.store import GraphStore
from narcograph.vocabulary import ensure_vocabulary

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/narcograph/id/"
OFFLINE_SERVICE = "http://127.0.0.1:9/sparql"  # a port pyoxigraph refuses: no network


# -- places ------------------------------------------------------------------------------------
def test_a_spelling_one_letter_away_resolves_to_the_gazetteer_entry() -> None:
    place = resolve_place(facts.Place("Baalbeck", "place", "LB"))
    assert (place.label, place.kind, place.geonames, place.country) == ("Baalbek", "city", "277130", "LB")
    assert place.mention == "Baalbeck" and place.lat is not None
    district = resolve_place(facts.Place("Darayem", "place", "AF"))
    assert (district.geonames, district.kind, district.mention) == ("7052665", "admin2", "Darayem")


def test_a_type_word_is_dropped_and_the_same_name_resolves() -> None:
    homs = resolve_place(facts.Place("Homs area", "place", "SY"))
    assert homs.geonames == "169577" and homs.mention == "Homs area"


@pytest.mark.parametrize(
    ("label", "country"),
    [
        ("Baalbeck", "SY"),  # Baalbek is in Lebanon: never across a border
        ("Baalbeck", None),  # no country, no guess
        ("Chori", "AF"),  # not in the gazetteer
        ("Homz", "SY"),  # too short for a near spelling
    ],
)
def test_no_guess_without_the_same_country_or_a_close_enough_name(label: str, country: str | None) -> None:
    place = facts.Place(label, "place", country)
    assert resolve_place(place) is place


def test_places_with_an_id_and_countries_stay_as_they_are() -> None:
    known = facts.Place("Homs", "city", "SY", geonames="169577")
    assert resolve_place(known) is known
    country = facts.Place("Lebanon", "country", "LB", iso="LB")
    assert resolve_place(country) is country


def test_the_report_graph_links_a_grammar_place_and_describes_it_for_maps() -> None:
    report = Report(
        origin="t.txt", text="x", url="https://example.org/t", published=date(2024, 5, 2), file_iri="file:///t.txt"
    )
    op = facts.Operation(
        date=date(2024, 5, 1),
        places=[facts.Place("Lebanon", "country", "LB", iso="LB"), facts.Place("Baalbeck", "place", "LB")],
        seizures=[facts.Seizure("hashish", 40, "kg", "x")],
        evidence=["x"],
    )
    _, g = report_graph(report, [op], base_iri=ID, version="t", ingested_at=datetime(2024, 5, 2))
    node = URIRef(ID + "place/gn277130")
    assert (None, NG.occurredIn, node) in g
    assert (node, SKOS.exactMatch, GN["277130/"]) in g
    assert (node, NG.nameInReport, Literal("Baalbeck")) in g
    assert (node, NG.inCountry, URIRef(ID + "country/LB")) in g
    assert g.value(node, WGS84.lat) is not None and g.value(node, WGS84.long) is not None
    wkt = g.value(g.value(node, GEO.hasGeometry), GEO.asWKT)
    assert str(wkt).startswith("POINT(") and wkt.datatype == GEO.wktLiteral
    assert (URIRef(ID + "country/LB"), NG.isoCode, Literal("LB")) in g


# -- entity resolution of operations ------------------------------------------------------------
def op(iri: str, report: str, day: date | None, *seizures: tuple, countries: str = "SY", **kw) -> OperationFacts:
    return OperationFacts(
        iri, report, report, date=day, countries=frozenset(countries.split()), seizures=tuple(seizures), **kw
    )


D = date(2024, 3, 5)
PILLS = ("captagon", "pill", 1_200_000.0)


def test_same_seizure_within_tolerance_and_two_days_is_one_operation() -> None:
    link_ = compare(op("a", "r1", D, PILLS), op("b", "r2", date(2024, 3, 7), ("captagon", "pill", 1_250_000.0)))
    assert link_ is not None and link_.reasons == ("same seizure: captagon 1,200,000 ~ 1,250,000 pill",)


@pytest.mark.parametrize(
    "other",
    [
        op("b", "r2", date(2024, 3, 8), PILLS),  # three days apart
        op("b", "r2", D, PILLS, countries="JO"),  # another country
        op("b", "r2", D, ("captagon", "pill", 2_000_000.0)),  # amounts disagree
        op("b", "r2", D, ("captagon", "kg", 1_200_000.0)),  # another unit
        op("b", "r1", D, PILLS),  # the same report
        op("b", "r2", D, ("hashish", "kg", 50.0)),  # nothing in common
        op("b", "r2", None, PILLS, published=None),  # undated: a seizure is not enough
    ],
)
def test_not_the_same_operation(other: OperationFacts) -> None:
    assert compare(op("a", "r1", D, PILLS), other) is None


def test_the_same_named_person_or_identical_facts_are_enough() -> None:
    person = frozenset({ID + "person/sy-ahmad-khalil"})
    assert compare(op("a", "r1", D, persons=person), op("b", "r2", date(2024, 3, 6), persons=person))
    undated = op("a", "r1", None, ("captagon", "pill", None), arrests=3)
    assert compare(undated, replace(undated, iri="b", report="r2")).reasons == ("identical facts",)
    assert compare(op("a", "r1", None), op("b", "r2", None)) is None  # nothing but a country


def test_a_cluster_never_holds_two_operations_of_one_report() -> None:
    # r1 has two look-alike operations; r2 restates both: two clusters, not one
    ops = {
        o.iri: o
        for o in (
            op("r1-1", "r1", D, PILLS, arrests=2),
            op("r1-2", "r1", D, ("captagon", "pill", 1_190_000.0)),
            op("r2-1", "r2", D, PILLS),
            op("r2-2", "r2", D, ("captagon", "pill", 1_190_000.0)),
        )
    }
    clusters = cluster(ops, find_links(ops))
    assert sorted(c.members for c in clusters) == [("r1-1", "r2-1"), ("r1-2", "r2-2")]
    # the operation that says most stands for its cluster
    assert {c.canonical for c in clusters} == {"r1-1", "r1-2"}


@pytest.fixture
def sample() -> GraphStore:
    """The query tests' sample graph: r5 is a second outlet's report of r1's operation."""
    store = GraphStore(None)
    store.ox.load(path=str(DATA / "graphs" / "sample.trig"), format=ox.RdfFormat.TRIG)
    ensure_vocabulary(store, [("vocabulary.ttl", (DATA / "graphs" / "vocabulary.ttl").read_text("utf-8"))])
    return store


def fingerprint(store: GraphStore) -> str:
    return hashlib.sha256("\n".join(sorted(str(q) for q in store.ox)).encode()).hexdigest()


def test_link_operations_writes_the_links_graph_once(sample: GraphStore) -> None:
    result = link_operations(sample)
    assert [(c.canonical, c.members) for c in result.clusters] == [
        (ID + "operation/r1-1", (ID + "operation/r1-1", ID + "operation/r5-1"))
    ]
    assert result.changed
    links = {
        (str(q.subject), q.predicate.value, str(q.object))
        for q in sample.ox.quads_for_pattern(None, None, None, ox.NamedNode(LINKS_GRAPH))
    }
    r1, r5 = f"<{ID}operation/r1-1>", f"<{ID}operation/r5-1>"
    assert {
        (r1, str(NG.sameOperationAs), r5),
        (r5, str(NG.sameOperationAs), r1),
        (r1, str(NG.canonicalOperation), r1),
        (r5, str(NG.canonicalOperation), r1),
    } <= links
    before = fingerprint(sample)
    again = link_operations(sample)
    assert not again.changed and fingerprint(sample) == before
    sample.drop_graph(ID + "report/r5")  # the second outlet's report goes: so does the link
    assert link_operations(sample).changed and LINKS_GRAPH not in set(sample.graphs())


def test_queries_count_a_twice_reported_operation_once(sample: GraphStore) -> None:
    kg = KnowledgeGraph(sample, load_settings(store=None))
    link_operations(sample)
    rows = kg.run_rows("seizures_by_country_year", country="SY", substance="Captagon").dicts()
    assert [(r["seizures"], r["total"]) for r in rows] == [(1, 1_200_000.0)]
    month = kg.run_rows("seizures_by_month", substance="Captagon").dicts()
    assert sum(r["seizures"] for r in month) == 2 and sum(r["total"] for r in month) == 3_200_000.0
    # the contract views stay one row per report's operation; the listings count each once
    assert ID + "operation/r5-1" in kg.run_rows("operations").column("operation")
    listed = kg.run_rows("operations_in_country", country="SY").column("operation")
    assert listed == [ID + "operation/r1-1"]
    # an agency named only by the second outlet still gets the operation, counted once
    agency = kg.run_rows("operations_by_agency", agency="Syrian Ministry").dicts()
    assert [r["operation"] for r in agency] == [ID + "operation/r1-1"]
    same = kg.run_rows("operation_reports", operation=ID + "operation/r1-1").dicts()
    assert {(r["relation"], r["operation"]) for r in same} >= {("same operation", ID + "operation/r5-1")}


# -- a whole folder ingested twice under other URLs ---------------------------------------------
def mirror(src: Path, dst: Path) -> Path:
    """Copy the example reports, every URL moved to another host (so: other reports)."""
    shutil.copytree(src, dst)
    for path in dst.rglob("*"):
        if path.is_file():
            path.write_text(
                path.read_text("utf-8").replace("https://example.org/", "https://mirror.example.net/"), encoding="utf-8"
            )
    return dst


# aggregating queries and the parameters they need; IRIs of operations, seizures and sources
# may move to the mirror's operation when it becomes the canonical one, so they are left out
AGGREGATES = {
    "seizures_by_month": {},
    "seizures_by_country_year": {},
    "routes": {},
    "largest_seizures": {"unit": "kg"},
    "seizures_by_class": {"class": "class-cocaine"},
    "substances": {"used": "true"},
    "agencies": {},
    "operations_by_agency": {},
    "cross_border_cooperation": {},
    "persons": {},
    "operations_between": {"since": "2000-01-01", "until": "2030-12-31"},
    "operations_in_country": {"country": "SY"},
    "operations_in_place": {"place": "Mombasa"},
    "seizures_per_capita": {},
    "operations_in_neighbours": {"country": "IQ"},
}
MOVABLE = {"operation", "source", "seizure"}


def answers(store: GraphStore) -> dict[str, list]:
    kg = KnowledgeGraph(store, load_settings(store=None))
    out = {}
    for name, params in AGGREGATES.items():
        rows = kg.rows(with_service_endpoint(named_query_text(name, params), OFFLINE_SERVICE))
        keep = [c for c in rows.columns if c not in MOVABLE]
        out[name] = sorted((tuple(r.get(c) for c in keep) for r in rows.dicts()), key=repr)
    return out


def ingest(settings: Settings, *paths: Path) -> GraphStore:
    store = GraphStore(settings.store)
    ensure_vocabulary(store)
    ingest_paths(paths, settings, store)
    link_operations(store)
    return store


def test_reports_ingested_twice_under_other_urls_double_no_count(tmp_path: Path, examples: Path) -> None:
    once = ingest(load_settings(store=str(tmp_path / "once")), examples)
    expected = answers(once)
    assert all(expected[name] for name in ("seizures_by_month", "agencies", "routes", "operations_between"))
    twice = ingest(load_settings(store=str(tmp_path / "twice")), examples, mirror(examples, tmp_path / "mirror"))
    operations = len(KnowledgeGraph(twice, load_settings(store=None)).run_rows("operations"))
    linking = link_operations(twice)
    assert linking.linked == operations and len(linking.clusters) * 2 == operations
    assert answers(twice) == expected


@pytest.mark.parametrize("fmt", ["trig", "ttl"])
def test_an_export_of_reports_told_twice_doubles_no_count_at_the_partner(
    tmp_path: Path, examples: Path, fmt: str
) -> None:
    twice = ingest(load_settings(store=str(tmp_path / "twice")), examples, mirror(examples, tmp_path / "mirror"))
    expected = answers(twice)
    out = tmp_path / f"delivery.{fmt}"
    export(twice, out, fmt)
    partner = GraphStore(None)  # loads the file as a partner would, and asks the same questions
    partner.ox.load(path=str(out), format=ox.RdfFormat.TRIG if fmt == "trig" else ox.RdfFormat.TURTLE)
    ensure_vocabulary(partner)
    same = ox.NamedNode(str(NG.sameOperationAs))
    assert len(list(partner.ox.quads_for_pattern(None, same, None))) == 2 * len(link_operations(twice).clusters)
    assert answers(partner) == expected


def test_export_keeps_a_link_only_between_exported_operations(tmp_path: Path, examples: Path) -> None:
    twice = ingest(load_settings(store=str(tmp_path / "twice")), examples, mirror(examples, tmp_path / "mirror"))
    out = tmp_path / "original-only.ttl"
    export(twice, out, report=[str(p) for p in sorted(examples.rglob("*.txt"))][:1] or None)
    text = out.read_text(encoding="utf-8")
    assert "sameOperationAs" not in text and "canonicalOperation" not in text


# -- coverage and the CLI ---------------------------------------------------------------------------
def test_coverage_counts_entities_with_an_external_id(sample: GraphStore) -> None:
    cover = coverage(sample)
    assert cover["countries"]["share"] == 1.0 and cover["countries"]["datasets"]["Wikidata"] == 6
    places = cover["places"]
    assert (places["linked"], places["total"]) == (1, 4)  # Daraa has a GeoNames ID
    assert places["unlinked"] == ["Al-Qa'im (IQ)", "Bekaa (LB)", "Jaber border crossing (JO)"]
    substances = cover["substances"]
    assert "Captagon" in substances["unlinked"] and substances["datasets"]["ChEBI"] >= 1
    assert cover["agencies"]["linked"] == 2  # INTERPOL and (in this hand-written sample) the ISF


def test_coverage_counts_broader_mappings_apart(tmp_path: Path) -> None:
    # with the real substance scheme, Captagon (a product) has no exact ID but is mapped to the
    # amphetamine-type stimulants; heroin is linked to ChEBI and MeSH
    store = GraphStore(None)
    store.ox.load(path=str(DATA / "graphs" / "sample.trig"), format=ox.RdfFormat.TRIG)
    ensure_vocabulary(store)
    substances = coverage(store)["substances"]
    assert "Captagon" in substances["close_labels"] and "Captagon" not in substances["unlinked"]
    assert substances["mapped_share"] == (substances["linked"] + substances["close"]) / substances["total"]
    assert substances["mapped_share"] > substances["share"]
    assert substances["datasets"]["MeSH"] >= 1


def test_cli_link_report_text_and_json(tmp_path: Path, runner: CliRunner) -> None:
    settings = load_settings(store=str(tmp_path / "store"))
    store = GraphStore(settings.store)
    store.ox.load(path=str(DATA / "graphs" / "sample.trig"), format=ox.RdfFormat.TRIG)
    store.close()

    def run(*args: str):  # as `narcograph link ARGS`: the group closes the store afterwards
        obj = Context(settings)
        try:
            return runner.invoke(link, list(args), obj=obj)
        finally:
            obj.close()

    result = run("--report")
    assert result.exit_code == 0, result.output
    assert "countries" in result.output and "100.0%" in result.output
    assert "Same-operation clusters: 1 (2 operations counted as 1)" in result.output
    assert "same seizure: captagon 1,200,000 pill" in result.output
    data = json.loads(run("--report", "--format", "json").output)
    assert data["operations"] == 7 and data["coverage"]["places"]["total"] == 4
    assert data["clusters"][0]["canonical"] == ID + "operation/r1-1"
    quiet = run()
    assert quiet.exit_code == 0 and "1 cluster(s): 2 operation(s) counted as 1 (unchanged)" in quiet.output
    assert run("--format", "xml").exit_code == 2


def test_cli_link_on_a_locked_store_is_a_clear_error(tmp_path: Path, runner: CliRunner) -> None:
    settings = load_settings(store=str(tmp_path / "store"))
    holder = GraphStore(settings.store)  # as a running server would
    obj = Context(settings)
    try:
        result = runner.invoke(link, ["--report"], obj=obj)
    finally:
        obj.close()
        holder.close()
    assert result.exit_code == 2 and result.output.startswith("error: cannot open the store")
