"""Drug amounts normalised to kg, l, pill, plant and unit; money and other numbers left out."""

import pytest

from narcograph.ingest.extract.quantities import (
    Quantity,
    combine_each,
    find_money,
    find_quantities,
    unit_of,
)


def amounts(sentence, **kw):
    return [(q.value, q.unit) for q in find_quantities(sentence, **kw)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Inspectors found 420,000 Captagon pills behind a false wall.", [(420000, "pill")]),
        ("The haul came to 3.5 million pills.", [(3_500_000, "pill")]),
        ("Marines intercepted 1.8 tonnes of cocaine off the coast.", [(1800, "kg")]),
        ("Guards recovered 240 palms of hashish.", [(240, "unit")]),
        ("A courier carried 2kg of heroin.", [(2, "kg")]),
        ("Agents weighed 2.318kg of shabu.", [(2.318, "kg")]),
        ("He dropped a 3.5-kilogram package of cocaine.", [(3.5, "kg")]),
        ("They confiscated 7 million methamphetamine tablets.", [(7_000_000, "pill")]),
        ("Soldiers burnt four tonnes of cannabis.", [(4000, "kg")]),
        ("Police took 150,000 tablets of Captagon.", [(150000, "pill")]),
        ("Guards seized 45,000 yaba from a fishing boat.", [(45000, "pill")]),
        ("A truck carried 3 million Captagon.", [(3_000_000, "pill")]),
        ("The team found 612 grams of heroin.", [(0.612, "kg")]),
        ("Officers seized 30 pounds of methamphetamine.", [(13.608, "kg")]),
        ("He held 8 ounces of cocaine.", [(0.2268, "kg")]),
        ("The lab stored 40 litres of liquid meth.", [(40, "l")]),
        ("Police found 250 ml of codeine syrup.", [(0.25, "l")]),
        ("They poured away 10 gallons of precursor.", [(37.85, "l")]),
        ("Rangers uprooted 9,400 cannabis plants.", [(9400, "plant")]),
        ("They destroyed 2,000 seedlings of cannabis.", [(2000, "plant")]),
        ("Customs found 35 packets of heroin.", [(35, "unit")]),
        ("The boat held 12 bales of marijuana.", [(12, "unit")]),
        ("Agents found 18 bricks of cocaine.", [(18, "unit")]),
        ("He had 40 sachets of shabu.", [(40, "unit")]),
        ("They seized 300 doses of LSD.", [(300, "unit")]),
        ("Police seized 1,250 green plastic packets of ketamine.", [(1250, "unit")]),
        ("A 75kg haul of hashish.", [(75, "kg")]),
        ("About a kilo of shabu was found.", [(1, "kg")]),
        ("More than a tonne of MDMA was seized.", [(1000, "kg")]),
        ("They dumped half a tonne of hashish.", [(500, "kg")]),
        ("He swallowed 60 pellets of cocaine.", [(60, "unit")]),
        ("Agents found 2.4 lakh yaba tablets.", [(240000, "pill")]),
        ("Police seized 1 kg 300 grams of heroin.", [(1.3, "kg")]),
        ("The boat carried two-and-a-half tonnes of cocaine.", [(2500, "kg")]),
        ("They seized 1,500 kgs of ganja.", [(1500, "kg")]),
        ("Police found 3,200 bottles of Phensedyl.", [(3200, "unit")]),
    ],
)
def test_amounts(sentence, expected):
    found = amounts(sentence)
    assert [unit for _, unit in found] == [unit for _, unit in expected]
    assert [value for value, _ in found] == pytest.approx([value for value, _ in expected])


@pytest.mark.parametrize(
    "sentence",
    [
        "Drugs worth Rs 15,000 crore were destroyed.",
        "Agents seized P2.3 M worth of shabu.",
        "The cocaine was worth $4 million.",
        "The heroin was valued at N1.8 billion.",
        "It had an estimated street value of 12 million.",
        "The pills were worth €6m on the street.",
        "It would sell for £3 million.",
        "The haul was valued at AED 9 million.",
        "They paid 400,000 dirhams.",
        "The bribe was 50,000 pesos.",
        "The yaba was worth Tk 3.1 crore.",
        "In 2019, 70 percent of the drugs came by sea.",
        "The suspect, aged 41, was a 41-year-old driver.",
        "The raid began at 5:45am on 03/02/2024.",
        "Call 0800 555 0199 with information.",
        "Police arrested five suspects and 12 others.",
        "The tunnel was 300 meters long and 25 km from the border.",
        "Two police officers were hurt.",
    ],
)
def test_not_quantities(sentence):
    assert find_quantities(sentence) == []


def test_money_can_be_included():
    found = find_quantities("Police seized 3 kg of heroin worth $2 million.", include_money=True)
    assert [(q.value, q.unit, q.is_money) for q in found] == [
        (3, "kg", False),
        (2_000_000, "money", True),
    ]


@pytest.mark.parametrize(
    ("sentence", "value", "currency"),
    [
        ("worth Rs 20,000 crore", 2e11, "Rs"),
        ("P1.6 M worth of shabu", 1.6e6, "P"),
        ("valued at Sh4,092,000", 4_092_000, "Sh"),
        ("some RM1.53 billion", 1.53e9, "RM"),
        ("500,000 dirhams", 500_000, "dirhams"),
    ],
)
def test_find_money(sentence, value, currency):
    (money,) = find_money(sentence)
    assert money.is_money and money.value == pytest.approx(value) and money.raw_unit == currency


def test_hedge_offsets_and_raw_unit():
    sentence = "Troops seized over 2,100 kilograms of cocaine."
    (q,) = find_quantities(sentence)
    assert q.hedge == "over" and q.raw_unit == "kilograms"
    assert sentence[q.start : q.end] == q.text == "2,100 kilograms"


def test_equivalence_in_brackets_is_marked():
    found = find_quantities("They seized 3,000 kilograms (6,600 pounds) of cocaine.")
    assert [q.parenthetical for q in found] == [False, True]


def test_each_gives_a_derived_total():
    found = find_quantities("They left 30 sacks, each holding 100,000 pills.")
    assert [(q.value, q.unit, q.each, q.derived) for q in found] == [
        (30, "unit", False, False),
        (3_000_000, "pill", False, True),
        (100_000, "pill", True, False),
    ]


def test_combine_each_across_sentences():
    bags = Quantity(40, "unit", 0, 7, "40 bags", "bags")
    each = Quantity(1.0, "kg", 9, 21, "one kilogram", "kilogram", each=True)
    total = combine_each(bags, each)
    assert (total.value, total.unit, total.derived) == (40, "kg", True)


def test_context_units_need_a_substance():
    assert amounts("A sock held 40 bullets suspected to be cocaine.") == [(40, "unit")]
    assert amounts("Soldiers recovered 200 bullets and three rifles.") == []


def test_single_letters_are_units_only_in_lower_case():
    assert amounts("He carried 500 g of heroin.") == [(0.5, "kg")]
    assert amounts("The 5G network covers 40 towns.") == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("tonnes", ("kg", 1000.0)), ("Kilos", ("kg", 1.0)), ("tablets", ("pill", 1.0)),
     ("litres", ("l", 1.0)), ("bushes", ("plant", 1.0)), ("slabs", ("unit", 1.0)),
     ("metres", None)],
)
def test_unit_of(raw, expected):
    assert unit_of(raw) == expected
