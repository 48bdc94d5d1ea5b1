"""The OWL ontology and the SKOS substance scheme: well-formed, documented, linked carefully."""

from __future__ import annotations

import inspect
import re
from collections import defaultdict

import pytest
from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from narcograph.ingest import to_rdf
from narcograph.ontology import NG, SUBSTANCE, UNIT_IRIS, ontology_graph
from narcograph.resources import read_text

ONTOLOGY = URIRef("https://w3id.org/narcograph/ontology")

CLASSES = {
    "Report",
    "Operation",
    "Seizure",
    "Agency",
    "Person",
    "Substance",
    "Place",
    "Country",
    "AdministrativeArea",
    "Settlement",
    "Port",
    "BorderCrossing",
    "CriminalNetwork",
    "UnitOfMeasure",
}
PLACE_SUBCLASSES = {"Country", "AdministrativeArea", "Settlement", "Port", "BorderCrossing"}

# property -> (domain, range)
OBJECT_PROPERTIES = {
    "reportedIn": ("Operation", "Report"),
    "occurredIn": ("Operation", "Place"),
    "conductedBy": ("Operation", "Agency"),
    "seized": ("Operation", "Seizure"),
    "substance": ("Seizure", "Substance"),
    "unit": ("Seizure", "UnitOfMeasure"),
    "suspect": ("Operation", "Person"),
    "arrested": ("Operation", "Person"),
    "charged": ("Operation", "Person"),
    "wanted": ("Operation", "Person"),
    "originCountry": ("Operation", "Country"),
    "transitCountry": ("Operation", "Country"),
    "destinationCountry": ("Operation", "Country"),
    "targetNetwork": ("Operation", "CriminalNetwork"),
    "inCountry": ("Place", "Country"),
    "country": ("Agency", "Country"),
    "source": ("Report", None),
    "url": ("Report", None),
    "sameOperationAs": ("Operation", "Operation"),
    "canonicalOperation": ("Operation", "Operation"),
}
DATATYPE_PROPERTIES = {
    "date": XSD.date,
    "announcedOn": XSD.date,
    "arrestCount": XSD.nonNegativeInteger,
    "quantity": XSD.decimal,
    "evidence": XSD.string,
    "isoCode": XSD.string,
    "publisher": XSD.string,
    "published": XSD.date,
    "ingestedAt": XSD.dateTime,
    "software": XSD.string,
    "sourceFile": XSD.anyURI,
    "contentHash": XSD.string,
    "nameInReport": XSD.string,
}
SUPER_PROPERTIES = {
    "arrested": NG.suspect,
    "charged": NG.suspect,
    "wanted": NG.suspect,
    "source": URIRef("http://www.w3.org/ns/prov#hadPrimarySource"),
    "url": URIRef("https://schema.org/url"),
    "evidence": URIRef("http://www.w3.org/ns/prov#value"),
    "published": DCTERMS.issued,
    "ingestedAt": URIRef("http://www.w3.org/ns/prov#generatedAtTime"),
}

# key -> exact English prefLabel (the `seizures` query and other tools depend on these)
SUBSTANCES = {
    "captagon": "Captagon",
    "cocaine": "Cocaine",
    "crack": "Crack cocaine",
    "heroin": "Heroin",
    "methamphetamine": "Methamphetamine",
    "amphetamine": "Amphetamine",
    "mdma": "MDMA",
    "cannabis": "Cannabis",
    "hashish": "Hashish",
    "opium": "Opium",
    "morphine": "Morphine",
    "fentanyl": "Fentanyl",
    "tramadol": "Tramadol",
    "codeine": "Codeine",
    "ketamine": "Ketamine",
    "khat": "Khat",
    "lsd": "LSD",
    "precursor": "Precursor chemicals",
    "ephedrine": "Ephedrine",
    "pseudoephedrine": "Pseudoephedrine",
    "kush": "Kush",
    "unspecified": "Unspecified drugs",
}
CLASS_CONCEPTS = {
    "class-ats": "Amphetamine-type stimulants",
    "class-opioids": "Opioids",
    "class-cocaine": "Cocaine-type drugs",
    "class-cannabis": "Cannabis-type drugs",
    "class-hallucinogens": "Hallucinogens",
    "class-nps": "New psychoactive substances",
    "class-synthetic-cannabinoids": "Synthetic cannabinoids",
    "class-precursors": "Drug precursors",
}
BROADER = {
    "crack": "class-cocaine",
    "ephedrine": "precursor",
    "pseudoephedrine": "precursor",
    "kush": "class-synthetic-cannabinoids",
    "captagon": "class-ats",
    "heroin": "class-opioids",
    "cannabis": "class-cannabis",
    "hashish": "class-cannabis",
    "lsd": "class-hallucinogens",
}

