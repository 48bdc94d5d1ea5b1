"""Roles of places in a sentence: where, origin, destination, transit, or neither."""

from __future__ import annotations

import pytest

from narcograph.ingest.extract.locate import locate, pattern_places


@pytest.mark.parametrize(
    ("sentence", "origins", "destinations", "transits"),
    [
        ("The pills were smuggled from Syria into Jordan.", ["SY"], ["JO"], []),
        ("The cocaine was bound for Belgium.", [], ["BE"], []),
        ("The heroin came from Afghanistan via Iran.", ["AF"], [], ["IR"]),
        ("The container was shipped from Colombia to the Netherlands.", ["CO"], ["NL"], []),
    ],
)
def test_route_roles(sentence, origins, destinations, transits):
    result = locate(sentence)
    assert result.origins == origins
    assert result.destinations == destinations
    assert result.transits == transits


def test_where_and_not_where():
    result = locate("Police in Peru seized the drugs near the border with Bolivia, a Chilean national said.")
    where = [p.country for p in result.where if p.kind == "country"]
    assert where == ["PE"]


def test_possessive_country_is_not_where():
    result = locate("Nigeria's anti-drug agency said it seized the pills.")
    assert not [p for p in result.where if p.kind == "country"]


def test_generic_agencies_with_country_adjective():
    result = locate("Jordanian army patrols and Syrian security forces clashed with smugglers.")
    named = [a.mention or a.label for a in result.agencies]
    assert "Jordanian army" in named and "Syrian security forces" in named
    # the gazetteer's agency keeps its canonical label beside the report's wording
    assert any(a.label == "Jordan Armed Forces" and a.country == "JO" for a in result.agencies)


def test_generic_agency_without_nationality_belongs_to_the_country_of_the_sentence_or_report():
    # regression: "police" had no country, so the police of every report were one agency
    in_sentence = locate("Provincial police seized the heroin in Ghazni, Afghanistan.")
    assert [(a.label, a.country) for a in in_sentence.agencies] == [("Provincial police", "AF")]
    from_report = locate("The police seized 40 kg of cocaine at the port.", ["EC", "CO"])
    assert [(a.label, a.country) for a in from_report.agencies] == [("police", "EC")]
    assert [a.country for a in locate("The police seized the drugs.").agencies] == [None]


@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        ("The pills were found in Chiang Rai's Chiang Khong district.", "Chiang Khong"),
        ("Officers stopped a truck near Eswatini’s Lavumisa border post.", "Lavumisa"),
        ("Troops raided a farm in Sinaloa's Tamazula municipality.", "Tamazula"),
    ],
)
def test_a_possessive_names_where_the_place_is_not_the_place(sentence, label):
    # regression: "Chiang Rai's Chiang Khong" was taken as the name of one place
    assert [name for name, _, _ in pattern_places(sentence)] == [label]


@pytest.mark.parametrize(
    ("sentence", "context", "origins", "destinations"),
    [
        ("Turkish police stopped a truck bringing heroin into the country from Iran.", [], ["IR"], ["TR"]),
        ("Customs foiled an attempt to smuggle 300,000 pills into the Kingdom.", ["SA", "JO"], [], ["SA"]),
        ("Kenyan officers said the cocaine had been shipped into the country by sea.", ["TZ"], [], ["KE"]),
        ("Police seized heroin at a house in the country's north.", ["PK"], [], []),
    ],
)
def test_into_the_country_is_bound_for_the_country_the_sentence_is_about(sentence, context, origins, destinations):
    result = locate(sentence, context)
    assert result.origins == origins
    assert result.destinations == destinations


@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        ("Officers raided a depot together with the intelligence agency.", "intelligence agency"),
        ("The anti-narcotics branch in Aleppo stopped a lorry.", "anti-narcotics branch"),
        ("Afghan intelligence services tracked the convoy.", "Afghan intelligence services"),
    ],
)
def test_intelligence_agencies_and_anti_narcotics_branches_are_agencies(sentence, label):
    assert label in [a.label for a in locate(sentence).agencies]


def test_vague_security_services_are_not_an_agency():
    assert not locate("Local security services were on alert.").agencies


