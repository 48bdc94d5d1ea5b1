"""Date expressions in a sentence, resolved against the report's publication date.

Kinds:
  ``absolute``  a calendar date ("15 January 2026", "Jan. 15", "15/01/2026", "Friday, 14");
                a missing year is taken from ``published`` (the previous year when that
                would put the date after publication).
  ``relative``  a day named relative to publication ("on Tuesday", "yesterday", "early
                Thursday", "two days ago"); a weekday is the most recent such day on or
                before ``published``.
  ``anaphoric`` a day relative to another date in the text ("the following day"); ``offset``
                gives the days from that date, ``value`` is None.
  ``vague``     a span that names no single day ("last week", "late October"); value None.
  ``period``    a month or year ("in 2024", "in March", "November 2017"); value None.

Without ``published`` relative dates, and absolute dates that lack a year, have value None.
Nothing depends on today's date.

>>> [(d.value, d.kind) for d in find_dates("Police said on Wednesday.", date(2022, 12, 1))]
[(datetime.date(2022, 11, 30), 'relative')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .numbers import parse_number

__all__ = ["DateMention", "find_dates"]

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
    "fri": 4, "sat": 5, "sun": 6,
}
# Month names are matched capitalised only, so that "may" and "march" as words never count.
_MONTH = (r"(?P<{g}>(?:January|February|March|April|May|June|July|August|September|October|"
          r"November|December|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|"
          r"OCTOBER|NOVEMBER|DECEMBER)\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
          r"\b\.?)")
_WEEKDAY_FULL = (r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|MONDAY|TUESDAY|"
                 r"WEDNESDAY|THURSDAY|FRIDAY|SATURDAY|SUNDAY)")
_WEEKDAY_ANY = (rf"(?:{_WEEKDAY_FULL}|(?:Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)\b\.?)")
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?\b"
_YEAR = r"(?P<{g}>(?:19|20)\d\d)(?!\d)"
_PREFIX_WD = rf"(?:(?P<wd>{_WEEKDAY_ANY}),?\s+(?:the\s+)?)?"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(
        r"(?<![\d/.-])(?P<y>(?:19|20)\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?![\d-]|\.\d)")),
    ("numeric", re.compile(
        r"(?<![\d/.-])(?P<a>[0-3]?\d)(?P<sep>[/.-])(?P<b>[01]?\d)(?P=sep)"
        r"(?P<y>(?:19|20)?\d\d)(?![\d/-]|\.\d)")),
    # Friday, 15 October 2016 / 15th of January, 2026 / 15 Jan
    ("dmy", re.compile(
        _PREFIX_WD + _DAY.format(g="d") + r"\s+(?:of\s+)?" + _MONTH.format(g="m")
        + r"(?:,?\s+" + _YEAR.format(g="y") + ")?")),
    # Friday, November 3, 2017 / January 15 / Jan. 15th
    ("mdy", re.compile(
        _PREFIX_WD + _MONTH.format(g="m") + r"\s+" + _DAY.format(g="d")
        + r"(?:,?\s+" + _YEAR.format(g="y") + ")?")),
    # "Friday, 14": a weekday and a day of the month
    # (the day must end the phrase: "Tuesday, 5 million pills" is a count, not a date)
    ("wd_day", re.compile(
        rf"(?P<wd>{_WEEKDAY_FULL}),?\s+(?:the\s+)?(?P<d>[0-3]?\d)"
        r"(?:(?:st|nd|rd|th)\b|(?=\s*(?:[,;:)\]–—]|\.(?!\d)|$|\b(?:in|at|on|when|while|as|after|"
        r"before|during)\b))(?!,\s*\d))")),
]
_VAGUE_RE = re.compile(
    r"\b(?:(?:over|during|at|on)\s+the\s+(?:past\s+|last\s+)?weekend|(?:last|this|past)\s+weekend"
    r"|(?:earlier|later)\s+(?:this|last|that)\s+(?:week|month|year)"
    r"|(?:last|this|past|previous|next|the\s+same)\s+(?:week|month|year)"
    r"|(?:early|late|mid|the\s+end\s+of|end\s+of|the\s+beginning\s+of|beginning\s+of|"
    r"the\s+start\s+of|start\s+of|the\s+middle\s+of)[\s-]+(?P<vm>January|February|March|April|May|"
    r"June|July|August|September|October|November|December)\b"
    r"|(?:a|one|two|three|four|five|six|several|a\s+few|\d+)\s+(?:weeks?|months?|years?)\s+ago"
    r"|(?:a|one|two|three|four|five|six|several|a\s+few|\d+)\s+(?:weeks?|months?|years?)\s+"
    r"(?:earlier|later|before|after)"
    r"|recently|in\s+recent\s+(?:days|weeks|months|years)"
    r"|(?:over|in|during)\s+the\s+(?:past|last)\s+(?:\w+\s+)?(?:days|weeks|months|hours|years)"
    r"|(?:in|over|during)\s+the\s+(?:past|last)\s+(?:few\s+)?(?:week|month|year))\b",
    re.IGNORECASE,
)
_RELATIVE_RE = re.compile(
    r"\b(?:(?P<dby>the\s+day\s+before\s+yesterday)|(?P<yest>yesterday)"
    r"|(?P<last_night>last\s+night)"
    r"|(?P<today>today|tonight|this\s+(?:morning|afternoon|evening)|earlier\s+today)"
    r"|(?P<n>\w+)\s+days?\s+ago)\b",
    re.IGNORECASE,
)
_ANAPHORIC_RE = re.compile(
    r"\b(?:(?P<next>the\s+(?:following|next)\s+(?:day|morning|evening|night)"
    r"|(?:a|one)\s+day\s+later|the\s+day\s+after)"
    r"|(?P<prev>the\s+(?:previous|preceding)\s+(?:day|night|evening)|the\s+day\s+before"
    r"|(?:a|one)\s+day\s+(?:earlier|before|prior))"
    r"|(?P<same>(?:that|the\s+same)\s+(?:day|night|morning|evening))"
    r"|(?P<n>two|three|four|five|six|\d)\s+days\s+(?P<dir>later|earlier|before|prior|after))\b",
    re.IGNORECASE,
)
_WEEKDAY_RE = re.compile(
    r"(?:\b(?i:early|late|overnight|(?:at\s+)?dawn|(?:at\s+)?midnight)\s+(?i:on\s+)?)?"
    rf"(?:\b(?P<mod>last|this|next|past|previous|coming)\s+)?(?P<wd>{_WEEKDAY_FULL})"
    r"(?:['’]s)?(?!\w)(?:\s+(?:morning|afternoon|evening|night|overnight)\b)?"
)
_YEAR_PERIOD_RE = re.compile(
    r"\b(?i:in|since|during|of|for|by|until|till|from|before|after|throughout|between|through)\s+"
    r"(?i:early\s+|late\s+|mid-?)?(?P<y>(?:19|20)\d\d)(?!\d)(?!\s*[-/]\d)"
)
_MONTH_PERIOD_RE = re.compile(
    r"\b(?i:in|since|during|of|for|by|until|till|from|before|after|throughout|last|this)\s+"
    + _MONTH.format(g="m") + r"(?:,?\s+" + _YEAR.format(g="y") + r")?(?!\s+[0-3]?\d\b)"
    + r"|" + _MONTH.format(g="m2") + r",?\s+" + _YEAR.format(g="y2")
)


@dataclass(frozen=True)
class DateMention:
    """A date expression: resolved ``value`` (or None), span, text and ``kind``.

    ``offset`` is set for anaphoric mentions: days from the date they refer back to.
    """

    value: date | None
    start: int
    end: int
    text: str
    kind: str
    offset: int | None = None


def _safe_date(year: int, month: int, day: int) -> date | None:
    """Return the date, or None when it does not exist."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _with_year(month: int, day: int, year: int | None, published: date | None) -> date | None:
    """Return the date; without a year, the last such day on or before ``published``."""
    if year is not None:
        return _safe_date(year, month, day)
    if published is None:
        return None
    found = _safe_date(published.year, month, day)
    if found is not None and found <= published:
        return found
    return _safe_date(published.year - 1, month, day)


