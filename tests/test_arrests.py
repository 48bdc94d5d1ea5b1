"""Counts of people arrested, fled or killed, from one sentence."""

import pytest

from narcograph.ingest.extract.arrests import find_arrests


def counts(sentence):
    return [(a.count, a.kind) for a in find_arrests(sentence)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Detectives arrested four suspects at the market.", [(4, "arrested")]),
        ("Seven people were arrested after the raid.", [(7, "arrested")]),
        ("The sweep led to the arrest of three suspects in Lebanon and two in Syria.",
         [(5, "arrested")]),
        ("Two Egyptians and a Libyan were detained on the coast.", [(3, "arrested")]),
        ("A suspect was arrested near the warehouse.", [(1, "arrested")]),
        ("Officers arrested a woman carrying heroin.", [(1, "arrested")]),
        ("The driver was arrested at the checkpoint.", [(1, "arrested")]),
        ("Agents detained 31 people in the operation.", [(31, "arrested")]),
        ("Four members of the gang were taken into custody.", [(4, "arrested")]),
        ("Soldiers apprehended 6 smugglers near the river.", [(6, "arrested")]),
        ("Rangers nabbed two couriers at dawn.", [(2, "arrested")]),
        ("The officers held three men for questioning.", [(3, "arrested")]),
        ("Police rounded up 15 drug peddlers in the slum.", [(15, "arrested")]),
        ("The four in custody face trial.", [(4, "arrested")]),
        ("The operation ended with 12 arrests.", [(12, "arrested")]),
        ("Police searched the flat, arresting 8 suspects.", [(8, "arrested")]),
        ("Twenty-one people of several nationalities were detained.", [(21, "arrested")]),
        ("Three Britons and one Spanish citizen were held.", [(4, "arrested")]),
        ("Five Iraqis were detained over the network, along with two suspects from abroad.",
         [(7, "arrested")]),
        ("Eight members of a smuggling ring based in the port have been arrested.",
         [(8, "arrested")]),
        ("Two couriers, one of them the cell's leader, were arrested.", [(2, "arrested")]),
        ("Both suspects remain in police custody.", [(2, "arrested")]),
        ("The pair were remanded in custody.", [(2, "arrested")]),
        ("Rahman was caught with the pills.", [(1, "arrested")]),
        ("He was arrested at the airport.", [(1, "arrested")]),
        ("The patrol caught three of them.", [(3, "arrested")]),
        ("Cartagena: 14 arrested in cocaine bust", [(14, "arrested")]),
        ("Three men charged after cocaine found in van.", [(3, "arrested")]),
        ("Police charged two women with trafficking.", [(2, "arrested")]),
        ("Police have arrested a 34-year-old man.", [(1, "arrested")]),
        ("A 52-year-old woman was detained at the airport.", [(1, "arrested")]),
        ("Customs arrested a 30-year-old Ghanaian.", [(1, "arrested")]),
        ("A total of 19 people were detained.", [(19, "arrested")]),
        ("Officers detained a total of 19 people.", [(19, "arrested")]),
        ("Two more suspects were arrested.", [(2, "arrested")]),
        ("Three others were also detained.", [(3, "arrested")]),
    ],
)
def test_arrests(sentence, expected):
    assert counts(sentence) == expected


def test_charged_counts_only_without_an_arrest_verb():
    found = find_arrests("Two men were arrested and later charged with importation.")
    assert [(a.count, a.kind, a.trigger) for a in found] == [(2, "arrested", "arrest")]
    (charged,) = find_arrests("Two men were charged with importation.")
    assert (charged.count, charged.kind, charged.trigger) == (2, "arrested", "charge")


@pytest.mark.parametrize(
    "sentence",
    [
        "The smugglers fled back across the border.",
        "The suspects managed to escape into the forest.",
        "The gunfire caused them to flee.",
        "No one was arrested during the operation.",
        "Nobody has been arrested so far.",
        "No arrests have been made.",
        "Two men jumped into the river and got away.",
        "The smugglers abandoned the truck and ran.",
    ],
)
def test_fled_or_none_arrested_count_zero(sentence):
    assert (0, "fled") in counts(sentence)
    assert all(kind == "fled" for _, kind in counts(sentence))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("One trafficker was arrested and the other was killed.",
         [(1, "arrested"), (1, "killed")]),
        ("More than 2,000 suspects killed in police operations.", [(2000, "killed")]),
        ("Troops shot dead three smugglers.", [(3, "killed")]),
    ],
)
def test_killed_is_its_own_kind(sentence, expected):
    assert counts(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "One of the suspects was identified as a local trader.",
        "Two police officers were arrested in a separate case.",
        "The victims, two children, were taken to hospital.",
        "The two nationals, aged 31 and 44, are due in court.",
        "The 35-year-old farmer grew cannabis.",
        "Police arrested several people.",
        "The army held a press conference on Monday.",
        "The former president, who escaped to exile, lives abroad.",
        "Five people died of overdoses last year.",
        "Two tourists were held hostage by the gang.",
        "Three men were caught on camera near the port.",
        "The twenty-two year-old farmer grew cannabis.",
    ],
)
def test_not_counted(sentence):
    assert [c for c in counts(sentence) if c[1] == "arrested"] == []
    assert [c for c in counts(sentence) if c[1] == "fled"] == []


def test_offsets():
    sentence = "Later, police detained 24 people in the city."
    (a,) = find_arrests(sentence)
    assert sentence[a.start : a.end] == a.text == "detained 24 people"
