"""Named queries over HTTP: the listing and running one with parameters."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from endpoint_fixtures import make_settings

from narcograph.endpoint import create_app
from narcograph.ingest.pipeline import ingest_paths
from narcograph.store import GraphStore
from narcograph.vocabulary import ensure_vocabulary

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "reports"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """An app over a store that the real pipeline filled with the example reports."""
    path = tmp_path_factory.mktemp("named") / "store"
    store = GraphStore(path)
    ensure_vocabulary(store)
    settings = make_settings(path)
    ingest_paths([EXAMPLES], settings, store)
    app = create_app(settings, store)
    try:
        yield app.test_client()
    finally:
        app.extensions["narcograph"].close()


def test_seizures_with_a_substance_parameter(client):
    response = client.get("/queries/seizures", query_string={"substance": "captagon"})
    rows = response.get_json()["results"]["bindings"]
    assert {r["substance"]["value"] for r in rows} == {"Captagon"}
    assert sorted(float(r["quantity"]["value"]) for r in rows) == [200000.0, 1800000.0, 2500000.0]


def test_listing_names_every_query_with_parameters(client):
    response = client.get("/queries")
    assert response.status_code == 200
    listing = {q["name"]: q for q in response.get_json()}
    assert {"operations", "seizures"} <= set(listing)
    assert [p["name"] for p in listing["operations"]["parameters"]] == ["country", "since", "until"]
    assert listing["seizures"]["url"].endswith("/queries/seizures")


def test_run_returns_the_contract_columns(client):
    response = client.get("/queries/operations")
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    assert response.get_json()["head"]["vars"] == [
        "operation",
        "source",
        "date",
        "arrests",
        "countries",
        "places",
        "agencies",
        "persons",
        "origins",
        "destinations",
    ]


def test_parameters_filter_and_format_chooses_csv(client):
    everything = client.get("/queries/operations", headers={"Accept": "text/csv"})
    none = client.get("/queries/operations?country=ZZ&format=csv")
    assert everything.status_code == none.status_code == 200
    assert len(list(csv.reader(io.StringIO(none.get_data(as_text=True))))) == 1  # header only
    assert len(list(csv.reader(io.StringIO(everything.get_data(as_text=True))))) > 1


@pytest.mark.parametrize("value", ['SY" } ; DROP ALL ; #', "> } <x>", "2026-13-01"])
def test_bad_or_hostile_parameters_are_400_or_harmless(client, value):
    response = client.get("/queries/operations", query_string={"since": value})
    assert response.status_code == 400
    assert response.get_json()["error"]["status"] == 400
    hostile = client.get("/queries/operations", query_string={"country": value})
    assert hostile.status_code == 200 and hostile.get_json()["results"]["bindings"] == []


def test_unknown_query_and_parameter(client):
    assert client.get("/queries/nope").status_code == 404
    response = client.get("/queries/operations?colour=red")
    assert response.status_code == 400
    assert "colour" in response.get_json()["error"]["detail"]