def _weekday_before(weekday: int, published: date, *, strict: bool = False) -> date:
    """Return the most recent ``weekday`` on or before ``published`` (before it if ``strict``)."""
    delta = (published.weekday() - weekday) % 7
    if strict and delta == 0:
        delta = 7
    return published - timedelta(days=delta)


def _weekday_and_day(weekday: int, day: int, published: date | None) -> date | None:
    """Return the latest date on or before ``published`` with this weekday and day of month."""
    if published is None:
        return None
    year, month = published.year, published.month
    for _ in range(28):
        found = _safe_date(year, month, day)
        if found is not None and found <= published and found.weekday() == weekday:
            return found
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None


def _year(text: str | None) -> int | None:
    """Return a four-digit year from a two- or four-digit string."""
    if not text:
        return None
    value = int(text)
    return value if value >= 100 else 2000 + value if value < 70 else 1900 + value


def _numeric(a: int, b: int, year: int, published: date | None) -> date | None:
    """Return the date of "a/b/year", day-first unless only month-first exists or fits better."""
    dmy, mdy = _safe_date(year, b, a), _safe_date(year, a, b)
    if dmy is None or mdy is None or dmy == mdy:
        return dmy or mdy
    if published is not None:
        # prefer the reading closest to publication, not after it
        candidates = [d for d in (dmy, mdy) if d <= published] or [dmy, mdy]
        return min(candidates, key=lambda d: abs((published - d).days))
    return dmy


