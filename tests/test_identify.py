"""The Wikidata verification pass: look up candidates at a stand-in endpoint on 127.0.0.1, review
them in a TSV file, apply the accepted ones. No test reaches the network."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from narcograph.cli import Context
from narcograph.cli_link import link
from narcograph.config import load_settings
from narcograph.export import export
from narcograph.identify import (
    Candidate,
    Entity,
    IdentifyError,
    Review,
    accepted_links,
    apply_review,
    entities_without_wikidata,
    find_candidates,
    read_review,
    select,
    write_review,
)
from narcograph.ingest.pipeline import ingest_paths
from narcograph.link import IDENTIFIERS_GRAPH, coverage
from narcograph.store import GraphStore
from narcograph.vocabulary import ensure_vocabulary

if TYPE_CHECKING:
    from conftest import StandIn

DATA = Path(__file__).parent / "data"
ID = "https://w3id.org/narcograph/id/"
WD = "http://www.wikidata.org/entity/"
DARAA = ID + "place/sy-daraa"
AND = ID + "agency/jo-anti-narcotics-department"
MOI = ID + "agency/sy-syrian-ministry-of-interior"
QAIM = ID + "place/iq-al-qaim"


@pytest.fixture
def sample(sample_store) -> GraphStore:
    return sample_store(None)


def by_entity(candidates: list[Candidate]) -> dict[str, list[Candidate]]:
    out: dict[str, list[Candidate]] = {}
    for c in candidates:
        out.setdefault(c.entity.iri, []).append(c)
    return out


# -- what is looked up ---------------------------------------------------------------------------
def test_entities_without_wikidata_are_the_ones_operations_use(sample: GraphStore) -> None:
    entities = {e.iri: e for e in entities_without_wikidata(sample)}
    assert entities[DARAA] == Entity(DARAA, "place", "Daraa", "SY", "Q858", "170903")
    assert entities[AND] == Entity(AND, "agency", "Anti-Narcotics Department", "JO", "Q810", None)
    assert entities[QAIM].kind == "place" and entities[QAIM].geonames is None
    assert ID + "agency/int-interpol" not in entities  # already has its Wikidata ID
    assert ID + "agency/lb-internal-security-forces" not in entities
    assert not [e for e in entities.values() if e.kind == "country"]  # every country has one


# -- asking the endpoint -------------------------------------------------------------------------
def test_lookup_finds_candidates_and_marks_only_a_single_geonames_match(sample: GraphStore, wikidata: StandIn) -> None:
    candidates, skipped = find_candidates(entities_without_wikidata(sample), wikidata.url)
    found = by_entity(candidates)
    (daraa,) = found[DARAA]
    assert (daraa.qid, daraa.method, daraa.accept) == ("Q90000001", "geonames", True)
    assert daraa.item_label == "Daraa Governorate" and daraa.description == "governorate of Syria"
    # label in the agency's country: the Lebanese namesake is left out, and a person decides
    assert [(c.qid, c.method, c.accept) for c in found[AND]] == [("Q90000002", "label+country", None)]
    assert [c.qid for c in found[MOI]] == ["Q90000004"]  # by alias
    assert [c.qid for c in found[QAIM]] == ["Q90000005", "Q90000006"]  # two of that name: both offered
    assert [c.qid for c in found[ID.replace("/id/", "/substance/") + "captagon"]] == ["Q90000007"]
    assert ID + "place/lb-bekaa" not in found  # only a German label: not an English match
    assert ID + "place/jo-jaber" not in found
    assert not skipped
    assert len(wikidata.queries) == 2  # one batch by GeoNames ID, one by label


def test_an_agency_without_a_country_is_not_looked_up(wikidata: StandIn) -> None:
    police = Entity(ID + "agency/int-police", "agency", "Police")
    candidates, skipped = find_candidates([police], wikidata.url)
    assert candidates == [] and skipped[0][0] == police and "namesakes" in skipped[0][1]
    assert wikidata.queries == []


def test_lookup_batches_many_keys(wikidata: StandIn) -> None:
    many = [Entity(f"{ID}place/xx-{i}", "place", f"Place {i}", "SY", "Q858", str(1000 + i)) for i in range(120)]
    candidates, _ = find_candidates(many, wikidata.url)
    assert candidates == [] and len(wikidata.queries) == 3  # 50 + 50 + 20 keys


def test_lookup_reports_an_endpoint_that_is_down(sample: GraphStore, down: str) -> None:
    with pytest.raises(IdentifyError, match="could not reach http://127.0.0.1"):
        find_candidates(entities_without_wikidata(sample), down, timeout=5)


@pytest.fixture
def broken_endpoint() -> Iterator[str]:
    """An endpoint that answers /error with 500 and anything else with an HTML page."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status, body = (500, b"query timeout\n") if self.path == "/error" else (200, b"<html>hello</html>")
            self.send_response(status)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_select_reports_error_statuses_and_answers_that_are_not_results(broken_endpoint: str) -> None:
    with pytest.raises(IdentifyError, match="answered 500 .*: query timeout"):
        select(broken_endpoint + "/error", "SELECT * {}")
    with pytest.raises(IdentifyError, match="did not answer with SPARQL JSON results"):
        select(broken_endpoint + "/sparql", "SELECT * {}")


