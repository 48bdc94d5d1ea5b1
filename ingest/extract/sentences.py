"""Sentence segmentation of report bodies, with page noise (bylines, "Read more", captions) dropped."""

from __future__ import annotations

import re
from dataclasses import dataclass

# abbreviations after which a full stop does not end a sentence
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "no",
    "nos",
    "vs",
    "etc",
    "inc",
    "ltd",
    "co",
    "corp",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "gen",
    "col",
    "lt",
    "maj",
    "capt",
    "sgt",
    "cpl",
    "brig",
    "adm",
    "cmdr",
    "insp",
    "supt",
    "det",
    "gov",
    "sen",
    "rep",
    "rs",
    "tk",
    "approx",
    "est",
    "dept",
    "govt",
    "u.s",
    "u.k",
    "u.n",
    "e.g",
    "i.e",
}
_NOISE = re.compile(
    r"^(read (more|also)|related|advertisement|return to top|share (this|on)|follow us|subscribe|"
    r"reader comments|comments?|photo|image|file photo|picture|caption|credit|sign up|click here|"
    r"listen to|watch|copyright|all rights reserved|posted|updated|published|by\s*:|by [A-Z][\w.]+( [A-Z][\w.]+)?$)",
    re.IGNORECASE,
)
_TIMESTAMP = re.compile(
    r"^\W*(\d+\s+(hours?|minutes?|days?)\s+ago|\d{1,2}/\d{1,2}/\d{2,4}(\s+at\s+[\d:]+\s*\w*)?|"
    r"[\d:]+\s*(am|pm)?\s*(ist|gmt|utc|cet)?)\W*$",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]*[A-Z0-9])")


# capitalised words that are never names of places, agencies or persons
CALENDAR_WORDS = frozenset(
    {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
)


@dataclass(frozen=True)
class Sentence:
    """A sentence with its index in the report and the index of its paragraph."""

    text: str
    index: int
    paragraph: int


_CAPTION = re.compile(
    r"\((?:photo|picture|image|file photo|file image|file picture|pic)\b|"
    r"\b(?:photo|picture|image)s? (?:courtesy|credit|by|via)\b|"
    r"[—–-]\s*(?:photo|image|picture)\s*:|^(?:photo|image|picture|caption)\s*:",
    re.IGNORECASE,
)


def is_noise(line: str) -> bool:
    """Return True for lines that carry no facts: bylines, timestamps, "Read more", captions, labels."""
    stripped = line.strip()
    if not stripped:
        return True
    if _CAPTION.search(stripped):
        return True  # a photo caption restates (or sums up) what the article tells
    if _NOISE.match(stripped) or _TIMESTAMP.match(stripped):
        return True
    words = stripped.split()
    # a line without closing punctuation is a heading, a caption or a label: headlines repeat
    # (and often sum up) the facts of the body, so they are left out
    return len(words) < 16 and not re.search(r"[.!?:;\"”’)]$", stripped)


def _split_paragraph(paragraph: str) -> list[str]:
    text = re.sub(r"\s+", " ", paragraph).strip()
    if not text:
        return []
    pieces = _SPLIT.split(text)
    out: list[str] = []
    for piece in pieces:
        if out:
            prev = out[-1]
            last_word = re.findall(r"([\w.]+)\.$", prev)
            # do not split after an abbreviation or an initial ("J. Smith")
            if last_word and (last_word[0].lower() in _ABBREVIATIONS or re.fullmatch(r"[A-Z]", last_word[0])):
                out[-1] = f"{prev} {piece}"
                continue
        out.append(piece.strip())
    return [s for s in out if s]


def split_sentences(text: str) -> list[Sentence]:
    """Return the sentences of ``text`` in order; paragraphs are separated by line breaks."""
    sentences: list[Sentence] = []
    paragraphs = [p for p in re.split(r"\n\s*\n|\n", text)]
    para_index = 0
    for paragraph in paragraphs:
        if is_noise(paragraph):
            continue
        parts = _split_paragraph(paragraph)
        kept = [p for p in parts if not is_noise(p)]
        if not kept:
            continue
        for part in kept:
            sentences.append(Sentence(part, len(sentences), para_index))
        para_index += 1
    return sentences
