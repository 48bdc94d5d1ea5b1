from narcograph.ingest.extract.sentences import is_noise, split_sentences


def test_splits_sentences_and_keeps_abbreviations_and_decimals():
    text = "Police seized 1.5 kg of heroin in St. Louis on Jan. 3. Mr. Doe was held.\n\nA second raid followed."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Police seized 1.5 kg of heroin in St. Louis on Jan. 3.",
        "Mr. Doe was held.",
        "A second raid followed.",
    ]
    assert [s.paragraph for s in sentences] == [0, 0, 1]


def test_drops_page_noise():
    text = (
        "By : Staff\n2 hours ago\nRead more: other seizures\nPhoto: customs officers at work\n"
        "Drugs haul at the port\n"
        "Customs officers seized 20 kg of cocaine at the port.\nReturn to top"
    )
    assert [s.text for s in split_sentences(text)] == ["Customs officers seized 20 kg of cocaine at the port."]


def test_noise_rules():
    assert is_noise("Read more")
    assert is_noise("12/04/2021 at 12:01 CET")
    assert is_noise("Seizure at the border")  # a heading without a full stop
    assert not is_noise("Police arrested two men on Monday.")


def test_quotes_close_sentences():
    text = "“We found the pills,” the officer said. Three men were arrested."
    assert len(split_sentences(text)) == 2
