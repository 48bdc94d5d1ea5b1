"""Numbers as news reports write them: digits, words, scales (million, lakh, crore) and hedges.

>>> parse_number("2.5 million")
2500000.0
>>> [(n.value, n.hedge) for n in find_numbers("more than twenty-three tonnes")]
[(23.0, 'more than')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["NumberMention", "find_numbers", "hedge_before", "parse_number"]

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
# Scales that multiply everything counted so far in the current group.
_BIG = {
    "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "lacs": 1e5, "crore": 1e7, "crores": 1e7,
    "mln": 1e6, "mn": 1e6, "bn": 1e9, "bln": 1e9,
}
# Abbreviations that only count as a scale when glued to the digits ("3m", "2bn", "40k").
_GLUED = {"m": 1e6, "bn": 1e9, "k": 1e3, "mn": 1e6, "mln": 1e6}

_WORDS = "|".join(sorted([*_SMALL, *_BIG, "hundred", "dozen", "half"], key=len, reverse=True))
_DIGITS = r"\d+(?:[.,]\d+)*"
_SCALE_AFTER = (
    r"(?:\s*-?\s*(?:thousand|million|billion|trillion|lakhs?|lacs?|crores?|mln|mn|bn|bln|hundred)\b"
    r"|(?:m|bn|k|mn|mln)\b)"
)
_NUMBER_RE = re.compile(
    # not glued to a word ("A320", "Covid-19", "RM1.47") nor part of a date/time/decimal
    r"(?<![\w.,/:])(?<![A-Za-z]-)"
    rf"(?:(?P<digits>{_DIGITS})(?P<scale>{_SCALE_AFTER})?"
    rf"|(?P<words>\b(?:an?\s+)?(?:{_WORDS})\b(?:[\s-]+(?:and[\s-]+)?(?:an?[\s-]+)?(?:{_WORDS})\b)*"
    r"(?:\s+an?\b)?))"
    r"(?![.,]?\d)(?![/:]\d)",
    re.IGNORECASE,
)
_HEDGES = {
    "more than": "more than", "in excess of": "more than", "upwards of": "more than",
    "over": "over", "just over": "over", "well over": "over",
    "about": "about", "around": "about", "approximately": "about", "approx.": "about",
    "approx": "about", "roughly": "about", "an estimated": "about", "estimated": "about",
    "some": "some", "nearly": "nearly", "almost": "nearly", "close to": "nearly",
    "at least": "at least", "up to": "up to", "as many as": "up to", "as much as": "up to",
    "less than": "less than", "fewer than": "less than", "under": "less than",
}
_HEDGE_RE = re.compile(
    r"(?:^|(?<=\W))(" + "|".join(re.escape(h) for h in sorted(_HEDGES, key=len, reverse=True))
    + r")\s+$",
    re.IGNORECASE,
)
# Words after which "1.200" reads as one thousand two hundred rather than 1.2.
_COUNT_NOUN_RE = re.compile(
    r"\s*(?:[A-Za-z-]+\s+){0,2}?(?:pills?|tablets?|capsules?|plants?|seedlings?|packets?|"
    r"sachets?|doses?|bottles?|ampoules?|units?|bags?|packages?)\b",
    re.IGNORECASE,
)
_SCALED_WORDS = re.compile(r"thousand|million|billion|trillion|lakh|lac|crore", re.IGNORECASE)
_RANGE_GAP_RE = re.compile(r"\s*(?:to|-|–|—|or|and)\s*[$€£]?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class NumberMention:
    """A number in a text: its value, character span, surface text and hedge ("more than"...).

    ``irregular`` marks digit groups with misplaced separators (a source typo such as "4,0222").
    """

    value: float
    start: int
    end: int
    text: str
    hedge: str | None = None
    irregular: bool = False


def _digits(text: str, dot_thousands: bool) -> tuple[float, bool] | None:
    """Return (value, irregular) for a digit string with "," / "." separators, or None."""
    if text.isdigit():
        return float(text), False
    if "," in text and "." in text:
        last = max(text.rfind(","), text.rfind("."))
        decimal, thousands = text[last], "," if text[last] == "." else "."
        whole = text[:last]
        if decimal in whole:
            return None
        groups = whole.split(thousands)
        irregular = any(len(g) != 3 for g in groups[1:])
        return float("".join(groups) + "." + text[last + 1 :]), irregular
    sep = "," if "," in text else "."
    groups = text.split(sep)
    regular = 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
    if sep == ",":
        if regular:
            return float("".join(groups)), False
        if len(groups) == 2 and len(groups[1]) <= 2:  # European decimal comma: "2,5 tonnes"
            return float(f"{groups[0]}.{groups[1]}"), False
        return float("".join(groups)), True  # misplaced separators: keep every digit
    if len(groups) > 2:
        return (float("".join(groups)), False) if regular else None
    if dot_thousands and regular and groups[0] != "0":
        return float("".join(groups)), False
    return float(text), False


def _words(tokens: list[str]) -> float | None:
    """Return the value of number words such as ["two", "hundred", "and", "five"], or None."""
    total = current = 0.0
    seen = False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if tok in ("a", "an"):
            if nxt is None or nxt in ("a", "an", "and"):
                return None
            current = current or 1.0
            seen = True
        elif tok == "and":
            pass
        elif tok == "half":
            # "half a million", "one and a half", "half a" (tonne)
            if current:
                current += 0.5
            else:
                current = 0.5
                if nxt in ("a", "an"):
                    i += 1
            seen = True
        elif tok in _SMALL:
            current += _SMALL[tok]
            seen = True
        elif tok == "hundred":
            current = (current or 1.0) * 100
            seen = True
        elif tok == "dozen":
            current = (current or 1.0) * 12
            seen = True
        elif tok in _BIG:
            total += (current or 1.0) * _BIG[tok]
            current = 0.0
            seen = True
        else:
            return None
        i += 1
    return total + current if seen else None


def _value(digits: str | None, scale: str | None, words: str | None,
           dot_thousands: bool) -> tuple[float, bool] | None:
    """Return (value, irregular) of one matched number, or None."""
    if words is not None:
        tokens = [t for t in re.split(r"[\s-]+", words.lower()) if t]
        value = _words(tokens)
        return None if value is None else (value, False)
    parsed = _digits(digits or "", dot_thousands)
    if parsed is None:
        return None
    value, irregular = parsed
    if scale:
        word = scale.strip(" -").lower()
        value *= 100 if word == "hundred" else _BIG.get(word) or _GLUED[word]
    return value, irregular


def parse_number(text: str, *, dot_thousands: bool = False) -> float | None:
    """Return the value of a whole number expression ("565,000", "1.30 lakh", "a dozen"), or None.

    ``dot_thousands`` reads a single dot followed by exactly three digits ("1.200") as a
    thousands separator; by default it is a decimal point.

    >>> parse_number("twenty-three"), parse_number("2 crore"), parse_number("half a")
    (23.0, 20000000.0, 0.5)
    """
    text = text.strip()
    if re.fullmatch(r"half\s+an?", text, re.IGNORECASE):
        return 0.5
    m = _NUMBER_RE.fullmatch(text)
    if m is None:
        return None
    parsed = _value(m["digits"], m["scale"], m["words"], dot_thousands)
    return None if parsed is None else parsed[0]


def hedge_before(text: str, start: int) -> str | None:
    """Return the normalised hedge ("more than", "about"...) written just before ``start``."""
    m = _HEDGE_RE.search(text[max(0, start - 20) : start])
    return _HEDGES[m[1].lower()] if m else None


def find_numbers(text: str, *, dot_thousands: bool | None = None) -> list[NumberMention]:
    """Return every number in ``text`` in order, with its hedge.

    ``dot_thousands``: True / False force the reading of "1.200"; None (default) reads it as
    thousands only when a count noun (pills, tablets, plants...) follows.

    Bare "a"/"an"/"half" are numbers only inside a larger expression ("a dozen", "half a").
    """
    found: list[tuple[NumberMention, bool]] = []
    for m in _NUMBER_RE.finditer(text):
        if m["words"] is not None:
            spans = _split_words(m["words"], m.start())
        elif re.fullmatch(r"0\d+", m["digits"]):  # "000" left over from "R891, 000"
            continue
        else:
            spans = [(m.start(), m.end())]
        for start, end in spans:
            words = text[start:end] if m["words"] is not None else None
            dots = dot_thousands
            if dots is None:
                dots = bool(_COUNT_NOUN_RE.match(text, end))
            parsed = _value(m["digits"], m["scale"], words, dots)
            if parsed is None:
                continue
            value, irregular = parsed
            mention = NumberMention(value, start, end, text[start:end], hedge_before(text, start),
                                    irregular)
            scaled = bool(m["scale"]) or bool(words and _SCALED_WORDS.search(words))
            found.append((mention, scaled))
    out: list[NumberMention] = []
    for i, (mention, scaled) in enumerate(found):
        nxt = found[i + 1] if i + 1 < len(found) else None
        # "15 to 20 million": the scale of the upper bound applies to the lower one too
        if (not scaled and nxt is not None and nxt[1] and mention.value < nxt[0].value
                and _RANGE_GAP_RE.fullmatch(text[mention.end : nxt[0].start])
                and mention.value == int(mention.value) and mention.value < 1000):
            scale = _scale_of(nxt[0])
            if scale:
                mention = NumberMention(mention.value * scale, mention.start, mention.end,
                                        mention.text, mention.hedge, mention.irregular)
        out.append(mention)
    return out


def _split_words(words: str, offset: int) -> list[tuple[int, int]]:
    """Return the spans of the separate numbers in a run of number words.

    "five and six" is two numbers; "two hundred and five" and "one and a half" are one. Bare
    "a"/"an"/"half" at either end are dropped ("a suspect", "half of").
    """
    tokens = [(t[0].lower(), offset + t.start(), offset + t.end())
              for t in re.finditer(r"[A-Za-z]+", words)]
    groups: list[list[tuple[str, int, int]]] = [[]]
    for i, tok in enumerate(tokens):
        if tok[0] == "and":
            prev = groups[-1][-1][0] if groups[-1] else None
            rest = [t[0] for t in tokens[i + 1 : i + 3]]
            if prev in ("hundred", *_BIG) or rest[:1] == ["half"] or rest == ["a", "half"]:
                groups[-1].append(tok)
            else:
                groups.append([])
            continue
        groups[-1].append(tok)
    spans = []
    for group in groups:
        while group and group[-1][0] in ("a", "an", "and") and not (
            len(group) >= 2 and group[-2][0] == "half" and group[-1][0] != "and"
        ):
            group.pop()
        if not group or [t[0] for t in group] in (["half"], ["a"], ["an"]):
            continue
        spans.append((group[0][1], group[-1][2]))
    return spans


def _scale_of(mention: NumberMention) -> float | None:
    """Return the scale word's factor of a mention like "20 million", or None."""
    m = re.search(r"(thousand|million|billion|trillion|lakhs?|lacs?|crores?|mln|mn|bn|bln|k|m)\s*$",
                  mention.text, re.IGNORECASE)
    if not m:
        return None
    word = m[1].lower()
    return _BIG.get(word) or _GLUED.get(word)
