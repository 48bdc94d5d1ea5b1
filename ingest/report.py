"""The Report: one news item or press release, whatever file it came in."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class Report:
    """A report as read from a file: metadata plus the body text.

    ``origin`` names where it was read ("file.jsonl:3") for messages; ``file_iri`` is the
    file's ``file://`` IRI, used as the source when the report has no URL.
    """

    text: str
    origin: str
    file_iri: str
    url: str | None = None
    title: str | None = None
    source: str | None = None
    published: date | None = None
    # rows of a structured table (CSV): mapped without text extraction
    records: tuple[dict[str, str], ...] = field(default=())

    @property
    def source_iri(self) -> str:
        """The report's URL, or its file IRI when it has none."""
        return self.url or self.file_iri

    @property
    def key(self) -> str:
        """A stable key: the same source always gives the same IRIs."""
        return hashlib.sha256(self.source_iri.encode("utf-8")).hexdigest()[:16]


def file_iri(path: Path, fragment: str | None = None) -> str:
    """Return the ``file://`` IRI of ``path`` (absolute), with an optional ``#fragment``."""
    iri = path.resolve().as_uri()
    return f"{iri}#{fragment}" if fragment else iri