# External IDs checked against the project's linking research (verified=yes rows only), ChEBI's
# own name table and NLM's MeSH tables. Add an ID here only after verifying it against its label:
# a wrong QID links the graph to nonsense.
VERIFIED_IDS = {
    "http://www.wikidata.org/entity/Q41576",  # cocaine
    "http://purl.obolibrary.org/obo/CHEBI_27958",  # cocaine
    "http://www.wikidata.org/entity/Q330694",  # crack cocaine
    "http://www.wikidata.org/entity/Q191924",  # methamphetamine
    "http://purl.obolibrary.org/obo/CHEBI_6809",
    "http://www.wikidata.org/entity/Q179452",  # amphetamine
    "http://purl.obolibrary.org/obo/CHEBI_2679",
    "http://www.wikidata.org/entity/Q69488",  # MDMA
    "http://purl.obolibrary.org/obo/CHEBI_1391",
    "http://www.wikidata.org/entity/Q2845",  # cannabis (drug)
    "http://www.wikidata.org/entity/Q46452",  # opium
    "http://www.wikidata.org/entity/Q81225",  # morphine
    "http://purl.obolibrary.org/obo/CHEBI_17303",
    "http://www.wikidata.org/entity/Q407541",  # fentanyl
    "http://purl.obolibrary.org/obo/CHEBI_119915",
    "http://purl.obolibrary.org/obo/CHEBI_9648",  # tramadol
    "http://purl.obolibrary.org/obo/CHEBI_16714",  # codeine
    "http://www.wikidata.org/entity/Q243547",  # ketamine
    "http://purl.obolibrary.org/obo/CHEBI_6121",
    "http://www.wikidata.org/entity/Q23118",  # LSD
    "http://www.wikidata.org/entity/Q2445303",  # substituted amphetamine
    "http://purl.obolibrary.org/obo/CHEBI_35338",  # amphetamines
    "http://www.wikidata.org/entity/Q427523",  # opioid
    "http://purl.obolibrary.org/obo/CHEBI_35482",  # opioid analgesic
    "http://www.wikidata.org/entity/Q19904200",  # synthetic cannabinoid
    "http://purl.obolibrary.org/obo/CHEBI_67201",
    "http://www.wikidata.org/entity/Q189553",  # hallucinogen
    "http://www.wikidata.org/entity/Q1200715",  # designer drug
    "http://www.wikidata.org/entity/Q10268802",  # illegal drug
    "http://purl.obolibrary.org/obo/CHEBI_27808",  # heroin (ChEBI name table + AddictO)
    "http://purl.obolibrary.org/obo/CHEBI_135451",  # fenetylline
    "http://purl.obolibrary.org/obo/CHEBI_15407",  # (-)-ephedrine
    "http://purl.obolibrary.org/obo/CHEBI_51209",  # pseudoephedrine
    "http://purl.obolibrary.org/obo/CHEBI_6605",  # lysergic acid diethylamide
    "http://id.nlm.nih.gov/mesh/D000661",  # Amphetamine
    "http://id.nlm.nih.gov/mesh/D000662",  # Amphetamines
    "http://id.nlm.nih.gov/mesh/D008694",  # Methamphetamine
    "http://id.nlm.nih.gov/mesh/D018817",  # N-Methyl-3,4-methylenedioxyamphetamine (MDMA)
    "http://id.nlm.nih.gov/mesh/D003042",  # Cocaine
    "http://id.nlm.nih.gov/mesh/D016578",  # Crack Cocaine
    "http://id.nlm.nih.gov/mesh/D003932",  # Heroin
    "http://id.nlm.nih.gov/mesh/D009892",  # Opium
    "http://id.nlm.nih.gov/mesh/D009020",  # Morphine
    "http://id.nlm.nih.gov/mesh/D005283",  # Fentanyl
    "http://id.nlm.nih.gov/mesh/D014147",  # Tramadol
    "http://id.nlm.nih.gov/mesh/D003061",  # Codeine
    "http://id.nlm.nih.gov/mesh/D002188",  # Cannabis (entry terms Marijuana, Marihuana)
    "http://id.nlm.nih.gov/mesh/D008238",  # Lysergic Acid Diethylamide
    "http://id.nlm.nih.gov/mesh/D007649",  # Ketamine
    "http://id.nlm.nih.gov/mesh/D004809",  # Ephedrine
    "http://id.nlm.nih.gov/mesh/D054199",  # Pseudoephedrine
    "http://id.nlm.nih.gov/mesh/D013287",  # Illicit Drugs
    "http://id.nlm.nih.gov/mesh/C004518",  # fenethylline (supplementary concept)
    "http://qudt.org/vocab/unit/KiloGM",
    "http://qudt.org/vocab/unit/L",
    "http://qudt.org/vocab/unit/NUM",
}
LINK_FORM = re.compile(
    r"^(http://www\.wikidata\.org/entity/Q[0-9]+"
    r"|http://purl\.obolibrary\.org/obo/CHEBI_[0-9]+"
    r"|http://id\.nlm\.nih\.gov/mesh/[CD][0-9]+"
    r"|http://qudt\.org/vocab/unit/[A-Za-z0-9_-]+)$"
)


