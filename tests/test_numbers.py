"""Numbers as reports write them: digits, separators, words, scales and hedges."""

import pytest

from narcograph.ingest.extract.numbers import find_numbers, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("565,000", 565000),
        ("1.457", 1.457),
        ("2.5 million", 2_500_000),
        ("13 mln", 13_000_000),
        ("7 mn", 7_000_000),
        ("1.30 lakh", 130_000),
        ("2 crore", 20_000_000),
        ("3m", 3_000_000),
        ("2bn", 2_000_000_000),
        ("five", 5),
        ("Twenty-three", 23),
        ("three hundred", 300),
        ("two hundred and five", 205),
        ("nearly", None),
        ("a dozen", 12),
        ("two dozen", 24),
        ("half a", 0.5),
        ("half a million", 500_000),
        ("one and a half", 1.5),
        ("a million", 1_000_000),
        ("4,0222", 40222),
        ("1,200.5", 1200.5),
        ("1.200.000", 1_200_000),
        ("2,5", 2.5),
        ("1.200", 1.2),
        ("a", None),
        ("suspects", None),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


def test_dot_thousands_flag():
    assert parse_number("1.200") == 1.2
    assert parse_number("1.200", dot_thousands=True) == 1200
    assert parse_number("0.500", dot_thousands=True) == 0.5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("They held more than 1.200 pills.", [(1200, "more than")]),
        ("It weighed 1.250 kg.", [(1.25, None)]),
        ("about 2.5 million tablets", [(2_500_000, "about")]),
        ("around 40 kilos", [(40, "about")]),
        ("nearly three hundred and fifty thousand", [(350_000, "nearly")]),
        ("over 4,000 kilograms", [(4000, "over")]),
        ("some 20 boats", [(20, "some")]),
        ("at least 9 people", [(9, "at least")]),
        ("up to 15 tonnes", [(15, "up to")]),
        ("five and six", [(5, None), (6, None)]),
        ("between 15 and 20 million", [(15_000_000, None), (20_000_000, None)]),
        ("half a tonne", [(0.5, None)]),
        ("a suspect and a car", []),
    ],
)
def test_find_numbers_values_and_hedges(text, expected):
    assert [(n.value, n.hedge) for n in find_numbers(text)] == expected


@pytest.mark.parametrize(
    "text",
    ["On 12/04/2021 at 6:30am", "Covid-19 and the A320", "R891, 000"],
)
def test_dates_times_and_codes_are_not_numbers(text):
    assert [n.value for n in find_numbers(text) if n.value not in (891,)] == []


def test_offsets_and_irregular_flag():
    text = "All 4,0222 kilograms"
    (n,) = find_numbers(text)
    assert text[n.start : n.end] == n.text == "4,0222"
    assert n.irregular and n.value == 40222
