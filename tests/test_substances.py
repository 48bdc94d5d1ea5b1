"""Drug names and street names mapped to substance keys; ambiguous words need drug context."""

import pytest

from narcograph.ingest.extract.substances import LEXICON, context_ok, find_substances


def keys(sentence):
    return [m.key for m in find_substances(sentence)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Border guards recovered yaba tablets from a boat.", ["methamphetamine"]),
        ("Agents confiscated two sachets of shabu.", ["methamphetamine"]),
        ("Detectives seized 4 kg of ice at the airport.", ["methamphetamine"]),
        ("A courier carried crystal meth in his luggage.", ["methamphetamine"]),
        ("The lab produced methamphetamine hydrochloride.", ["methamphetamine"]),
        ("Police found 3,000 speed pills in the car.", ["amphetamine"]),
        ("They smuggled 40 kg of speed across the border.", ["amphetamine"]),
        ("Officers seized hash and charas at a checkpoint.", ["hashish", "hashish"]),
        ("Cannabis resin worth millions was seized.", ["hashish"]),
        ("The farmer grew ganja and marijuana.", ["cannabis", "cannabis"]),
        ("Officers seized 2 kg of weed and kush.", ["cannabis", "cannabis"]),
        ("Customs seized ecstasy tablets and MDMA crystals.", ["mdma", "mdma"]),
        ("Police seized molly and cocaine at the festival.", ["mdma", "cocaine"]),
        ("Trucks carried Captagon and fenethylline.", ["captagon", "captagon"]),
        ("The seized heroin, or brown sugar, weighed 3 kg.", ["heroin", "heroin"]),
        ("Police seized 20 grams of crack cocaine.", ["crack"]),
        ("Officers seized crack and cash in the raid.", ["crack"]),
        ("Raw opium and opium poppy were destroyed.", ["opium", "opium"]),
        ("They seized morphine, fentanyl and tramadol.", ["morphine", "fentanyl", "tramadol"]),
        ("Customs seized ketamine, khat and LSD.", ["ketamine", "khat", "lsd"]),
        ("The shipment of qat was seized.", ["khat"]),
        ("Investigators found precursor chemicals and acetic anhydride.",
         ["precursor", "precursor"]),
        ("Police confiscated the raw materials used to make Captagon.",
         ["precursor", "captagon"]),
        ("Cocaine hydrochloride was found on the vessel.", ["cocaine"]),
        ("Officers seized 3 kg of Methamphetamines.", ["methamphetamine"]),
    ],
)
def test_names_and_street_names(sentence, expected):
    assert keys(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Ice on the bridge caused several crashes this morning.",
        "The children bought ice cream after school.",
        "He drank a Coke at the station.",
        "The government vowed to crack down on smuggling gangs.",
        "A crack team of commandos stormed the compound.",
        "The smugglers escaped in a speed boat.",
        "The car was travelling at high speed.",
        "Volunteers pulled weed from the park.",
        "The two sides will hash out a deal.",
        "ICE agents detained the man.",
        "Smugglers cross the Hindu Kush on foot.",
        "The General Directorate of Narcotics Control issued a statement.",
        "Captagon is an amphetamine-type stimulant.",
    ],
)
def test_other_meanings_are_not_drugs(sentence):
    assert [k for k in keys(sentence) if k not in ("captagon",)] == []


def test_generic_words_are_unspecified():
    found = find_substances("Police seized narcotics and illegal drugs.")
    assert [(m.key, m.generic) for m in found] == [("unspecified", True), ("unspecified", True)]


def test_variants_and_forms():
    (m,) = find_substances("They seized 51 bags of ephedrine.")
    assert (m.key, m.variant) == ("precursor", "ephedrine")
    (m,) = find_substances("Guards seized 200 kg of kush.")
    assert (m.key, m.variant) == ("cannabis", "kush")
    (m,) = find_substances("Guards seized 9,000 Yaba pills.")
    assert m.form == "yaba"


def test_longest_match_and_offsets():
    sentence = "Police seized crystal meth and cannabis resin."
    found = find_substances(sentence)
    assert [m.text for m in found] == ["crystal meth", "cannabis resin"]
    assert all(sentence[m.start : m.end] == m.text for m in found)


def test_context_ok():
    sentence = "Officers found ice in a bag."
    start = sentence.index("ice")
    assert not context_ok(sentence, start, start + 3)
    sentence = "Officers seized ice in a bag."
    assert context_ok(sentence, sentence.index("ice"), sentence.index("ice") + 3)


def test_lexicon_keys_are_scheme_keys():
    scheme = {"captagon", "cocaine", "crack", "heroin", "methamphetamine", "amphetamine", "mdma",
              "cannabis", "hashish", "opium", "morphine", "fentanyl", "tramadol", "codeine",
              "ketamine", "khat", "lsd", "precursor", "ephedrine", "pseudoephedrine", "kush",
              "unspecified"}
    assert set(LEXICON) <= scheme