def test_labels_with_quotes_cannot_break_the_query(wikidata: StandIn) -> None:
    odd = Entity(ID + "agency/sy-x", "agency", 'Unit "7" } ; DROP ALL', "SY", "Q858")
    candidates, _ = find_candidates([odd], wikidata.url)
    assert candidates == []
    assert '"Unit \\"7\\" } ; DROP ALL"@en' in wikidata.queries[0]


# -- the review file -----------------------------------------------------------------------------
def reviewed(path: Path, decisions: dict[tuple[str, str], str]) -> Path:
    """Set the accept column of the rows (entity, QID) of a review file, as a person would."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        cells = line.split("\t")
        if not line.startswith("#") and len(cells) > 5 and (cells[2], cells[5]) in decisions:
            cells[0] = decisions[(cells[2], cells[5])]
        out.append("\t".join(cells))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def test_review_round_trip_adds_the_accepted_links(sample: GraphStore, wikidata: StandIn, tmp_path: Path) -> None:
    before = coverage(sample)
    candidates, _ = find_candidates(entities_without_wikidata(sample), wikidata.url)
    path = tmp_path / "review.tsv"
    assert write_review(path, candidates) == len(candidates)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# narcograph: candidate Wikidata IDs to review")
    assert "yes\tplace\t" + DARAA + "\tDaraa\tSY\tQ90000001\tDaraa Governorate" in text
    reviewed(path, {(AND, "Q90000002"): "yes", (QAIM, "Q90000005"): "Yes", (QAIM, "Q90000006"): "no"})
    rows = read_review(path)
    assert {(r.entity, r.qid, r.accept) for r in rows} == {
        (DARAA, "Q90000001", True),
        (AND, "Q90000002", True),
        (QAIM, "Q90000005", True),
        (QAIM, "Q90000006", False),
    }
    applied = apply_review(sample, rows)
    assert (applied.added, applied.withdrawn, applied.total, applied.unknown) == (3, 0, 3, 0)
    assert accepted_links(sample) == {(DARAA, "Q90000001"), (AND, "Q90000002"), (QAIM, "Q90000005")}
    after = coverage(sample)
    assert after["agencies"]["datasets"]["Wikidata"] == before["agencies"]["datasets"]["Wikidata"] + 1
    assert after["places"]["datasets"]["Wikidata"] == 2 and after["places"]["linked"] == before["places"]["linked"] + 1
    # applying the same file again changes nothing
    assert apply_review(sample, read_review(path)).added == 0 and len(accepted_links(sample)) == 3


def test_no_withdraws_a_link_accepted_before(sample: GraphStore) -> None:
    apply_review(sample, [Review(AND, "Q90000002", True), Review(MOI, "Q90000004", True)])
    applied = apply_review(sample, [Review(AND, "Q90000002", False)])
    assert (applied.added, applied.withdrawn, applied.total) == (0, 1, 1)
    assert accepted_links(sample) == {(MOI, "Q90000004")}
    apply_review(sample, [Review(MOI, "Q90000004", False)])
    assert IDENTIFIERS_GRAPH not in set(sample.graphs())  # nothing left: no empty graph either


def test_links_about_entities_the_store_lacks_are_kept_and_counted(sample: GraphStore) -> None:
    applied = apply_review(sample, [Review(ID + "agency/zz-unknown", "Q90000009", True)])
    assert applied.unknown == 1 and applied.total == 1


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("maybe\tagency\t" + AND + "\tX\tJO\tQ90000002", "accept is 'maybe'; write yes, no or leave it blank"),
        ("yes\tagency\t" + AND + "\tX\tJO\tQ0", "'Q0' is not a Wikidata ID"),
        ("yes\tagency\t" + AND + "\tX\tJO\t90000002", "'90000002' is not a Wikidata ID"),
        ("yes\tagency\tagency/jo-x\tX\tJO\tQ1", "'agency/jo-x' is not an absolute IRI"),
        ("yes\tagency\t<" + AND + ">\tX\tJO\tQ1", "is not an absolute IRI"),
        ("yes\tagency", "2 column(s), expected 9"),
    ],
)
def test_a_malformed_review_file_is_rejected_whole(sample: GraphStore, tmp_path: Path, row: str, message: str) -> None:
    path = tmp_path / "review.tsv"
    good = "yes\tplace\t" + DARAA + "\tDaraa\tSY\tQ90000001\tDaraa Governorate\t\tgeonames"
    path.write_text("\t".join(
        ("accept", "kind", "entity", "label", "country", "wikidata", "wikidata_label", "description", "method")
    ) + "\n" + good + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(IdentifyError, match="nothing was applied") as error:
        read_review(path)
    assert f"{path}:3: " in str(error.value) and message in str(error.value)
    assert accepted_links(sample) == set()


def test_review_file_without_the_needed_columns(tmp_path: Path) -> None:
    path = tmp_path / "review.tsv"
    path.write_text("accept\tentity\nyes\thttps://x.example/a\n", encoding="utf-8")
    with pytest.raises(IdentifyError, match="lacks the column\\(s\\) wikidata"):
        read_review(path)
    path.write_text("# only a comment\n", encoding="utf-8")
    with pytest.raises(IdentifyError, match="no header row"):
        read_review(path)
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(IdentifyError, match="cannot read the review file"):
        read_review(path)


def test_full_iris_of_wikidata_items_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "review.tsv"
    path.write_text(f"accept\tentity\twikidata\nyes\t{AND}\t{WD}Q90000002\n\t{MOI}\tQ1\n", encoding="utf-8")
    assert read_review(path) == [Review(AND, "Q90000002", True, 2)]


# -- the links outlive re-ingest and travel with exports ------------------------------------------
REPORT = """title: Customs seize cocaine at the port of Aqaba
published: 2026-03-02
source: https://news.example/aqaba-cocaine

