"""Date expressions resolved against the publication date, never against today."""

from datetime import date

import pytest

from narcograph.ingest.extract.dates import find_dates

PUBLISHED = date(2023, 3, 9)  # a Thursday


def first(sentence, published=PUBLISHED):
    found = find_dates(sentence, published)
    assert found, sentence
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("The raid took place on 4 March 2023.", date(2023, 3, 4)),
        ("The raid took place on March 4, 2023.", date(2023, 3, 4)),
        ("Officers struck on the 4th of March, 2023.", date(2023, 3, 4)),
        ("Officers struck on Mar. 4 near the port.", date(2023, 3, 4)),
        ("Officers struck on 6 Mar near the port.", date(2023, 3, 6)),
        ("The seizure was logged on 04/03/2023.", date(2023, 3, 4)),
        ("The seizure was logged on 2023-03-04.", date(2023, 3, 4)),
        ("The seizure was logged on 04-03-2023.", date(2023, 3, 4)),
        ("On Saturday, 4, in a joint action, police seized cocaine.", date(2023, 3, 4)),
        ("On Saturday 4th police seized cocaine.", date(2023, 3, 4)),
        ("Posted Sat 4 Mar 2023, 10:15 AM", date(2023, 3, 4)),
        ("On Saturday, March 4, agents raided a farm.", date(2023, 3, 4)),
        ("Agents raided a farm on December 20.", date(2022, 12, 20)),
        ("Agents raided a farm on March 9.", date(2023, 3, 9)),
        ("LAGOS, Mar 8 (Reuters) - Police said", date(2023, 3, 8)),
    ],
)
def test_absolute(sentence, value):
    found = first(sentence)
    assert (found.value, found.kind) == (value, "absolute")


def test_numeric_date_reading_closest_to_publication():
    # 03/09/2023 read month-first is the publication day itself; day-first would be in September
    assert first("Filed 03/09/2023.").value == date(2023, 3, 9)
    assert first("Filed 25/02/2023.").value == date(2023, 2, 25)


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Police said on Tuesday that they had seized heroin.", date(2023, 3, 7)),
        ("Customs officers struck on Thursday.", date(2023, 3, 9)),
        ("Tuesday's raid netted cocaine.", date(2023, 3, 7)),
        ("Troops intervened on Wednesday night.", date(2023, 3, 8)),
        ("The boat was stopped overnight Sunday.", date(2023, 3, 5)),
        ("Troops foiled the bid at dawn on Monday.", date(2023, 3, 6)),
        ("The arrests came early Friday.", date(2023, 3, 3)),
        ("The arrests came last Thursday.", date(2023, 3, 2)),
        ("The suspects were caught yesterday.", date(2023, 3, 8)),
        ("The suspects were caught last night.", date(2023, 3, 8)),
        ("The suspects appear in court today.", date(2023, 3, 9)),
        ("Detectives said this morning the haul was large.", date(2023, 3, 9)),
        ("The car was stopped two days ago.", date(2023, 3, 7)),
        ("The car was stopped the day before yesterday.", date(2023, 3, 7)),
    ],
)
def test_relative(sentence, value):
    found = first(sentence)
    assert (found.value, found.kind) == (value, "relative")


@pytest.mark.parametrize(
    "sentence",
    [
        "The network was dismantled last week.",
        "Police struck over the weekend.",
        "The boat sailed in late October.",
        "The lab was found two weeks ago.",
        "Seizures rose earlier this month.",
        "Officers recently seized cocaine.",
        "The case opened in mid-January.",
        "Agents worked over the past 48 hours.",
    ],
)
def test_vague_dates_have_no_value(sentence):
    found = first(sentence)
    assert (found.value, found.kind) == (None, "vague")


@pytest.mark.parametrize(
    ("sentence", "text"),
    [
        ("Seizures doubled in 2021.", "in 2021"),
        ("The smuggling peaked in March.", "in March"),
        ("The container was watched since November 2017.", "since November 2017"),
        ("Prices fell in May 2020.", "in May 2020"),
    ],
)
def test_periods(sentence, text):
    found = first(sentence)
    assert (found.value, found.kind, found.text) == (None, "period", text)


def test_words_that_look_like_months_or_days():
    assert find_dates("Investigators may march on.", PUBLISHED) == []
    (found,) = find_dates("On Tuesday, 5 million pills were seized.", PUBLISHED)
    assert (found.value, found.text) == (date(2023, 3, 7), "Tuesday")


@pytest.mark.parametrize(
    ("sentence", "offset"),
    [("The following day, troops found a lab.", 1),
     ("The day before, a truck was stopped.", -1),
     ("Two days later, police raided a house.", 2),
     ("Three days earlier, guards seized a car.", -3)],
)
def test_anaphoric(sentence, offset):
    found = first(sentence)
    assert (found.value, found.kind, found.offset) == (None, "anaphoric", offset)


def test_without_publication_date_relative_values_are_none():
    assert first("Police said on Tuesday.", None).value is None
    assert first("Police said yesterday.", None).value is None
    assert first("Agents struck on March 4.", None).value is None
    assert first("Agents struck on 4 March 2023.", None).value == date(2023, 3, 4)


def test_offsets():
    sentence = "Customs said on Friday, March 3, 2023 that cocaine was found."
    (found,) = find_dates(sentence, PUBLISHED)
    assert sentence[found.start : found.end] == found.text == "Friday, March 3, 2023"