def _absolute(kind: str, m: re.Match[str], published: date | None) -> date | None:
    """Return the date of an absolute match."""
    if kind == "iso":
        return _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    if kind == "numeric":
        return _numeric(int(m["a"]), int(m["b"]), _year(m["y"]) or 0, published)
    if kind == "wd_day":
        return _weekday_and_day(_WEEKDAYS[m["wd"].lower()], int(m["d"]), published)
    month = _MONTHS[m["m"].lower().rstrip(".")]
    found = _with_year(month, int(m["d"]), _year(m["y"]), published)
    if found is None and m["y"] is None and m["wd"] and published is not None:
        return None
    if found is not None and m["y"] is None and m["wd"]:
        # "Friday, November 3" with no year: the year whose November 3 is a Friday
        weekday = _WEEKDAYS[m["wd"].lower().rstrip(".")]
        if found.weekday() != weekday:
            for back in range(1, 7):
                other = _safe_date(found.year - back, month, int(m["d"]))
                if other is not None and other.weekday() == weekday:
                    return other
    return found


def find_dates(sentence: str, published: date | None = None) -> list[DateMention]:
    """Return the date expressions of ``sentence`` in order, resolved against ``published``."""
    out: list[DateMention] = []

    def free(start: int, end: int) -> bool:
        return not any(d.start < end and start < d.end for d in out)

    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(sentence):
            if not free(m.start(), m.end()):
                continue
            if kind in ("dmy", "mdy") and not 1 <= int(m["d"]) <= 31:
                continue
            out.append(DateMention(_absolute(kind, m, published), m.start(), m.end(), m[0],
                                   "absolute"))
    for m in _VAGUE_RE.finditer(sentence):
        if free(m.start(), m.end()):
            out.append(DateMention(None, m.start(), m.end(), m[0], "vague"))
    for m in _RELATIVE_RE.finditer(sentence):
        if not free(m.start(), m.end()):
            continue
        if m["n"] is not None:
            n = parse_number(m["n"])
            if n is None:
                continue
            days = int(n)
        else:
            days = 2 if m["dby"] else 1 if m["yest"] or m["last_night"] else 0
        value = None if published is None else published - timedelta(days=days)
        out.append(DateMention(value, m.start(), m.end(), m[0], "relative"))
    for m in _ANAPHORIC_RE.finditer(sentence):
        if not free(m.start(), m.end()):
            continue
        if m["n"] is not None:
            days = int(parse_number(m["n"]) or 0)
            offset = days if m["dir"].lower() in ("later", "after") else -days
        else:
            offset = 1 if m["next"] else -1 if m["prev"] else 0
        out.append(DateMention(None, m.start(), m.end(), m[0], "anaphoric", offset))
    for m in _WEEKDAY_RE.finditer(sentence):
        if not free(m.start(), m.end()):
            continue
        mod = (m["mod"] or "").lower()
        weekday = _WEEKDAYS[m["wd"].lower()]
        value = None
        if published is not None:
            if mod in ("next", "coming"):
                value = published + timedelta(days=(weekday - published.weekday()) % 7 or 7)
            else:
                value = _weekday_before(weekday, published,
                                        strict=mod in ("last", "past", "previous"))
        out.append(DateMention(value, m.start(), m.end(), m[0], "relative"))
    for pattern in (_MONTH_PERIOD_RE, _YEAR_PERIOD_RE):
        for m in pattern.finditer(sentence):
            if free(m.start(), m.end()):
                out.append(DateMention(None, m.start(), m.end(), m[0], "period"))
    return sorted(out, key=lambda d: d.start)