Jordanian customs officers seized 120 kilograms of cocaine at the port of Aqaba on Sunday, {extra}
"""


def test_accepted_links_survive_reingest_and_are_exported(tmp_path: Path) -> None:
    settings = load_settings(store=str(tmp_path / "store"))
    store = GraphStore(settings.store)
    ensure_vocabulary(store)
    report = tmp_path / "aqaba.txt"
    report.write_text(REPORT.format(extra="and arrested two men."), encoding="utf-8")
    ingest_paths([report], settings, store)
    agencies = [e for e in entities_without_wikidata(store) if e.kind == "agency"]
    assert agencies, "the example names an agency without a Wikidata ID"
    customs = agencies[0].iri
    apply_review(store, [Review(customs, "Q90000010", True)])

    report.write_text(REPORT.format(extra="and arrested three men."), encoding="utf-8")  # the report changes
    ingest_paths([report], settings, store)
    assert accepted_links(store) == {(customs, "Q90000010")}
    assert customs not in {e.iri for e in entities_without_wikidata(store)}

    out = tmp_path / "delivery.ttl"
    export(store, out)
    exported = ox.Store()
    exported.load(path=str(out), format=ox.RdfFormat.TURTLE)
    match = ox.NamedNode("http://www.w3.org/2004/02/skos/core#exactMatch")
    assert ox.Quad(ox.NamedNode(customs), match, ox.NamedNode(WD + "Q90000010")) in exported
    store.close()


# -- the CLI -------------------------------------------------------------------------------------
def test_cli_lookup_then_accept(tmp_path: Path, runner: CliRunner, wikidata: StandIn, sample_store) -> None:
    settings = load_settings(store=str(tmp_path / "store"))
    sample_store(Path(settings.store)).close()

    def run(*args: str):
        obj = Context(settings)
        try:
            return runner.invoke(link, list(args), obj=obj)
        finally:
            obj.close()

    review = tmp_path / "review.tsv"
    looked = run("--lookup", str(review), "--endpoint", wikidata.url)
    assert looked.exit_code == 0, looked.output
    assert "candidate(s) for 5 entit(ies)" in looked.output and "1 marked yes" in looked.output
    assert f"narcograph link --accept {review}" in looked.output
    reviewed(review, {(AND, "Q90000002"): "yes"})
    accepted = run("--accept", str(review), "--report", "--format", "json")
    assert accepted.exit_code == 0, accepted.output
    assert "2 link(s) added, 0 withdrawn; 2 accepted Wikidata link(s) in the store" in accepted.output
    report = json.loads(accepted.output[accepted.output.index("{") :])
    agencies = report["coverage"]["agencies"]
    assert agencies["datasets"]["Wikidata"] == 3  # INTERPOL and the ISF in the sample, and now AND
    assert "Anti-Narcotics Department (JO)" not in agencies["unlinked"]


def test_cli_lookup_with_the_endpoint_down_exits_2_and_writes_nothing(
    tmp_path: Path, runner: CliRunner, down: str, sample_store
) -> None:
    settings = load_settings(store=str(tmp_path / "store"))
    sample_store(Path(settings.store)).close()
    obj = Context(settings)
    review = tmp_path / "review.tsv"
    try:
        result = runner.invoke(link, ["--lookup", str(review), "--endpoint", down], obj=obj)
    finally:
        obj.close()
    assert result.exit_code == 2 and "error: could not reach" in result.output
    assert not review.exists()


def test_cli_refuses_lookup_and_accept_together(tmp_path: Path, runner: CliRunner) -> None:
    review = tmp_path / "review.tsv"
    review.write_text("accept\tentity\twikidata\n", encoding="utf-8")
    obj = Context(replace(load_settings(store=str(tmp_path / "store"))))
    try:
        both = runner.invoke(link, ["--lookup", str(tmp_path / "x.tsv"), "--accept", str(review)], obj=obj)
        missing = runner.invoke(link, ["--accept", str(tmp_path / "missing.tsv")], obj=obj)
    finally:
        obj.close()
    assert both.exit_code == 2 and "separate steps" in both.output
    assert missing.exit_code == 2 and "does not exist" in missing.output
