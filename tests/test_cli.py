"""The CLI end to end over the example reports, on a real on-disk store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from narcograph.cli import cli

# triples in report graphs (the vocabulary graph is there from the first open)
REPORT_TRIPLES = (
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER (?g != <https://w3id.org/narcograph/ontology>) }"
)
SEED_URL = "https://example.org/news/2026/02/iraqi-intelligence-captagon-network"


def _invoke(runner, store: Path, *args: str):
    return runner.invoke(cli, ["--store", str(store), *args], catch_exceptions=False)


def _json_rows(output: str) -> list[dict]:
    data = json.loads(output)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def test_ingest_examples_then_query(runner, tmp_path, examples):
    store = tmp_path / "store"
    result = _invoke(runner, store, "ingest", str(examples))
    # the invalid example is rejected, the opinion piece skipped: exit code 1
    assert result.exit_code == 1, result.output
    assert "invalid-future-operation.txt" in result.output
    assert "rejected" in result.output
    assert "drug-policy-opinion.txt: skipped: no operation found" in result.output

    result = _invoke(runner, store, "query", "operations", "--format", "json")
    assert result.exit_code == 0, result.output
    ops = [r for r in _json_rows(result.output) if r["source"] == SEED_URL]
    assert len(ops) == 2
    by_date = {r.get("date"): r for r in ops}
    first, second = by_date["2026-02-10"], by_date["2026-01-15"]
    assert first["arrests"] == "5" and first["countries"] == "SY"
    assert first["origins"] == "SY" and first["destinations"] == "IQ"
    assert "National Intelligence Service" in first["agencies"]
    assert second["arrests"] == "3"
    assert set(second["countries"].split()) == {"SY", "IQ"}
    assert {"Homs", "Rural Damascus"} <= {p.strip() for p in second["places"].split(";")}

    result = _invoke(runner, store, "query", "seizures", "--format", "json")
    seizures = [r for r in _json_rows(result.output) if r["source"] == SEED_URL]
    amounts = sorted((r["substance"], float(r["quantity"]), r["unit"]) for r in seizures)
    assert amounts == [("Captagon", 200000.0, "pill"), ("Captagon", 2500000.0, "pill")]

    # a saved web page: the article's text and its canonical URL, not the comments below it
    html = [r for r in _json_rows(result.output) if r["source"].endswith("/beirut-port-captagon")]
    assert [(r["substance"], float(r["quantity"]), r["unit"]) for r in html] == [("Captagon", 1800000.0, "pill")]

    # nothing of the rejected report reached the store
    result = _invoke(
        runner,
        store,
        "query",
        "ASK { ?r <https://w3id.org/narcograph/ontology#url> <https://example.org/news/2026/03/impossible-seizure> }",
    )
    assert result.output.strip() == "false"


def test_ingest_twice_leaves_store_unchanged(runner, tmp_path, examples):
    store = tmp_path / "store"
    report = examples / "iraq-syria-captagon-network.txt"
    assert _invoke(runner, store, "ingest", str(report)).exit_code == 0
    count = REPORT_TRIPLES
    before = _invoke(runner, store, "query", count, "--format", "csv").output
    again = _invoke(runner, store, "ingest", str(report))
    assert again.exit_code == 0 and "unchanged" in again.output
    assert _invoke(runner, store, "query", count, "--format", "csv").output == before


def test_validate_writes_nothing(runner, tmp_path, examples):
    store = tmp_path / "store"
    result = _invoke(runner, store, "validate", str(examples / "iraq-syria-captagon-network.txt"))
    assert result.exit_code == 0, result.output
    assert "valid" in result.output
    count = _invoke(runner, store, "query", REPORT_TRIPLES, "--format", "csv")
    assert count.output.splitlines()[1].strip() == "0"


def test_broken_inputs_get_one_line_each_and_exit_1(runner, tmp_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00")
    (folder / "latin1.txt").write_bytes("Title: Caf\xe9\n\nPolice seized 2 kg of cocaine.".encode("latin-1"))
    (folder / "impossible-date.txt").write_text("Date: 2026-02-30\n\nPolice seized 2 kg of cocaine.\n")
    (folder / "no-text.json").write_text(json.dumps({"url": "https://example.org/x", "title": "x"}))
    store = tmp_path / "store"
    result = _invoke(runner, store, "ingest", str(folder))
    assert result.exit_code == 1
    for name in ("empty.txt", "binary.txt", "latin1.txt", "impossible-date.txt", "no-text.json"):
        lines = [line for line in result.output.splitlines() if name in line]
        assert len(lines) == 1, (name, result.output)
    assert "5 rejected" in result.output
    count = _invoke(runner, store, "query", REPORT_TRIPLES, "--format", "csv")
    assert count.output.splitlines()[1].strip() == "0"


def test_query_errors_exit_2(runner, tmp_path):
    store = tmp_path / "store"
    assert _invoke(runner, store, "query", "no-such-query").exit_code == 2
    bad = _invoke(runner, store, "query", "SELECT ?x WHERE { ?x ")
    assert bad.exit_code == 2 and "malformed query" in bad.output
    assert _invoke(runner, store, "query", "seizures", "--param", "since=not-a-date").exit_code == 2
    assert _invoke(runner, store, "query", "seizures", "--param", "nope=1").exit_code == 2


def test_query_rq_file_and_params(runner, tmp_path, examples):
    store = tmp_path / "store"
    _invoke(runner, store, "ingest", str(examples / "iraq-syria-captagon-network.txt"))
    rq = tmp_path / "mine.rq"
    rq.write_text(
        "# title: mine\n# param: since (date, optional) from\n"
        "PREFIX ng: <https://w3id.org/narcograph/ontology#>\n"
        "SELECT ?op WHERE { ?op ng:date ?d FILTER(!BOUND(?param_since) || ?d >= ?param_since) }"
    )
    result = _invoke(runner, store, "query", str(rq), "--param", "since=2026-02-01", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert len(result.output.strip().splitlines()) == 2  # header + the February operation


def test_store_locked_is_a_clear_error(runner, tmp_path):
    from narcograph.store import GraphStore

    store = tmp_path / "store"
    holder = GraphStore(store)
    result = _invoke(runner, store, "query", "operations")
    assert result.exit_code == 2
    assert "cannot open the store" in result.output
    del holder
    shutil.rmtree(store, ignore_errors=True)


def test_validate_explain_shows_sentences_and_grouping(runner, tmp_path, examples):
    result = _invoke(
        runner, tmp_path / "store", "validate", "--explain", str(examples / "iraq-syria-captagon-network.txt")
    )
    assert result.exit_code == 0, result.output
    assert "-> operation 2 (event)" in result.output
    assert "seizure captagon: 2,500,000 pill" in result.output
    assert "2 operation(s):" in result.output
