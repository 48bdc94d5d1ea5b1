"""Federated named queries: joined with a Wikidata stand-in on 127.0.0.1, local answers without it.

The stand-in (the ``wikidata`` fixture of conftest.py) is a pyoxigraph store holding a small
Wikidata-shaped fixture served over the SPARQL protocol on an ephemeral port. No test reaches
the network.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from narcograph.api import KnowledgeGraph, named_query_text
from narcograph.config import Settings, load_settings
from narcograph.errors import QueryError
from narcograph.link import WIKIDATA_SPARQL, with_service_endpoint

if TYPE_CHECKING:
    from conftest import StandIn

DATA = Path(__file__).parent / "data"
ID = "https://w3id.org/narcograph/id/"
FEDERATED = ("seizures_per_capita", "operations_in_neighbours")


@pytest.fixture
def kg(sample_store) -> KnowledgeGraph:
    return KnowledgeGraph(sample_store(None), load_settings(store=None))


def run(kg: KnowledgeGraph, name: str, endpoint: str, **params: str) -> list[dict]:
    return kg.rows(with_service_endpoint(named_query_text(name, params), endpoint)).dicts()


# -- seizures per capita -----------------------------------------------------------------------
def test_per_capita_joins_the_population_of_the_countrys_item(kg: KnowledgeGraph, wikidata: StandIn) -> None:
    rows = run(kg, "seizures_per_capita", wikidata.url, country="JO")
    cocaine = next(r for r in rows if r["substance"] == "Cocaine")
    assert cocaine["wikidata"] == "http://www.wikidata.org/entity/Q810"
    assert cocaine["population"] == 10_000_000  # the larger of two statements
    assert cocaine["total"] == 300 and cocaine["perMillion"] == 30
    assert len(wikidata.queries) == 1  # one call for all countries, not one per row


def test_per_capita_gives_the_local_answer_when_wikidata_is_down(kg: KnowledgeGraph, down: str) -> None:
    local = kg.run_rows("seizures_by_country_year").dicts()
    rows = run(kg, "seizures_per_capita", down)
    assert rows and all(r.get("population") is None and r.get("perMillion") is None for r in rows)
    key = ("country", "countryLabel", "year", "substance", "unit", "seizures", "total")
    assert all(r.get(k) is not None for r in rows for k in ("country", "countryLabel", "year", "seizures"))
    assert sorted(tuple(r.get(k) for k in key) for r in rows) == sorted(tuple(r.get(k) for k in key) for r in local)


def test_per_capita_with_wikidata_up_keeps_every_local_row(kg: KnowledgeGraph, wikidata: StandIn, down: str) -> None:
    up = run(kg, "seizures_per_capita", wikidata.url)
    without = run(kg, "seizures_per_capita", down)
    drop = ("population", "perMillion")
    assert [{k: v for k, v in r.items() if k not in drop} for r in up] == [
        {k: v for k, v in r.items() if k not in drop} for r in without
    ]
    assert all(r["population"] is not None for r in up)  # every sample country has a verified QID


# -- operations in neighbouring countries -----------------------------------------------------
def test_neighbours_of_syria_from_wikidata_borders(kg: KnowledgeGraph, wikidata: StandIn) -> None:
    rows = run(kg, "operations_in_neighbours", wikidata.url)
    assert {r["country"] for r in rows} == {"JO", "LB", "IQ"}  # not Syria itself, nor Saudi Arabia
    assert all(r["borders"] is True for r in rows)
    assert {ID + "operation/r2-1", ID + "operation/r4-1", ID + "operation/r3-1"} <= {r["operation"] for r in rows}
    assert len(wikidata.queries) == 1
    jordan = run(kg, "operations_in_neighbours", wikidata.url, country="jo")
    assert {r["country"] for r in jordan} == {"SY", "IQ"}


def test_neighbours_give_every_operation_when_wikidata_is_down(kg: KnowledgeGraph, down: str) -> None:
    rows = run(kg, "operations_in_neighbours", down)
    assert {r["country"] for r in rows} == {"SY", "JO", "LB", "IQ"}
    assert all(r.get("borders") is None for r in rows)
    assert {r["operation"] for r in rows} == {r["operation"] for r in kg.run_rows("operations").dicts()}


def test_named_queries_call_wikidata_unless_pointed_elsewhere() -> None:
    for name in FEDERATED:
        text = named_query_text(name, {})
        assert f"SERVICE SILENT <{WIKIDATA_SPARQL}>" in text
        assert "OPTIONAL {" in text.split(f"SERVICE SILENT <{WIKIDATA_SPARQL}>")[0].rsplit("SELECT", 1)[0]
        moved = with_service_endpoint(text, "http://127.0.0.1:8890/sparql")
        assert WIKIDATA_SPARQL not in moved and "SERVICE SILENT <http://127.0.0.1:8890/sparql>" in moved
    assert with_service_endpoint("SELECT * {}", None) == "SELECT * {}"
    with pytest.raises(QueryError, match="not an endpoint IRI"):
        with_service_endpoint(named_query_text(FEDERATED[0], {}), "not an iri")


# -- over HTTP, with the allow-list pointed at the stand-in ------------------------------------
@pytest.fixture
def served(tmp_path: Path, wikidata: StandIn, sample_store) -> Iterator[tuple[object, StandIn]]:
    from narcograph.endpoint import create_app

    store = sample_store(tmp_path / "store")
    store.flush()
    settings = replace(
        Settings(store=str(tmp_path / "store"), threads=2, query_timeout=20.0), service_allowlist=(wikidata.url,)
    )
    app = create_app(settings, store)
    try:
        yield app.test_client(), wikidata
    finally:
        app.extensions["narcograph"].close()


def test_endpoint_runs_the_federated_query_against_an_allow_listed_stand_in(served) -> None:
    client, wikidata = served
    text = with_service_endpoint(named_query_text("seizures_per_capita", {"country": "LB"}), wikidata.url)
    response = client.post("/sparql", data={"query": text}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.data
    rows = json.loads(response.data)["results"]["bindings"]
    assert rows and {r["population"]["value"] for r in rows} == {"5000000"}
    # the same query aimed at Wikidata itself is refused before anything is fetched
    refused = client.post("/sparql", data={"query": named_query_text("seizures_per_capita", {})})
    assert refused.status_code == 400 and b"not allowed" in refused.data
