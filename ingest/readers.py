"""Reading report files into :class:`Report` values, one small reader per file format.

Every reader takes the file's path and bytes and returns a list of items, each a ``Report``
or a ``ReadError``: a file with many records (``.jsonl``, ``.csv``) keeps its good records
when some are bad. A new format is one function added to ``READERS``.

>>> from pathlib import Path
from typing import TypeAlias
>>> for path in find_report_files([Path("reports")]):       # doctest: +SKIP
...     for item in read_report_items(path):
...         print(item)
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TypeAlias
from urllib.parse import urlsplit

from narcograph.errors import ReadError
from narcograph.ingest.report import Report, file_iri

Item: TypeAlias = Report | ReadError
Reader: TypeAlias = Callable[[Path, bytes], list[Item]]

# Metadata field names, lower-cased with "_" / "-" read as spaces: header keys of .txt/.md
# files and keys of JSON records. The first name of a field in this table wins in a record
# that has several.
FIELD_NAMES: dict[str, str] = {
    "title": "title",
    "headline": "title",
    "published": "published",
    "date": "published",
    "published at": "published",
    "url": "url",
    "link": "url",
    "source url": "url",
    "source": "source",
    "publisher": "source",
    "outlet": "source",
    "text": "text",
    "body": "text",
    "content": "text",
}

# CSV column names (lower-cased, spaces and "-" read as "_") -> canonical column.
CSV_COLUMNS: dict[str, str] = {
    "date": "date",
    "seizure_date": "date",
    "event_date": "date",
    "country": "country",
    "country_code": "country",
    "iso": "country",
    "place": "place",
    "location": "place",
    "city": "place",
    "province": "place",
    "agency": "agency",
    "substance": "substance",
    "drug": "substance",
    "drug_type": "substance",
    "quantity": "quantity",
    "amount": "quantity",
    "qty": "quantity",
    "unit": "unit",
    "arrests": "arrests",
    "arrested": "arrests",
    "source_url": "source_url",
    "url": "source_url",
    "source": "source_url",
}
CSV_REQUIRED = ("date", "substance")


# --- finding files -------------------------------------------------------------------------


def find_report_files(paths: Iterable[Path]) -> list[Path]:
    """Return the report files among ``paths``: files as given, folders walked recursively.

    Folders yield their files with a supported suffix in sorted order, skipping hidden files
    and folders. A file named explicitly is kept whatever its suffix, so that reading it
    says why it is unsupported instead of skipping it silently. Duplicates are dropped.

    Raises ``ReadError`` for a path that does not exist.
    """
    found: list[Path] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        resolved = path.resolve()
        if resolved not in seen:
            seen.add(resolved)
            found.append(path)

    for path in map(Path, paths):
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and name.lower().endswith(SUPPORTED_SUFFIXES):
                        add(Path(folder, name))
        elif path.exists():
            add(path)
        else:
            raise ReadError("no such file or folder", where=str(path))
    return found


# --- reading -------------------------------------------------------------------------------


def read_reports(path: Path) -> list[Report]:
    """Read the reports in one file.

    Bad records of a many-record file (a ``.jsonl`` line, a ``.csv`` group) are dropped as long
    as one good report remains; use :func:`read_report_items` to see them.

    Raises ``ReadError`` (the first one) when the file gives no report at all.
    """
    items = read_report_items(path)
    reports = [item for item in items if isinstance(item, Report)]
    if not reports:
        raise next(item for item in items if isinstance(item, ReadError))
    return reports


def read_report_items(path: Path) -> list[Item]:
    """Read one file into a list of ``Report`` and ``ReadError`` items, in file order.

    Never raises ``ReadError``: a file that cannot be read at all gives a one-error list.
    """
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    try:
        if reader is None:
            raise ReadError(
                f"unsupported file type {path.suffix or '(no suffix)'!r}; "
                f"supported: {' '.join(SUPPORTED_SUFFIXES)}",
                where=str(path),
            )
        data = _read_bytes(path)
        items = reader(path, data)
    except ReadError as error:
        return [error]
    return items or [ReadError("no report found in the file", where=str(path))]


def _read_bytes(path: Path) -> bytes:
    """Return the file's bytes, refusing missing, empty and binary files."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReadError("file not found", where=str(path)) from None
    except IsADirectoryError:
        raise ReadError("is a folder, not a file", where=str(path)) from None
    except OSError as error:
        raise ReadError(f"cannot read the file: {error.strerror}", where=str(path)) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError("file is UTF-16; save it as UTF-8", where=str(path))
    if b"\x00" in data:
        raise ReadError("binary file (it contains NUL bytes), not a text report", where=str(path))
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        raise ReadError("empty file" if not data else "empty file (only whitespace)", str(path))
    return data


