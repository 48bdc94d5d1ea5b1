"""Reading report files: one test per format and per way a file can be broken."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from narcograph.errors import ReadError
from narcograph.ingest.readers import (
    READERS,
    SUPPORTED_SUFFIXES,
    find_report_files,
    normalise_text,
    parse_date,
    read_report_items,
    read_reports,
)
from narcograph.ingest.report import Report, file_iri

DATA = Path(__file__).parent / "data" / "reports"
GOOD = DATA / "good"
BROKEN = DATA / "broken"


def read_one(path: Path) -> Report:
    (report,) = read_reports(path)
    return report


def read_error(path: Path) -> ReadError:
    (item,) = read_report_items(path)
    assert isinstance(item, ReadError), item
    return item


# --- finding files -------------------------------------------------------------------------


def test_registry_covers_the_supported_suffixes():
    assert SUPPORTED_SUFFIXES == (".txt", ".md", ".json", ".jsonl", ".html", ".htm", ".csv")
    assert set(READERS) == set(SUPPORTED_SUFFIXES)


def test_find_walks_folders_sorted_and_skips_hidden_files():
    names = [p.relative_to(GOOD).as_posix() for p in find_report_files([GOOD])]
    assert names == [
        "article.md",
        "bare_scraped.txt",
        "record.json",
        "records.jsonl",
        "seizures.csv",
        "with_header.txt",
        "pages/saved_page.html",
    ]


def test_find_keeps_files_as_given_and_drops_duplicates(tmp_path):
    odd = tmp_path / "notes.pdf"
    odd.write_text("x")
    found = find_report_files([odd, GOOD / "record.json", GOOD, GOOD / "record.json"])
    assert found[:2] == [odd, GOOD / "record.json"]
    assert found.count(GOOD / "record.json") == 1


def test_find_skips_hidden_folders_and_unsupported_files(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "a.txt").write_text("x")
    (tmp_path / "b.TXT").write_text("x")
    (tmp_path / "c.pdf").write_text("x")
    assert find_report_files([tmp_path]) == [tmp_path / "b.TXT"]


def test_find_missing_path_is_a_read_error(tmp_path):
    with pytest.raises(ReadError, match="no such file or folder") as info:
        find_report_files([tmp_path / "nowhere"])
    assert info.value.where == str(tmp_path / "nowhere")


# --- text and markdown ---------------------------------------------------------------------


def test_txt_with_header():
    path = GOOD / "with_header.txt"
    report = read_one(path)
    assert report.title == "Coast guard stops speedboat with hashish"
    assert report.published == date(2026, 3, 14)
    assert report.url == "https://coastal-news.example/2026/03/14/speedboat-hashish"
    assert report.source == "Coastal News"
    assert report.text.startswith("The coast guard stopped a speedboat")
    assert "\n\nTwo crew members" in report.text  # paragraph break kept
    assert "Reporter" not in report.text  # unknown header keys are dropped with the header
    assert report.origin == str(path)
    assert report.file_iri == file_iri(path)
    assert report.records == ()


def test_markdown_title_line_and_publisher_header():
    report = read_one(GOOD / "article.md")
    assert report.title == "Police dismantle cannabis farm in the hills"
    assert report.published == date(2026, 3, 3)
    assert report.source == "Ministry of Interior"
    assert report.url is None
    assert report.text.startswith("Officers raided a farmhouse")
    assert "#" not in report.text


def test_bare_scraped_form():
    report = read_one(GOOD / "bare_scraped.txt")
    assert report.published == date(2026, 2, 10)
    assert report.title is None
    assert report.text.startswith("Customs officers found 80,000 Captagon tablets in a lorry")
    assert "date 2026" not in report.text
    assert "\n\nThe driver was handed over" in report.text


def test_txt_without_header_is_all_body(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("ERBIL: Police seized 3 kg of opium.\n\nTwo men were arrested.\n")
    report = read_one(path)
    assert report.text == "ERBIL: Police seized 3 kg of opium.\n\nTwo men were arrested."
    assert report.published is None and report.title is None


def test_header_keys_are_case_insensitive_and_source_url_is_a_url(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(
        "TITLE: A\npublished: 2026-03-14T10:00:00+03:00\nsource url: https://x.example/a\n\nBody."
    )
    report = read_one(path)
    assert (report.title, report.published, report.url) == (
        "A",
        date(2026, 3, 14),
        "https://x.example/a",
    )


def test_source_header_holding_a_link_is_the_url(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("Source: https://x.example/b\n\nBody.")
    report = read_one(path)
    assert report.url == "https://x.example/b" and report.source is None


def test_text_is_normalised(tmp_path):
    path = tmp_path / "r.txt"
    # BOM, CRLF, trailing spaces, decomposed "é", three blank lines
    text = "\ufeffTitle: Cafe\u0301  \r\n\r\nA cafe\u0301 was raided.   \r\n\r\n\r\n\r\nEnd.\r\n"
    path.write_bytes(text.encode())
    report = read_one(path)
    assert report.title == "Café"
    assert report.text == "A café was raided.\n\nEnd."


def test_normalise_text_keeps_paragraph_breaks():
    assert normalise_text("a \r\nb\t\n\n\n\nc\n") == "a\nb\n\nc"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-14", date(2026, 3, 14)),
        ("2026-03-14T23:30:00-05:00", date(2026, 3, 14)),
        ("14 March 2026", date(2026, 3, 14)),
        ("March 14, 2026", date(2026, 3, 14)),
    ],
)
def test_parse_date_accepts_absolute_dates(value, expected):
    assert parse_date(value, "the Date header") == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-02-30", "impossible date '2026-02-30' in the Date header"),
        ("yesterday", "unrecognised date 'yesterday'"),
        ("on Tuesday", "unrecognised date"),
        ("March 2026", "unrecognised date"),
        ("03/04/2026", "ambiguous date '03/04/2026'"),
    ],
)
def test_parse_date_refuses_relative_ambiguous_and_impossible_dates(value, message):
    with pytest.raises(ValueError, match=message):
        parse_date(value, "the Date header")


def test_header_with_nothing_after_it(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("Title: only a header\nDate: 2026-01-01\n")
    assert "no report text after the header" in str(read_error(path))


# --- JSON ----------------------------------------------------------------------------------


def test_json_record_with_synonyms():
    path = GOOD / "record.json"
    report = read_one(path)
    assert report.url == "https://wire.example/stories/heroin-airport"
    assert report.title == "Heroin found in suitcase at airport"
    assert report.published == date(2026, 1, 20)
    assert report.source == "Example Wire"
    assert report.text.startswith("Airport police found 6 kg of heroin")
    assert "\n\nThe passenger" in report.text
    assert report.file_iri == file_iri(path)


def test_jsonl_keeps_good_lines_and_reports_bad_ones():
    path = GOOD / "records.jsonl"
    items = read_report_items(path)
    assert [type(item).__name__ for item in items] == [
        "Report",
        "ReadError",
        "Report",
        "ReadError",
    ]
    first, bad_json, second, no_text = items
    assert first.origin == f"{path}:1" and first.file_iri == file_iri(path, fragment="L1")
    assert first.published == date(2026, 4, 1) and first.source == "Example Wire"
    assert second.origin == f"{path}:4" and second.file_iri.endswith("#L4")
    assert second.text.startswith("Border guards seized 12,000 tramadol pills")
    assert second.published == date(2026, 4, 3)
    assert str(bad_json).startswith(f"{path}:2: invalid JSON")
    assert "column" in bad_json.message
    assert no_text.where == f"{path}:5" and "no text" in no_text.message
    # read_reports keeps the good records
    assert [r.url for r in read_reports(path)] == [
        "https://wire.example/a1",
        "https://wire.example/a3",
    ]


def test_jsonl_with_only_bad_lines_raises_the_first_error(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": ""}\n[1]\n')
    with pytest.raises(ReadError) as info:
        read_reports(path)
    assert info.value.where == f"{path}:1"
    assert [item.where for item in read_report_items(path)] == [f"{path}:1", f"{path}:2"]


def test_invalid_json_names_line_and_column():
    path = BROKEN / "invalid.json"
    error = read_error(path)
    assert error.where == f"{path}:4"
    assert "invalid JSON: Expecting ',' delimiter at line 4, column 3" in error.message


def test_json_without_text():
    path = BROKEN / "without_text.json"
    error = read_error(path)
    assert error.where == str(path)
    assert "record has no text" in error.message


def test_json_that_is_not_an_object(tmp_path):
    error = read_error(BROKEN / "list.json")
    assert "expected one JSON object, got a list" in error.message
    path = tmp_path / "scalar.jsonl"
    path.write_text('"just a string"\n')
    assert "expected a JSON object (a report record), got a string" in str(read_error(path))


def test_json_field_of_the_wrong_type(tmp_path):
    path = tmp_path / "r.json"
    path.write_text('{"text": "Body.", "published": 20260101}')
    assert "field 'published' must be a string, not a number" in str(read_error(path))


def test_json_bad_url_and_bad_date(tmp_path):
    path = tmp_path / "r.json"
    path.write_text('{"text": "Body.", "url": "www.example.com/x"}')
    assert "URL 'www.example.com/x' is not an absolute http(s) URL" in str(read_error(path))
    path.write_text('{"text": "Body.", "date": "2026-13-01"}')
    assert "impossible date '2026-13-01' in the 'date' field" in str(read_error(path))


# --- HTML ----------------------------------------------------------------------------------


def test_saved_page_main_text_and_metadata():
    path = GOOD / "pages" / "saved_page.html"
    report = read_one(path)
    assert report.title == "Port police find cocaine in banana crates"
    assert report.url == "https://harbour-gazette.example/news/2026/03/port-police-cocaine-bananas"
    assert report.published == date(2026, 3, 14)
    assert report.source == "Harbour Gazette"
    assert report.text.startswith("Customs officers at the container terminal of Porto Verde")
    assert "\n\nThree men, including the driver" in report.text
    for noise in ("Subscribe", "SPONSORED", "Advertisement", "Reader99", "AnnaB", "Copyright"):
        assert noise not in report.text
    assert report.file_iri == file_iri(path)


def test_page_in_its_declared_charset(tmp_path):
    path = tmp_path / "page.htm"
    body = "<p>La policía incautó 20 kilos de cocaína en un almacén del puerto.</p>" * 3
    path.write_bytes(
        (
            '<html><head><meta charset="iso-8859-1"><title>Incautación</title></head>'
            f"<body><article>{body}</article></body></html>"
        ).encode("latin-1")
    )
    assert "cocaína" in read_one(path).text


def test_page_without_article_text(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><head><title>Gazette</title></head><body></body></html>")
    assert "no article text found in the page" in str(read_error(path))


# --- CSV -----------------------------------------------------------------------------------


def test_csv_variant_columns_grouped_by_source():
    path = GOOD / "seizures.csv"
    colombia, ecuador = read_reports(path)
    assert colombia.url == "https://news.example/co-port"
    assert colombia.text == "" and colombia.origin == f"{path}:2"
    assert colombia.file_iri == file_iri(path)
    assert colombia.records == (
        {
            "_row": "2",
            "date": "2026-05-01",
            "country": "CO",
            "place": "Buenaventura",
            "agency": "Policía Nacional",
            "substance": "cocaine",
            "quantity": "1200",
            "unit": "kg",
            "arrests": "3",
            "source_url": "https://news.example/co-port",
        },
        {
            "_row": "3",
            "date": "2026-05-01",
            "country": "CO",
            "place": "Buenaventura",
            "agency": "Policía Nacional",
            "substance": "cannabis",
            "quantity": "2.5",
            "unit": "t",
            "source_url": "https://news.example/co-port",
        },
    )
    assert ecuador.url == "https://news.example/ec-port"
    rows = [(r["_row"], r["place"]) for r in ecuador.records]
    assert rows == [("4", "Guayaquil"), ("6", "Manta")]


def test_csv_bad_quantity_rejects_its_group_only():
    path = BROKEN / "bad_quantity.csv"
    good, error = read_report_items(path)
    assert isinstance(good, Report) and good.url == "https://news.example/good"
    assert [r["quantity"] for r in good.records] == ["5", "1.5"]
    assert isinstance(error, ReadError)
    assert str(error) == (
        f"{path}:3: column 'quantity' holds 'about ten', not a number (write 1200, 1,200 or 2.5)"
    )
    assert read_reports(path) == [good]


def test_csv_rows_without_source_form_one_group(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("event_date;drug_type;qty\n2026-01-02;heroin;3\n2026-01-03;opium;4\n")
    (report,) = read_reports(path)
    assert report.url is None and report.source_iri == file_iri(path)
    assert [r["substance"] for r in report.records] == ["heroin", "opium"]


@pytest.mark.parametrize(
    ("content", "where", "message"),
    [
        ("date,drug\n2026-01-01,\n", 2, "column 'drug' (substance) is empty"),
        ("Date,drug\n,heroin\n", 2, "column 'Date' (date) is empty"),
        ("date,drug\n2026-02-30,heroin\n", 2, "impossible date '2026-02-30' in column 'date'"),
        ("date,drug,arrested\n2026-02-01,heroin,two\n", 2, "column 'arrested' holds 'two'"),
        ("date,drug,url\n2026-02-01,heroin,Reuters\n", 2, "'Reuters', not an absolute"),
        ("drug,amount\nheroin,5\n", 1, "no 'date' column (accepted names: date, seizure_date"),
        ("date,url,source_url\n", 1, "columns 'url' and 'source_url' both mean 'source_url'"),
    ],
)
def test_csv_row_errors_name_row_and_column(tmp_path, content, where, message):
    path = tmp_path / "t.csv"
    path.write_text(content)
    error = read_error(path)
    assert error.where == f"{path}:{where}"
    assert message in error.message


def test_csv_unknown_columns_are_ignored(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("date,substance,remarks\n2026-01-01,khat,seen at dawn\n")
    (record,) = read_one(path).records
    assert record == {"_row": "2", "date": "2026-01-01", "substance": "khat"}


# --- broken files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.txt", "empty file"),
        ("blank.txt", "empty file (only whitespace)"),
        ("binary.txt", "binary file"),
        ("impossible_date.txt", "impossible date '2026-02-30' in the Date header"),
    ],
)
def test_broken_files(name, message):
    path = BROKEN / name
    error = read_error(path)
    assert error.where == str(path)
    assert message in error.message
    with pytest.raises(ReadError, match=re.escape(message)):
        read_reports(path)


def test_latin1_file_names_the_byte_and_its_offset():
    path = BROKEN / "latin1.txt"
    error = read_error(path)
    assert error.where == f"{path}:1"
    assert error.message == (
        "not valid UTF-8: byte 0xe9 at offset 10 cannot be decoded; save the file as UTF-8"
    )


def test_missing_and_unsupported_files(tmp_path):
    assert read_error(tmp_path / "gone.txt").message == "file not found"
    odd = tmp_path / "report.pdf"
    odd.write_bytes(b"%PDF-1.7")
    assert "unsupported file type '.pdf'" in read_error(odd).message


def test_utf16_file(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes("Police seized 2 kg.".encode("utf-16"))
    assert "UTF-16" in read_error(path).message