def test_a_river_or_sea_where_drugs_were_seized_is_a_place():
    # regression: seas and rivers belong to no country, so they were never where anything happened
    result = locate("The pills were seized on a boat close to the Mekong River.", ["TH", "LA"])
    assert [(p.label, p.country) for p in result.where] == [("Mekong", None)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Rangers worked with the navy's Mekong Riverine Unit.",
        "The money funds the United Guerrillas of the Pacific, a criminal group.",
    ],
)
def test_a_sea_or_river_inside_a_name_is_not_a_place(sentence):
    assert not [p for p in locate(sentence, ["TH", "CO"]).where if p.kind != "country"]


def test_a_landmark_that_locates_another_place_is_not_where():
    # regression: "Guayaquil, a city southwest of Quito" placed the seizure in Quito too
    result = locate("Police seized a ton of cocaine in Guayaquil, a city southwest of Quito.", ["EC"])
    assert [p.label for p in result.where if p.kind != "country"] == ["Guayaquil"]
    farm = locate("Soldiers raided a farm in Tarqui, a village 30 km north of Cuenca.", ["EC"])
    assert "Cuenca" not in [p.label for p in farm.where]


def test_where_a_spokesman_spoke_to_the_press_is_not_where():
    result = locate("He told reporters at the Kuala Lumpur police headquarters that the lab was closed.", ["MY"])
    assert not [p for p in result.where if p.kind != "country"]


def test_receiving_agency_is_not_an_actor():
    result = locate("The seized drugs were handed to the police.")
    assert not result.agencies and result.receivers


@pytest.mark.parametrize(
    ("sentence", "labels"),
    [
        ("The boat was stopped near Kalimba area in the Tano river.", ["Kalimba", "Tano river"]),
        ("Officers raided houses in Umbo and Kesi districts.", ["Umbo", "Kesi"]),
        ("A warehouse in the town of Villaseca was searched.", ["Villaseca"]),
        (
            "Two labs were located in San Pedro de las Flores and Tamuyo, officials said.",
            ["San Pedro de las Flores", "Tamuyo"],
        ),
        ("The boat was stopped in the gulf of Palmera at night.", ["gulf of Palmera"]),
    ],
)
def test_places_found_by_their_grammar(sentence, labels):
    assert [label for label, _, _ in pattern_places(sentence)] == labels


@pytest.mark.parametrize(
    ("sentence", "units"),
    [
        (
            "Officers of the Coastal Interdiction Unit (CIU) and the Harbour Police Station raided the boat.",
            ["Coastal Interdiction Unit", "Harbour Police Station"],
        ),
        ("Soldiers of the Lanna Ridge Task Force stopped the convoy.", ["Lanna Ridge Task Force"]),
        ("Police said on Monday that the men were held.", []),
    ],
)
def test_named_units(sentence, units):
    from narcograph.ingest.extract.locate import named_units

    assert [label for label, _, _ in named_units(sentence)] == units


def test_news_agencies_are_not_places_or_agencies():
    result = locate("The haul was seized in Lagos, the Kenya News Agency and AFP reported.")
    assert [a.label for a in result.agencies] == []


def test_a_suspects_home_is_not_an_origin():
    result = locate("The suspect, 41, from Mukalla in Yemen, was arrested with the pills.", ["SA"])
    assert result.origins == [] and result.place_origins == []


def test_courts_and_press_statements_are_not_where():
    result = locate("The men will appear before Kisumu Law Courts; a statement issued in Nairobi said so.", ["KE"])
    assert not [p for p in result.where if p.kind != "country"]


def test_criminal_groups_are_networks_not_agencies():
    result = locate("The shipment belonged to the Golfo Clan and the Jalisco Cartel, police said.", ["CO"])
    assert result.networks == ["Golfo Clan", "Jalisco Cartel"]
    assert all("Clan" not in a.label and "Cartel" not in a.label for a in result.agencies)


def test_names_listed_before_a_known_town_are_places_in_it():
    result = locate("Officers destroyed fields at Big Creek, Sam’s Landing, Linden on Monday.", ["GY"])
    assert [p.label for p in result.where][:2] == ["Big Creek", "Sam’s Landing"]
    assert all(p.country == "GY" for p in result.where)


def test_departments_and_prefectures_by_their_grammar():
    assert [label for label, _, _ in pattern_places("The boat was stopped off Cauca department.")] == ["Cauca"]
