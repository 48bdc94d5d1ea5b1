import pytest

from narcograph.ingest.extract.persons import find_persons


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("The suspects were identified as Juan Perez Gomez and Maria Lopez.", ["Juan Perez Gomez", "Maria Lopez"]),
        ("The detainee is Ahmed Karimi, 41, from a village near the border.", ["Ahmed Karimi"]),
        ("Those in custody are Rico Santos, Benny Cruz, and Alma Reyes.", ["Rico Santos", "Benny Cruz", "Alma Reyes"]),
        ("Police arrested Peter Mwangi Otieno after a chase.", ["Peter Mwangi Otieno"]),
    ],
)
def test_names_of_suspects(sentence, names):
    assert [p.name for p in find_persons(sentence)] == names


@pytest.mark.parametrize(
    "sentence",
    [
        "Two suspects were arrested, said Colonel Omar Haddad, the police spokesman.",
        "According to Maj Rafiq Hossain, the suspects were arrested at dawn.",
        "Jane Miller, a customs spokeswoman, said the men were detained.",
        "The weather in Lagos was hot on Monday.",  # no arrest cue at all
    ],
)
def test_officials_are_not_suspects(sentence):
    assert find_persons(sentence) == []


def test_known_places_are_excluded():
    sentence = "The suspects were arrested in Kisauni Town and named as Ali Hamisi."
    assert [p.name for p in find_persons(sentence, excluded={"Kisauni Town"})] == ["Ali Hamisi"]


def test_role_charged_and_wanted():
    assert find_persons("Prosecutors charged Tomas Berg with smuggling.")[0].role == "charged"
    assert find_persons("Police said Viktor Lang is still wanted.")[0].role == "wanted"


def test_name_ending_in_said_is_kept():
    sentence = "The two, named as Omar Ali Said and Zuhura Bakari, were arrested."
    assert [p.name for p in find_persons(sentence)] == ["Omar Ali Said", "Zuhura Bakari"]