@pytest.fixture(scope="module")
def onto() -> Graph:
    graph = Graph()
    graph.parse(data=read_text("ontology", "narcograph.ttl"), format="turtle")
    return graph


@pytest.fixture(scope="module")
def scheme() -> Graph:
    graph = Graph()
    graph.parse(data=read_text("ontology", "substances.ttl"), format="turtle")
    return graph


@pytest.fixture(scope="module")
def both(onto: Graph, scheme: Graph) -> Graph:
    return onto + scheme


def english(graph: Graph, subject: URIRef, predicate: URIRef) -> list[Literal]:
    return [
        o
        for o in graph.objects(subject, predicate)
        if isinstance(o, Literal) and o.language == "en"
    ]


def concepts(scheme: Graph) -> set[URIRef]:
    return {c for c in scheme.subjects(SKOS.inScheme, NG.Substances) if isinstance(c, URIRef)}


def key(concept: URIRef) -> str:
    return str(concept).removeprefix(str(SUBSTANCE))


# ---------------------------------------------------------------- the OWL ontology


def test_header(onto: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in onto
    assert onto.value(ONTOLOGY, OWL.versionInfo) == Literal("0.1.0")
    assert onto.value(ONTOLOGY, OWL.versionIRI) == URIRef(f"{ONTOLOGY}/0.1.0")
    assert onto.value(ONTOLOGY, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert english(onto, ONTOLOGY, DCTERMS.title)
    assert english(onto, ONTOLOGY, DCTERMS.description)
    assert onto.value(ONTOLOGY, DCTERMS.created).datatype == XSD.date


def test_every_term_has_an_english_label_and_comment(onto: Graph) -> None:
    terms = {
        s
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in onto.subjects(RDF.type, kind)
        if str(s).startswith(str(NG))
    }
    assert len(terms) == len(CLASSES) + len(OBJECT_PROPERTIES) + len(DATATYPE_PROPERTIES)
    for term in terms:
        assert len(english(onto, term, RDFS.label)) == 1, term
        assert len(english(onto, term, RDFS.comment)) == 1, term


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_class(onto: Graph, name: str) -> None:
    assert (NG[name], RDF.type, OWL.Class) in onto
    if name in PLACE_SUBCLASSES:
        assert (NG[name], RDFS.subClassOf, NG.Place) in onto
    if name in ("Substance", "UnitOfMeasure"):
        assert (NG[name], RDFS.subClassOf, SKOS.Concept) in onto


@pytest.mark.parametrize("name", sorted(OBJECT_PROPERTIES))
def test_object_property(onto: Graph, name: str) -> None:
    domain, range_ = OBJECT_PROPERTIES[name]
    assert (NG[name], RDF.type, OWL.ObjectProperty) in onto
    assert onto.value(NG[name], RDFS.domain) == NG[domain]
    assert onto.value(NG[name], RDFS.range) == (NG[range_] if range_ else None)
    if name in SUPER_PROPERTIES:
        assert (NG[name], RDFS.subPropertyOf, SUPER_PROPERTIES[name]) in onto


@pytest.mark.parametrize("name", sorted(DATATYPE_PROPERTIES))
def test_datatype_property(onto: Graph, name: str) -> None:
    assert (NG[name], RDF.type, OWL.DatatypeProperty) in onto
    assert onto.value(NG[name], RDFS.range) == DATATYPE_PROPERTIES[name]
    if name in SUPER_PROPERTIES:
        assert (NG[name], RDFS.subPropertyOf, SUPER_PROPERTIES[name]) in onto


def test_ranges_match_property_kinds(onto: Graph) -> None:
    for prop in onto.subjects(RDF.type, OWL.ObjectProperty):
        for range_ in onto.objects(prop, RDFS.range):
            assert not str(range_).startswith(str(XSD)), prop
    for prop in onto.subjects(RDF.type, OWL.DatatypeProperty):
        for range_ in onto.objects(prop, RDFS.range):
            assert str(range_).startswith(str(XSD)), prop


def test_alignments_use_subclass_and_subproperty_only(onto: Graph) -> None:
    for predicate in (OWL.equivalentClass, OWL.equivalentProperty, OWL.sameAs, OWL.imports):
        assert not list(onto.triples((None, predicate, None))), predicate


@pytest.mark.parametrize("code", sorted(UNIT_IRIS))
def test_unit(onto: Graph, code: str) -> None:
    iri = UNIT_IRIS[code]
    assert (iri, RDF.type, NG.UnitOfMeasure) in onto
    assert (iri, SKOS.inScheme, NG.Units) in onto
    assert onto.value(iri, SKOS.notation) == Literal(code)
    assert len(english(onto, iri, SKOS.prefLabel)) == 1
    assert list(onto.objects(iri, SKOS.exactMatch)) + list(onto.objects(iri, SKOS.closeMatch))
    assert (NG.Units, RDF.type, SKOS.ConceptScheme) in onto


def test_kilogram_and_litre_match_qudt_exactly_counts_only_closely(onto: Graph) -> None:
    unit = "http://qudt.org/vocab/unit/"
    assert onto.value(NG.kilogram, SKOS.exactMatch) == URIRef(unit + "KiloGM")
    assert onto.value(NG.litre, SKOS.exactMatch) == URIRef(unit + "L")
    for count in (NG.pill, NG.plant, NG.item):
        assert onto.value(count, SKOS.closeMatch) == URIRef(unit + "NUM")
        assert onto.value(count, SKOS.exactMatch) is None


def test_rdf_builder_uses_only_defined_terms(onto: Graph, both: Graph) -> None:
    source = inspect.getsource(to_rdf)
    used = {NG[name] for name in re.findall(r"\bNG\.(\w+)", source)}
    used |= {NG.arrested, NG.charged, NG.wanted}  # NG[person.role]
    used |= set(UNIT_IRIS.values())
    defined = set(both.subjects(RDF.type, None))
    assert sorted(used - defined) == []


# ---------------------------------------------------------------- links


def test_no_owl_same_as_anywhere(both: Graph) -> None:
    assert not list(both.triples((None, OWL.sameAs, None)))


MAPPINGS = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)


def test_links_are_wikidata_chebi_mesh_or_qudt_and_verified(both: Graph) -> None:
    links = [o for p in MAPPINGS for o in both.objects(None, p)]
    assert links
    for link in links:
        assert isinstance(link, URIRef) and LINK_FORM.match(str(link)), link
        assert str(link) in VERIFIED_IDS, f"{link} is not a verified ID"


def test_substances_without_an_identity_of_their_own_are_mapped_to_broader_concepts(scheme: Graph) -> None:
    # Captagon is a product and hashish a form of cannabis: no exact ID exists, but a user joining
    # with Wikidata or ChEBI still reaches the class they belong to
    for name in ("captagon", "hashish", "kush"):
        assert scheme.value(SUBSTANCE[name], SKOS.exactMatch) is None, name
        assert scheme.value(SUBSTANCE[name], SKOS.broadMatch) is not None, name
    assert URIRef("http://purl.obolibrary.org/obo/CHEBI_135451") in set(
        scheme.objects(SUBSTANCE.captagon, SKOS.relatedMatch)
    )


def test_unverified_substances_stay_unlinked(scheme: Graph) -> None:
    for name in ("khat", "precursor"):
        assert not [o for p in MAPPINGS for o in scheme.objects(SUBSTANCE[name], p)], name


def test_heroin_and_precursors_carry_chebi_and_mesh(scheme: Graph) -> None:
    for name, chebi, mesh in (
        ("heroin", "27808", "D003932"),
        ("ephedrine", "15407", "D004809"),
        ("pseudoephedrine", "51209", "D054199"),
    ):
        matches = {str(o) for o in scheme.objects(SUBSTANCE[name], SKOS.exactMatch)}
        assert matches == {f"http://purl.obolibrary.org/obo/CHEBI_{chebi}", f"http://id.nlm.nih.gov/mesh/{mesh}"}


# ---------------------------------------------------------------- the substance scheme


def test_scheme(scheme: Graph) -> None:
    assert (NG.Substances, RDF.type, SKOS.ConceptScheme) in scheme
    assert english(scheme, NG.Substances, RDFS.label)
    assert english(scheme, NG.Substances, RDFS.comment)


def test_all_keys_exist_with_exact_labels(scheme: Graph) -> None:
    labels = {key(c): str(english(scheme, c, SKOS.prefLabel)[0]) for c in concepts(scheme)}
    assert labels == SUBSTANCES | CLASS_CONCEPTS


def test_every_concept_is_well_formed(scheme: Graph) -> None:
    for concept in concepts(scheme):
        assert (concept, RDF.type, NG.Substance) in scheme, concept
        assert (concept, RDF.type, SKOS.Concept) in scheme, concept
        assert len(list(scheme.objects(concept, SKOS.prefLabel))) == 1, concept
        assert len(english(scheme, concept, SKOS.prefLabel)) == 1, concept
        assert len(english(scheme, concept, SKOS.definition)) == 1, concept
        assert scheme.value(concept, SKOS.notation) == Literal(key(concept))


def test_pref_labels_are_unique(scheme: Graph) -> None:
    labels = [str(scheme.value(c, SKOS.prefLabel)).casefold() for c in concepts(scheme)]
    assert len(labels) == len(set(labels))


def test_each_label_names_one_concept(scheme: Graph) -> None:
    # the text matcher maps every pref/alt label to a concept: a label shared by two concepts
    # would make it guess
    owners: dict[str, set[URIRef]] = defaultdict(set)
    for predicate in (SKOS.prefLabel, SKOS.altLabel):
        for concept, label in scheme.subject_objects(predicate):
            owners[str(label).casefold()].add(concept)
    assert {label: c for label, c in owners.items() if len(c) > 1} == {}


def test_alt_labels_are_lowercase_and_tagged(scheme: Graph) -> None:
    for label in scheme.objects(None, SKOS.altLabel):
        assert label.language, label
        assert str(label) == str(label).lower(), label


def test_hierarchy(scheme: Graph) -> None:
    members = concepts(scheme)
    for concept in members:
        broader = set(scheme.objects(concept, SKOS.broader))
        assert broader <= members, concept
        if key(concept) == "unspecified":
            assert not broader
        elif key(concept).startswith("class-"):
            assert broader or (concept, SKOS.topConceptOf, NG.Substances) in scheme, concept
        else:
            assert broader, f"{concept} has no skos:broader"
    for name, parent in BROADER.items():
        assert (SUBSTANCE[name], SKOS.broader, SUBSTANCE[parent]) in scheme, name
    assert (SUBSTANCE.precursor, SKOS.broader, SUBSTANCE["class-precursors"]) in scheme


def test_top_concepts_agree(scheme: Graph) -> None:
    tops = set(scheme.subjects(SKOS.topConceptOf, NG.Substances))
    assert tops == set(scheme.objects(NG.Substances, SKOS.hasTopConcept))
    assert {key(c) for c in tops} >= set(CLASS_CONCEPTS) - {"class-synthetic-cannabinoids"}


def test_captagon_is_a_product_related_to_amphetamine(scheme: Graph) -> None:
    assert (SUBSTANCE.captagon, SKOS.related, SUBSTANCE.amphetamine) in scheme
    assert (SUBSTANCE.captagon, SKOS.broader, SUBSTANCE.amphetamine) not in scheme


def test_street_names_reach_their_substance(scheme: Graph) -> None:
    expected = {
        "yaba": "methamphetamine",
        "shabu": "methamphetamine",
        "ice": "methamphetamine",
        "crystal meth": "methamphetamine",
        "hash": "hashish",
        "charas": "hashish",
        "ganja": "cannabis",
        "marijuana": "cannabis",
        "ecstasy": "mdma",
        "speed": "amphetamine",
        "crack": "crack",
        "brown sugar": "heroin",
        "qat": "khat",
        "narcotics": "unspecified",
    }
    for label, name in expected.items():
        assert (SUBSTANCE[name], SKOS.altLabel, Literal(label, lang="en")) in scheme, label


def test_ontology_graph_loads_both_files() -> None:
    graph = ontology_graph()
    assert (NG.Report, RDF.type, OWL.Class) in graph
    assert (SUBSTANCE.captagon, RDF.type, NG.Substance) in graph