def _decode(path: Path, data: bytes, encoding: str = "utf-8") -> str:
    """Decode ``data`` (a UTF-8 BOM is dropped), naming the first bad byte and its line."""
    if encoding.replace("_", "-").lower() in ("utf-8", "utf8"):
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        raise ReadError(
            f"not valid {encoding.removesuffix('-sig').upper()}: byte 0x{byte:02x} at offset "
            f"{error.start} cannot be decoded; save the file as UTF-8",
            where=f"{path}:{line}",
        ) from None


def normalise_text(text: str) -> str:
    """Return ``text`` in NFC with ``\\n`` line ends, no trailing spaces, single blank lines.

    Paragraph breaks (blank lines) are kept: the extractor splits on them.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


# --- dates and metadata --------------------------------------------------------------------

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?")
_NUMERIC_DATE = re.compile(r"\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}")
_DATEPARSER_SETTINGS = {
    "STRICT_PARSING": True,
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
    # absolute dates only: "yesterday", "on Tuesday", "3 days ago" are refused
    "PARSERS": ["custom-formats", "absolute-time"],
}


def parse_date(value: str, context: str) -> date:
    """Parse a stated publication or event date.

    Accepts ``YYYY-MM-DD`` (optionally followed by a time, which is ignored: the date is the
    one the publisher wrote) and written forms such as ``14 March 2026`` or
    ``March 14, 2026``. ``context`` says where the value stood, for the message.

    Raises ``ValueError`` with a plain message for an impossible, ambiguous or unknown date.
    """
    value = value.strip()
    match = _ISO_DATE.fullmatch(value)
    if match:
        try:
            return date(*map(int, match.groups()))
        except ValueError:
            raise ValueError(f"impossible date {value!r} in {context}") from None
    if _NUMERIC_DATE.fullmatch(value):
        # 03/04/2026 reads differently in different countries
        raise ValueError(f"ambiguous date {value!r} in {context}; write it as YYYY-MM-DD")
    import dateparser  # loaded on first use: it takes a second to load its language data

    parsed = dateparser.parse(value, settings=_DATEPARSER_SETTINGS)
    if parsed is None:
        raise ValueError(
            f"unrecognised date {value!r} in {context}; write it as YYYY-MM-DD "
            "or like '14 March 2026'"
        )
    return parsed.date()


def _field_name(key: str) -> str:
    return " ".join(key.lower().replace("_", " ").replace("-", " ").split())


def _is_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not re.search(r"\s", value)


def _make_report(
    meta: dict[str, str],
    text: str,
    *,
    origin: str,
    iri: str,
    date_context: Callable[[], str],
) -> Report:
    """Build a report from metadata strings (keys: title, published, url, source) and a body.

    Raises ``ReadError`` (where = ``origin``) for a bad date or URL or an empty body.
    """
    text = normalise_text(text)
    if not text:
        raise ReadError("no report text", where=origin)
    url = meta.get("url") or None
    source = meta.get("source") or None
    if url is None and source and _is_url(source):
        url, source = source, None  # "Source: https://..." names the article, not the outlet
    if url is not None and not _is_url(url):
        raise ReadError(f"URL {url!r} is not an absolute http(s) URL", where=origin)
    published = None
    if meta.get("published"):
        try:
            published = parse_date(meta["published"], date_context())
        except ValueError as error:
            raise ReadError(str(error), where=origin) from None
    return Report(
        text=text,
        origin=origin,
        file_iri=iri,
        url=url,
        title=normalise_text(meta.get("title", "")) or None,
        source=source,
        published=published,
    )


# --- .txt and .md --------------------------------------------------------------------------

_HEADER_LINE = re.compile(r"([A-Za-z][A-Za-z _-]{0,29}):[ \t]*(.*)")
_BARE_FORM = re.compile(r"date[ \t]+(\d{4}-\d{2}-\d{2})[ \t]+(\S.*)", re.DOTALL | re.I)
_MD_TITLE = re.compile(r"#[ \t]+(.+)")


def _split_header(text: str) -> tuple[dict[str, tuple[str, str]], str]:
    """Split ``Key: value`` header lines from the body.

    The first block (up to the first blank line) is a header when each of its lines is a
    ``Key: value`` line and one key is known; otherwise the whole text is the body (a body
    may well open with "ERBIL: ..."). Returns {field: (key as written, value)} and the body.
    """
    block, _, body = text.partition("\n\n")
    fields: dict[str, tuple[str, str]] = {}
    for line in block.split("\n"):
        match = _HEADER_LINE.fullmatch(line.strip())
        if match is None:
            return {}, text
        key, value = match[1].strip(), match[2].strip()
        name = FIELD_NAMES.get(_field_name(key))
        if name and name != "text" and name not in fields:
            fields[name] = (key, value)
    if not fields:
        return {}, text
    return fields, body


def _read_plain(path: Path, data: bytes, *, markdown: bool) -> list[Item]:
    text = normalise_text(_decode(path, data))
    where, iri = str(path), file_iri(path)
    bare = _BARE_FORM.fullmatch(text.lstrip())
    if bare:
        # scraped feeds: "date 2026-02-10 <body...>" with the body on the same line
        meta = {"published": bare[1]}
        return [
            _make_report(
                meta,
                bare[2],
                origin=where,
                iri=iri,
                date_context=lambda: "the leading 'date' of the file",
            )
        ]
    fields, body = _split_header(text)
    if fields and not body.strip():
        raise ReadError("no report text after the header", where=where)
    meta = {name: value for name, (_, value) in fields.items()}
    if markdown and "title" not in meta:
        first, _, rest = body.lstrip("\n").partition("\n")
        match = _MD_TITLE.fullmatch(first.strip())
        if match:
            meta["title"], body = match[1].strip().rstrip("#").strip(), rest
    key = fields.get("published", ("Date", ""))[0]
    return [
        _make_report(meta, body, origin=where, iri=iri, date_context=lambda: f"the {key} header")
    ]


def _read_txt(path: Path, data: bytes) -> list[Item]:
    return _read_plain(path, data, markdown=False)


def _read_md(path: Path, data: bytes) -> list[Item]:
    return _read_plain(path, data, markdown=True)


# --- .json and .jsonl ----------------------------------------------------------------------

_JSON_TYPES = {
    dict: "an object",
    list: "a list",
    str: "a string",
    bool: "true/false",
    int: "a number",
    float: "a number",
    type(None): "null",
}


def _record_report(record: object, *, origin: str, iri: str) -> Report:
    """Turn one decoded JSON value into a report. Raises ``ReadError`` where = ``origin``."""
    if not isinstance(record, dict):
        raise ReadError(
            f"expected a JSON object (a report record), got {_JSON_TYPES[type(record)]}",
            where=origin,
        )
    meta: dict[str, str] = {}
    keys: dict[str, str] = {}
    for key, value in record.items():
        name = FIELD_NAMES.get(_field_name(key))
        if name is None or value is None or name in meta:
            continue
        if not isinstance(value, str):
            raise ReadError(
                f"field {key!r} must be a string, not {_JSON_TYPES.get(type(value), 'that')}",
                where=origin,
            )
        if value.strip():
            meta[name], keys[name] = value, key
    text = meta.pop("text", "")
    if not text.strip():
        raise ReadError(
            "record has no text (a non-empty 'text', 'body' or 'content' field)", where=origin
        )
    return _make_report(
        meta,
        text,
        origin=origin,
        iri=iri,
        date_context=lambda: f"the {keys.get('published')!r} field",
    )


def _json_error(error: json.JSONDecodeError, path: Path, line: int | None = None) -> ReadError:
    if line is None:  # a whole .json file: the decoder's line is the file's line
        return ReadError(
            f"invalid JSON: {error.msg} at line {error.lineno}, column {error.colno}",
            where=f"{path}:{error.lineno}",
        )
    return ReadError(f"invalid JSON: {error.msg} at column {error.colno}", where=f"{path}:{line}")


def _read_json(path: Path, data: bytes) -> list[Item]:
    try:
        record = json.loads(_decode(path, data))
    except json.JSONDecodeError as error:
        raise _json_error(error, path) from None
    if isinstance(record, list):
        raise ReadError(
            "expected one JSON object, got a list; put one record per line in a .jsonl file",
            where=str(path),
        )
    return [_record_report(record, origin=str(path), iri=file_iri(path))]


def _read_jsonl(path: Path, data: bytes) -> list[Item]:
    items: list[Item] = []
    # split on "\n" only: JSON strings may hold U+2028, which str.splitlines() splits on
    for number, line in enumerate(_decode(path, data).split("\n"), start=1):
        if not line.strip():
            continue
        origin = f"{path}:{number}"
        try:
            record = json.loads(line)
            items.append(
                _record_report(record, origin=origin, iri=file_iri(path, fragment=f"L{number}"))
            )
        except json.JSONDecodeError as error:
            items.append(_json_error(error, path, number))
        except ReadError as error:
            items.append(error)
    return items


# --- .html ---------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _read_html(path: Path, data: bytes) -> list[Item]:
    """A saved article page: main text and metadata as trafilatura finds them."""
    import trafilatura  # loaded on first use: it is slow to import

    # a page saved as served keeps the charset it declares; anything else must be UTF-8
    declared = _META_CHARSET.search(data[:4096])
    encoding = declared[1].decode("ascii") if declared else "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ReadError(f"the page declares an unknown charset {encoding!r}", str(path)) from None
    page = _decode(path, data, encoding)
    document = trafilatura.bare_extraction(
        page,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        # dates from the page's markup only: a date guessed from the body text could be
        # any date the article mentions
        date_extraction_params={"original_date": True, "extensive_search": False},
    )
    found = {
        key: (getattr(document, key, None) or "").strip()
        for key in ("text", "title", "date", "url", "sitename")
    }
    if not found["text"]:
        raise ReadError("no article text found in the page", where=str(path))
    # trafilatura gives one paragraph per line; the extractor wants blank lines between them
    paragraphs = [line.strip() for line in found["text"].split("\n") if line.strip()]
    if paragraphs and paragraphs[0] == found["title"]:
        paragraphs = paragraphs[1:]  # the headline is the title, not body text
    meta = {
        "title": found["title"],
        "published": found["date"],
        "url": found["url"],
        "source": found["sitename"],
    }
    return [
        _make_report(
            meta,
            "\n\n".join(paragraphs),
            origin=str(path),
            iri=file_iri(path),
            date_context=lambda: "the page's date",
        )
    ]


# --- .csv ----------------------------------------------------------------------------------

_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DECIMAL = re.compile(r"\d+(?:\.\d+)?")


def _csv_number(value: str) -> str | None:
    """Return "1200" for "1,200" and "2.5" for "2.5"; None when it is not a number."""
    if _THOUSANDS.fullmatch(value):
        return value.replace(",", "")
    return value if _DECIMAL.fullmatch(value) else None


def _csv_header(path: Path, header: list[str]) -> dict[int, tuple[str, str]]:
    """Map column positions to (canonical name, name as written); unknown columns dropped."""
    columns: dict[int, tuple[str, str]] = {}
    by_name: dict[str, str] = {}
    for position, written in enumerate(header):
        name = CSV_COLUMNS.get(re.sub(r"[\s-]+", "_", written.strip().lower()))
        if name is None:
            continue
        if name in by_name:
            raise ReadError(
                f"columns {by_name[name]!r} and {written.strip()!r} both mean {name!r}",
                where=f"{path}:1",
            )
        by_name[name] = written.strip()
        columns[position] = (name, written.strip())
    for name in CSV_REQUIRED:
        if name not in by_name:
            accepted = ", ".join(k for k, v in CSV_COLUMNS.items() if v == name)
            raise ReadError(f"no {name!r} column (accepted names: {accepted})", f"{path}:1")
    return columns


def _csv_row(
    path: Path, line: int, cells: list[str], columns: dict[int, tuple[str, str]]
) -> dict[str, str]:
    """Validate and normalise one row. Raises ``ReadError`` naming the row and column."""
    where = f"{path}:{line}"
    row: dict[str, str] = {"_row": str(line)}
    written: dict[str, str] = {}
    for position, (name, as_written) in columns.items():
        value = cells[position].strip() if position < len(cells) else ""
        written[name] = as_written
        if value:
            row[name] = unicodedata.normalize("NFC", value)
    for name in CSV_REQUIRED:
        if name not in row:
            raise ReadError(f"column {written[name]!r} ({name}) is empty", where)
    try:
        row["date"] = parse_date(row["date"], f"column {written['date']!r}").isoformat()
    except ValueError as error:
        raise ReadError(f"{error}", where) from None
    if "quantity" in row:
        number = _csv_number(row["quantity"])
        if number is None:
            raise ReadError(
                f"column {written['quantity']!r} holds {row['quantity']!r}, "
                "not a number (write 1200, 1,200 or 2.5)",
                where,
            )
        row["quantity"] = number
    if "arrests" in row:
        if not row["arrests"].isdigit():
            raise ReadError(
                f"column {written['arrests']!r} holds {row['arrests']!r}, not a whole number",
                where,
            )
        row["arrests"] = str(int(row["arrests"]))
    if "source_url" in row and not _is_url(row["source_url"]):
        raise ReadError(
            f"column {written['source_url']!r} holds {row['source_url']!r}, "
            "not an absolute http(s) URL",
            where,
        )
    return row


def _read_csv(path: Path, data: bytes) -> list[Item]:
    """A table of seizures, one per row; one report per source URL.

    Rows are grouped by ``source_url`` (rows without one form one group). A bad row rejects
    its whole group, so a report is never stored with some of its seizures missing; the
    other groups still give reports.
    """
    text = _decode(path, data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)  # spreadsheets export ";" and tabs too
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        columns = _csv_header(path, next(reader))
        groups: dict[str | None, list[dict[str, str] | ReadError]] = {}
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            try:
                row: dict[str, str] | ReadError = _csv_row(path, reader.line_num, cells, columns)
            except ReadError as error:
                row = error
            url = _row_url(row, cells, columns)
            groups.setdefault(url, []).append(row)
    except csv.Error as error:
        raise ReadError(f"malformed CSV: {error}", where=f"{path}:{reader.line_num}") from None
    items: list[Item] = []
    for url, rows in groups.items():
        errors = [row for row in rows if isinstance(row, ReadError)]
        if errors:
            items.extend(errors)
            continue
        records = tuple(row for row in rows if isinstance(row, dict))
        items.append(
            Report(
                text="",
                origin=f"{path}:{records[0]['_row']}",
                file_iri=file_iri(path),
                url=url,
                records=records,
            )
        )
    return items


def _row_url(
    row: dict[str, str] | ReadError, cells: list[str], columns: dict[int, tuple[str, str]]
) -> str | None:
    """The source URL a row belongs to, read from the raw cells when the row is bad."""
    if isinstance(row, dict):
        return row.get("source_url")
    for position, (name, _) in columns.items():
        if name == "source_url" and position < len(cells):
            return cells[position].strip() or None
    return None


READERS: dict[str, Reader] = {
    ".txt": _read_txt,
    ".md": _read_md,
    ".json": _read_json,
    ".jsonl": _read_jsonl,
    ".html": _read_html,
    ".htm": _read_html,
    ".csv": _read_csv,
}
SUPPORTED_SUFFIXES = tuple(READERS)
