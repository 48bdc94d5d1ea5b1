"""The SHACL shapes: every shape has a conforming and a violating fixture (tests/data/shapes/)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from narcograph.ingest import facts
from narcograph.ingest.report import Report
from narcograph.ingest.to_rdf import report_graph
from narcograph.ontology import NG, ontology_graph
from narcograph.shapes import ValidationResult, Violation, shapes_graph, validate

FIXTURES = Path(__file__).resolve().parent / "data" / "shapes"
ID = Namespace("https://w3id.org/narcograph/id/")
SKOS_EXACT_MATCH = "http://www.w3.org/2004/02/skos/core#exactMatch"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
LABEL = str(RDFS.label)
SUSPECT_PATH = "|".join(f"<{NG[p]}>" for p in ("suspect", "arrested", "charged", "wanted"))

# the plain-words messages a user sees, one per constraint
M = {
    "report-source": "A report must have exactly one source, the IRI of its web page or file "
    "(ng:source).",
    "report-url": "A report can have at most one URL, and it must be an IRI (ng:url).",
    "report-published": "A report can have at most one publication date, and it must be an "
    "xsd:date (ng:published).",
    "report-ingested": "A report can have at most one ingest time, and it must be an "
    "xsd:dateTime (ng:ingestedAt).",
    "op-report": "An operation must come from exactly one report (ng:reportedIn).",
    "op-date": "An operation can have at most one date, and it must be an xsd:date (ng:date).",
    "op-announced": "An operation can have at most one announcement date, and it must be an "
    "xsd:date (ng:announcedOn).",
    "op-arrests": "An operation can state at most one number of arrests, and it must be a whole "
    "number of zero or more (ng:arrestCount).",
    "op-place": "An operation can only have occurred in a place (ng:occurredIn must point to an "
    "ng:Place).",
    "op-agency": "An operation can only be conducted by an agency (ng:conductedBy must point to "
    "an ng:Agency).",
    "op-seized": "What an operation seized must be described as a seizure (ng:seized must point "
    "to an ng:Seizure).",
    "op-suspect": "A suspect arrested, charged or wanted must be a person (ng:arrested, "
    "ng:charged and ng:wanted must point to an ng:Person).",
    "op-network": "The network an operation targeted must be a criminal network "
    "(ng:targetNetwork must point to an ng:CriminalNetwork).",
    "op-origin": "The drugs' country of origin must be a country (ng:originCountry must point "
    "to an ng:Country).",
    "op-transit": "A transit country of the drugs must be a country (ng:transitCountry must "
    "point to an ng:Country).",
    "op-destination": "The drugs' destination must be a country (ng:destinationCountry must "
    "point to an ng:Country).",
    "op-after-publication": "The operation's date (2024-05-07) is after its report's "
    "publication date (2024-05-02): an operation cannot be reported before it happened "
    "(ng:date).",
    "op-fact": "An operation must state at least one fact: a seizure (ng:seized), a number of "
    "arrests (ng:arrestCount), a named suspect (ng:arrested, ng:charged, ng:wanted) or an "
    "agency (ng:conductedBy).",
    "seizure-substance": "A seizure must name exactly one substance of the narcograph "
    "substance scheme (ng:substance).",
    "seizure-quantity": "A seizure can have at most one quantity, and it must be a decimal "
    "number greater than zero (ng:quantity).",
    "seizure-unit": "A seizure can have at most one unit, one of ng:kilogram, ng:litre, "
    "ng:pill, ng:plant or ng:item (ng:unit).",
    "seizure-needs-unit": "A seizure with a quantity (ng:quantity) must also give its unit "
    "(ng:unit).",
    "seizure-needs-quantity": "A seizure with a unit (ng:unit) must also give its quantity "
    "(ng:quantity).",
    "seizure-evidence": "A seizure must quote the sentence of the report it came from "
    "(ng:evidence).",
    "seizure-pills": "A seizure of 12000000000.0 pills is implausibly large (more than 10 "
    "billion); check the number (ng:quantity).",
    "seizure-kilograms": "A seizure of 45000000.0 kg is implausibly large (more than 10,000 "
    "tonnes); check the number and the unit (ng:quantity).",
    "person-label": "A person must have exactly one name, a non-empty string without a "
    "language tag (rdfs:label).",
    "agency-label": "An agency must have a name (rdfs:label).",
    "agency-country": "An agency's country must be a country (ng:country must point to an "
    "ng:Country).",
    "network-label": "A criminal network must have a name (rdfs:label).",
    "place-label": "A place must have a name (rdfs:label).",
    "place-iso": "A place can have at most one ISO code, an ISO 3166-1 alpha-2 or ISO 3166-2 "
    "code such as SY or SY-RD (ng:isoCode).",
    "place-country": "The country a place lies in must be a country (ng:inCountry must point "
    "to an ng:Country).",
    "country-iso": "A country must have exactly one ISO 3166-1 alpha-2 code, two capital "
    "letters such as SY (ng:isoCode).",
    "exact-match": "An external link (skos:exactMatch) must be a Wikidata entity, a GeoNames "
    "feature or a ChEBI entity IRI, such as http://www.wikidata.org/entity/Q858 or "
    "https://sws.geonames.org/163843/.",
    "same-as": "narcograph does not use owl:sameAs; link to external resources with "
    "skos:exactMatch instead (owl:sameAs).",
}

CONFORMING = [
    "conforms-full",
    "conforms-minimal",
    "conforms-arrests-only",
    "conforms-suspect-only",
    "conforms-seizure-only",
    "conforms-plausible-maximum",
]

# fixture -> (focus node in ID:, path IRI or None for a node-level check, message key)
VIOLATING = {
    "report-no-source": ("report-1", NG.source, "report-source"),
    "report-two-sources": ("report-1", NG.source, "report-source"),
    "report-source-literal": ("report-1", NG.source, "report-source"),
    "report-url-literal": ("report-1", NG.url, "report-url"),
    "report-published-datetime": ("report-1", NG.published, "report-published"),
    "report-two-ingest-times": ("report-1", NG.ingestedAt, "report-ingested"),
    "operation-no-report": ("op-1", NG.reportedIn, "op-report"),
    "operation-report-not-a-report": ("op-1", NG.reportedIn, "op-report"),
    "operation-two-dates": ("op-1", NG.date, "op-date"),
    "operation-date-string": ("op-1", NG.date, "op-date"),
    "operation-announced-datetime": ("op-1", NG.announcedOn, "op-announced"),
    "operation-arrests-negative": ("op-1", NG.arrestCount, "op-arrests"),
    "operation-place-not-a-place": ("op-1", NG.occurredIn, "op-place"),
    "operation-agency-not-an-agency": ("op-1", NG.conductedBy, "op-agency"),
    "operation-seized-not-a-seizure": ("op-1", NG.seized, "op-seized"),
    "operation-suspect-not-a-person": ("op-1", SUSPECT_PATH, "op-suspect"),
    "operation-network-not-a-network": ("op-1", NG.targetNetwork, "op-network"),
    "operation-origin-not-a-country": ("op-1", NG.originCountry, "op-origin"),
    "operation-transit-not-a-country": ("op-1", NG.transitCountry, "op-transit"),
    "operation-destination-not-a-country": ("op-1", NG.destinationCountry, "op-destination"),
    "operation-date-after-publication": ("op-1", NG.date, "op-after-publication"),
    "operation-no-fact": ("op-1", None, "op-fact"),
    "seizure-no-substance": ("seizure-1", NG.substance, "seizure-substance"),
    "seizure-two-substances": ("seizure-1", NG.substance, "seizure-substance"),
    "seizure-unknown-substance": ("seizure-1", NG.substance, "seizure-substance"),
    "seizure-quantity-zero": ("seizure-1", NG.quantity, "seizure-quantity"),
    "seizure-quantity-double": ("seizure-1", NG.quantity, "seizure-quantity"),
    "seizure-unit-not-allowed": ("seizure-1", NG.unit, "seizure-unit"),
    "seizure-quantity-without-unit": ("seizure-1", None, "seizure-needs-unit"),
    "seizure-unit-without-quantity": ("seizure-1", None, "seizure-needs-quantity"),
    "seizure-no-evidence": ("seizure-1", NG.evidence, "seizure-evidence"),
    "person-no-name": ("person-1", LABEL, "person-label"),
    "person-two-names": ("person-1", LABEL, "person-label"),
    "person-blank-name": ("person-1", LABEL, "person-label"),
    "person-name-with-language": ("person-1", LABEL, "person-label"),
    "agency-no-name": ("agency-1", LABEL, "agency-label"),
    "agency-country-not-a-country": ("agency-1", NG.country, "agency-country"),
    "network-no-name": ("network-1", LABEL, "network-label"),
    "place-no-name": ("place-1", LABEL, "place-label"),
    "place-bad-iso-code": ("place-1", NG.isoCode, "place-iso"),
    "place-in-country-not-a-country": ("place-1", NG.inCountry, "place-country"),
    "country-no-iso-code": ("country-1", NG.isoCode, "country-iso"),
    "country-subdivision-code": ("country-1", NG.isoCode, "country-iso"),
    "link-not-an-entity-iri": ("country-SY", SKOS_EXACT_MATCH, "exact-match"),
    "link-wikidata-page": ("agency-1", SKOS_EXACT_MATCH, "exact-match"),
    "link-same-as": ("country-SY", OWL_SAME_AS, "same-as"),
}

# warnings are reported, but the graph still conforms
WARNING = {
    "warns-pills": ("seizure-1", NG.quantity, "seizure-pills"),
    "warns-kilograms": ("seizure-1", NG.quantity, "seizure-kilograms"),
}


def load(name: str) -> Graph:
    graph = Graph()
    graph.parse(FIXTURES / f"{name}.ttl", format="turtle")
    return graph


def results(result: ValidationResult) -> list[tuple[str, str | None, str, str]]:
    return [(v.focus, v.path, v.message, v.severity) for v in result.violations]


# ---------------------------------------------------------------- fixtures


@pytest.mark.parametrize("name", CONFORMING)
def test_conforming_fixture(name: str) -> None:
    result = validate(load(name))
    assert result.conforms, result.text
    assert result.violations == []
    assert result.text == "Conforms."


@pytest.mark.parametrize("name", sorted(VIOLATING))
def test_violating_fixture(name: str) -> None:
    focus, path, message = VIOLATING[name]
    result = validate(load(name))
    assert not result.conforms
    expected = (str(ID[focus]), None if path is None else str(path), M[message], "Violation")
    assert results(result) == [expected]


@pytest.mark.parametrize("name", sorted(WARNING))
def test_warning_fixture(name: str) -> None:
    focus, path, message = WARNING[name]
    result = validate(load(name))
    assert result.conforms
    assert results(result) == [(str(ID[focus]), str(path), M[message], "Warning")]
    assert result.warnings == result.violations and result.errors == []


def test_every_fixture_is_listed() -> None:
    on_disk = {p.stem for p in FIXTURES.glob("*.ttl")}
    assert on_disk == set(CONFORMING) | set(VIOLATING) | set(WARNING)


def test_every_message_has_a_violating_fixture() -> None:
    shown = {M[key] for _, _, key in [*VIOLATING.values(), *WARNING.values()]}
    for template in shapes_graph().objects(None, SH.message):
        # SPARQL-based messages are templates: {?value} becomes the offending value
        pattern = re.escape(str(template))
        pattern = re.sub(r"\\\{\\\?\w+\\\}", ".+", pattern)
        assert any(re.fullmatch(pattern, m) for m in shown), f"no fixture breaks: {template}"


def test_every_message_is_in_the_table() -> None:
    templates = {str(m) for m in shapes_graph().objects(None, SH.message)}
    assert len(templates) == len(M)


def test_conforming_fixtures_exercise_every_shape() -> None:
    conforming = Graph()
    for name in CONFORMING:
        conforming += load(name)
    shapes = shapes_graph()
    classes = ontology_graph()
    for target in set(shapes.objects(None, SH.targetClass)):
        kinds = {target, *classes.transitive_subjects(RDFS.subClassOf, target)}
        assert any(conforming.subjects(RDF.type, k) for k in kinds), f"no instance of {target}"
    for path in set(shapes.objects(None, SH.path)):
        if isinstance(path, URIRef):
            predicates = [path]
        else:
            alternatives = shapes.value(path, SH.alternativePath)
            predicates = list(Collection(shapes, alternatives)) if alternatives else []
        if predicates == [URIRef(OWL_SAME_AS)]:
            continue  # never allowed, so no conforming value
        assert any(conforming.triples((None, p, None)) for p in predicates), path


# ---------------------------------------------------------------- the result in plain words


def test_violation_in_plain_words() -> None:
    [violation] = validate(load("operation-date-after-publication")).violations
    assert str(violation) == (
        "focus <https://w3id.org/narcograph/id/op-1>, property ng:date: "
        + M["op-after-publication"]
    )
    assert violation.value == "2024-05-07"


def test_complex_path_in_plain_words() -> None:
    [violation] = validate(load("operation-suspect-not-a-person")).violations
    assert str(violation).startswith(
        "focus <https://w3id.org/narcograph/id/op-1>, "
        "property ng:suspect|ng:arrested|ng:charged|ng:wanted: "
    )


def test_node_level_violation_has_no_property() -> None:
    [violation] = validate(load("operation-no-fact")).violations
    assert str(violation) == f"focus <https://w3id.org/narcograph/id/op-1>: {M['op-fact']}"


def test_prefixed_names_for_known_namespaces() -> None:
    violation = Violation(
        focus="https://w3id.org/narcograph/substance/captagon",
        path="http://www.w3.org/2000/01/rdf-schema#label",
        message="m",
        severity="Violation",
        value=None,
    )
    assert str(violation) == "focus substance:captagon, property rdfs:label: m"
    assert str(replace(violation, path=None)) == "focus substance:captagon: m"


def test_text_lists_violations_before_warnings() -> None:
    graph = load("warns-pills") + load("person-no-name")
    result = validate(graph)
    lines = result.text.splitlines()
    assert [line.split(":", 1)[0] for line in lines] == ["Violation", "Warning"]
    assert not result.conforms


def test_validate_leaves_the_input_alone() -> None:
    graph = load("conforms-full")
    before = set(graph)
    validate(graph)
    assert set(graph) == before


def test_shapes_graph_is_parsed_once() -> None:
    assert shapes_graph() is shapes_graph()


# ---------------------------------------------------------------- graphs from the RDF builder

BASE = "https://w3id.org/narcograph/id/"


def built_graph(operation: facts.Operation) -> Graph:
    report = Report(
        text="Syrian police seized 1.2 million Captagon pills bound for Iraq.",
        origin="raid.txt",
        file_iri="file:///data/reports/raid.txt",
        url="https://news.example.org/2024/05/raid",
        title="Police seize Captagon in Daraa",
        source="Example News",
        published=date(2024, 5, 2),
    )
    _, graph = report_graph(
        report,
        [operation],
        base_iri=BASE,
        version="0.1.0",
        ingested_at=datetime(2024, 5, 3, 8, 0, tzinfo=UTC),
    )
    return graph


def full_operation(**changes: object) -> facts.Operation:
    operation = facts.Operation(
        date=date(2024, 5, 1),
        places=[
            facts.Place("Syria", "country", "SY"),
            facts.Place("Daraa", "city", "SY", geonames="170905", lat=32.6189, lon=36.1021),
            facts.Place("Rif Dimashq", "admin1", "SY", iso="SY-RD", geonames="170652"),
            facts.Place("Nasib", "crossing", "SY"),
        ],
        agencies=[facts.Agency("Ministry of Interior", "SY", acronym="MoI")],
        seizures=[
            facts.Seizure(
                "captagon", 1_200_000, "pill", "Police seized 1.2 million Captagon pills."
            ),
            facts.Seizure("hashish", 2.5, "kg", "They also found 2.5 kg of hashish."),
            facts.Seizure("unspecified", None, None, "Other drugs were seized."),
        ],
        arrests=3,
        persons=[
            facts.Person("Ahmad al-Example", "arrested", "Ahmad al-Example was arrested."),
            facts.Person("Khalid Example", "wanted", "Khalid Example is wanted."),
        ],
        origins=["SY"],
        destinations=["IQ"],
        network="Abu Example network",
        evidence=["Police seized 1.2 million Captagon pills."],
    )
    return replace(operation, **changes)


def test_built_graph_conforms() -> None:
    result = validate(built_graph(full_operation()))
    assert result.conforms, result.text
    assert result.violations == []


def test_built_graph_with_only_an_announcement_date_conforms() -> None:
    operation = full_operation(date=date(2024, 5, 2), date_is_announcement=True, persons=[])
    result = validate(built_graph(operation))
    assert result.conforms, result.text


def test_built_graph_dated_after_publication_is_rejected() -> None:
    result = validate(built_graph(full_operation(date=date(2024, 5, 9))))
    assert not result.conforms
    [violation] = result.violations
    assert violation.path == str(NG.date)
    assert violation.focus.startswith(f"{BASE}operation/")
    assert "2024-05-09" in violation.message and "2024-05-02" in violation.message


def test_built_graph_with_an_unknown_substance_is_rejected() -> None:
    bad = facts.Seizure("captagonn", 10, "pill", "Ten pills were seized.")
    result = validate(built_graph(full_operation(seizures=[bad])))
    assert [(v.path, v.message) for v in result.violations] == [
        (str(NG.substance), M["seizure-substance"])
    ]
