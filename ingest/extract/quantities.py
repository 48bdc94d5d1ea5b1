"""Amounts of drugs in a sentence, normalised to the units kg, l, pill, plant and unit.

Money is not a quantity: amounts with a currency ("$3 million", "Rs 20,000 crore", "P1.6 M")
or after a value cue ("worth", "valued at") are left out, or returned with ``is_money=True``
when asked. Years, ages, percentages, times and counts of people have no unit and so never
become quantities.

>>> [(q.value, q.unit) for q in find_quantities("Police seized 1.2 tonnes of cocaine.")]
[(1200.0, 'kg')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import find_numbers, hedge_before, parse_number
from .substances import find_substances

__all__ = ["Quantity", "combine_each", "find_money", "find_quantities", "unit_of"]

# raw unit pattern -> (unit, factor to that unit)
_UNITS: list[tuple[str, str, float]] = [
    (r"metric\s+(?:tonnes?|tons?)", "kg", 1000.0),
    (r"tonnes?|tons?", "kg", 1000.0),
    (r"kilogrammes?|kilograms?|kilos?|kgs?\.?", "kg", 1.0),
    (r"milligrams?|milligrammes?|mg", "kg", 1e-6),
    (r"grammes?|grams?|gms?|gr|g", "kg", 1e-3),
    (r"pounds?|lbs?\.?", "kg", 0.4536),
    (r"ounces?|oz\.?", "kg", 0.02835),
    (r"millilit(?:re|er)s?|ml", "l", 1e-3),
    (r"litres?|liters?|ltrs?|l", "l", 1.0),
    (r"gallons?", "l", 3.785),
    (r"pills?|tablets?|capsules?|tabs", "pill", 1.0),
    (r"plants?|bushes|shrubs|seedlings?|saplings?", "plant", 1.0),
    (r"packets?|packs|packages?|bags?|bricks?|slabs?|blocks?|palms|doses?|sachets?|parcels?|"
     r"bundles?|sacks?|bales?|wraps?|units?|blotters?|ampoules?|vials?", "unit", 1.0),
]
# Count units that name a drug only when the sentence names a substance ("55 bullets" of cocaine).
_CONTEXT_UNIT_RE = r"bullets|balls|pellets|pieces|fingers|bottles?|sheets"
_UNIT_RE = re.compile(
    r"\s*(?:-\s*)?(?P<unit>" + "|".join(p for p, _, _ in _UNITS) + "|" + _CONTEXT_UNIT_RE
    + r")(?![\w])",
    re.IGNORECASE,
)
# Single letters are units only in lower case ("5 g", "2 l"/"2 L" aside): "5G", "A" are not.
_CASE_SENSITIVE = {"g": "g", "gr": "gr", "l": "lL", "mg": "mg", "ml": "ml"}

# Counts of pills written without the word "pills": "30,000 yaba", "2 million Captagon".
_PILL_DRUG_RE = re.compile(
    r"(?:yaba|ya\s+ba|captagon|kaptagon|ecstasy|tramadol|xanax|alprazolam|diazepam|valium|"
    r"oxycodone|rohypnol)s?(?!\w)",
    re.IGNORECASE,
)
_MODIFIER = r"[A-Za-z][\w'’]*(?:-[\w'’]+)*"
_PILL_COUNT_RE = re.compile(
    rf"(?:\s+{_MODIFIER}){{0,2}}?\s+(?P<drug>{_PILL_DRUG_RE.pattern})", re.IGNORECASE
)
_MODIFIER_STOP = {
    "of", "and", "or", "the", "a", "an", "in", "on", "at", "to", "from", "with", "by", "for",
    "were", "was", "are", "is", "be", "been", "being", "had", "has", "have", "more", "than",
    "about", "around", "each", "per", "worth", "valued", "people", "persons", "suspects", "men",
    "women", "years", "year", "old", "days", "hours", "weeks", "months", "percent", "per cent",
    "which", "that", "who", "they", "their", "its", "his", "her", "into", "over", "under",
    "times", "other", "others", "also", "not", "no", "as", "while", "after", "before", "during",
}
_MODIFIERS_RE = [re.compile(rf"(?:\s+{_MODIFIER}){{{k}}}") for k in (1, 2, 3)]

_CURRENCY_BEFORE = (
    r"(?:US\$|USD\s?|A\$|AU\$|C\$|CA\$|HK\$|NZ\$|S\$|R\$|\$|€|£|¥|₹|₦|₱|৳|₨|"
    r"(?:Rs|Tk|Sh|Ksh|KSh|Dhs?|Rp|Php|RM|INR|EUR|GBP|AED|SAR|QAR|QR|EGP|JOD|JD|KWD|IQD|BDT|PKR|"
    r"NGN|KES|ZAR|MYR|THB|IDR|PHP|LKR|NPR|CNY|RMB|Rmb|AUD|CAD|SGD|BRL|MXN|COP|TRY|IRR|AFN)\.?\s?"
    r"|(?<![A-Za-z])[PNR](?=\d))"
)
_CURRENCY_AFTER = (
    r"(?:dollars?|euros?|pounds\s+sterling|sterling|dirhams?|pesos?|rupees?|taka|naira|"
    r"shillings?|rand|riyals?|dinars?|liras?|lira|yuan|renminbi|baht|ringgit|francs?|reais|real|"
    r"soles|bolivars?|afghanis?|kyats?|dong|won|yen|tomans?|rials?|cedis?|kwacha|birr|"
    r"USD|EUR|GBP|AED|SAR|INR)\b"
)
_MONEY_AMOUNT = (
    r"\d+(?:[.,]\d+)*(?:\s*(?:thousand|million|billion|trillion|lakhs?|lacs?|crores?|mln|mn|bn|"
    r"bln|[MBK]|m|b|k)\b)?"
)
_MONEY_RE = re.compile(
    rf"(?P<cur>{_CURRENCY_BEFORE})(?P<amount>{_MONEY_AMOUNT})"
    rf"|(?<![\w.,])(?P<amount2>{_MONEY_AMOUNT})\s*(?P<cur2>{_CURRENCY_AFTER})",
)
_VALUE_CUE_RE = re.compile(
    r"\b(?:worth|valued\s+at|value\s+of|street\s+value\s+of|estimated\s+value\s+of|price\s+of|"
    r"costing|cost\s+of|sold\s+for|bought\s+for)\s+(?:(?:about|around|some|over|more\s+than|"
    r"nearly|almost|roughly|approximately|an\s+estimated|up\s+to|at\s+least)\s+)?$",
    re.IGNORECASE,
)
_AGE_AFTER_RE = re.compile(r"\s*-?\s*(?:years?|yrs?)(?:\s*-?\s*old)?\b", re.IGNORECASE)
_AGE_BEFORE_RE = re.compile(r"\b(?:aged|age|ages)\s+(?:\d+\s*(?:and|,|-|to)\s*)?$", re.IGNORECASE)
_ONE_UNIT_RE = re.compile(
    r"(?<![\w-])(?:an?|one)\s+(?P<unit>metric\s+(?:tonne|ton)|tonne|ton|kilogramme|kilogram|kilo|"
    r"gram|pound|ounce|litre|liter|gallon)\s+of\b",
    re.IGNORECASE,
)
_EACH_BEFORE_RE = re.compile(r"\beach\b[^,;.()]{0,30}$", re.IGNORECASE)
_EACH_AFTER_RE = re.compile(r"\s*(?:of\s+[\w\s-]{1,25}?\s+)?each\b", re.IGNORECASE)
_PAREN_BEFORE_RE = re.compile(r"\(\s*(?:\w+\s+){0,2}$")


@dataclass(frozen=True)
class Quantity:
    """An amount with its unit, normalised: ``value`` in ``unit`` (kg, l, pill, plant, unit).

    ``raw_unit`` is the unit as written ("tonnes"; the currency for money, whose ``unit`` is
    "money"). ``each`` marks an amount per container ("25 sacks, each holding 200,000 pills");
    ``parenthetical`` an amount in brackets, usually an equivalence ("6 kilos (13 pounds)");
    ``derived`` a total computed from containers and a per-container amount.
    """

    value: float
    unit: str
    start: int
    end: int
    text: str
    raw_unit: str
    is_money: bool = False
    hedge: str | None = None
    each: bool = False
    parenthetical: bool = False
    derived: bool = False


def unit_of(raw_unit: str) -> tuple[str, float] | None:
    """Return (unit, factor) for a written unit such as "tonnes" -> ("kg", 1000.0), or None."""
    raw = raw_unit.strip()
    for pattern, unit, factor in _UNITS:
        if re.fullmatch(pattern, raw, re.IGNORECASE):
            allowed = _CASE_SENSITIVE.get(raw.lower().rstrip("s"))
            if allowed is not None and raw.rstrip("s") not in (allowed, *allowed):
                return None
            return unit, factor
    if re.fullmatch(_CONTEXT_UNIT_RE, raw, re.IGNORECASE):
        return "unit", 1.0
    return None


def find_money(sentence: str) -> list[Quantity]:
    """Return the amounts of money in ``sentence`` (unit "money", ``is_money=True``)."""
    out: list[Quantity] = []
    for m in _MONEY_RE.finditer(sentence):
        cur = (m["cur"] or m["cur2"] or "").strip()
        amount = (m["amount"] or m["amount2"]).strip()
        value = _money_value(amount)
        if value is None:
            continue
        out.append(Quantity(value, "money", m.start(), m.end(), m[0], cur, True,
                            hedge_before(sentence, m.start())))
    for n in find_numbers(sentence):
        if any(q.start <= n.start < q.end for q in out):
            continue
        if _VALUE_CUE_RE.search(sentence[max(0, n.start - 60) : n.start]):
            out.append(Quantity(n.value, "money", n.start, n.end, n.text, "", True, n.hedge))
    return sorted(out, key=lambda q: q.start)


def _money_value(amount: str) -> float | None:
    """Return the value of a money amount such as "1.6 M" or "20,000 crore"."""
    m = re.fullmatch(r"(.*?)\s*([MBK]|m|b|k)", amount)
    if m and re.fullmatch(r"[\d.,]+", m[1]):
        factor = {"m": 1e6, "b": 1e9, "k": 1e3}[m[2].lower()]
        base = parse_number(m[1])
        return None if base is None else base * factor
    return parse_number(amount)


def _modifiers_ok(words: str) -> bool:
    """Return True when words between a number and its unit can be modifiers ("Captagon")."""
    for word in words.split():
        low = word.lower()
        if low in _MODIFIER_STOP or low.endswith(("ing", "ly")) and low not in ("ecstasy",):
            return False
        if _UNIT_RE.fullmatch(" " + word) and unit_of(word) is not None:
            return False
    return True


def find_quantities(sentence: str, *, include_money: bool = False) -> list[Quantity]:
    """Return the drug amounts in ``sentence`` in order; money too when ``include_money``.

    >>> [(q.value, q.unit) for q in find_quantities("It held 565,000 Captagon pills.")]
    [(565000.0, 'pill')]
    """
    money = find_money(sentence)
    has_substance: bool | None = None
    out: list[Quantity] = []
    for n in find_numbers(sentence):
        if any(q.start <= n.start < q.end for q in money):
            continue
        after = sentence[n.end :]
        if _AGE_AFTER_RE.match(after) or _AGE_BEFORE_RE.search(sentence[: n.start]):
            continue
        found = _unit_after(sentence, n.end)
        if found is None:
            continue
        raw, unit, factor, end = found
        if re.fullmatch(_CONTEXT_UNIT_RE, raw, re.IGNORECASE):
            if has_substance is None:
                has_substance = bool(find_substances(sentence))
            if not has_substance:
                continue
        out.append(Quantity(
            value=round(n.value * factor, 9), unit=unit, start=n.start, end=end,
            text=sentence[n.start : end], raw_unit=raw, hedge=n.hedge,
            each=_is_each(sentence, n.start, end),
            parenthetical=bool(_PAREN_BEFORE_RE.search(sentence[max(0, n.start - 30) : n.start])),
        ))
    for m in _ONE_UNIT_RE.finditer(sentence):
        if any(q.start <= m.start() < q.end for q in out):
            continue
        unit, factor = unit_of(m["unit"]) or ("kg", 1.0)
        end = m.end("unit")
        out.append(Quantity(factor, unit, m.start(), end, sentence[m.start() : end], m["unit"],
                            hedge=hedge_before(sentence, m.start()),
                            each=_is_each(sentence, m.start(), end)))
    out = _merge_compound(sentence, sorted(out, key=lambda q: q.start))
    totals = []
    for i, each in enumerate(out):
        containers = [q for q in out[:i] if q.unit == "unit" and not q.each]
        if each.each and containers:
            totals.append(combine_each(containers[-1], each, sentence))
    out.extend(totals)
    if include_money:
        out.extend(money)
    return sorted(out, key=lambda q: (q.start, q.derived))


def _merge_compound(sentence: str, found: list[Quantity]) -> list[Quantity]:
    """Return ``found`` with "1 kg 200 grams" / "2 kg and 50 g" merged into one amount."""
    out: list[Quantity] = []
    for q in found:
        prev = out[-1] if out else None
        if (prev is not None and prev.unit == q.unit == "kg" and prev.value >= 1
                and unit_of(prev.raw_unit) == ("kg", 1.0) and unit_of(q.raw_unit) == ("kg", 1e-3)
                and q.value < 1 and re.fullmatch(r"\s*(?:and\s+)?", sentence[prev.end : q.start])):
            out[-1] = Quantity(round(prev.value + q.value, 9), "kg", prev.start, q.end,
                               sentence[prev.start : q.end], prev.raw_unit, hedge=prev.hedge,
                               each=prev.each, parenthetical=prev.parenthetical)
            continue
        out.append(q)
    return out


def combine_each(container: Quantity, each: Quantity, text: str | None = None) -> Quantity:
    """Return the total of ``container`` items holding ``each`` amount each.

    "25 sacks, each holding 200,000 pills" gives 5,000,000 pills. ``text`` is the sentence both
    come from (for the evidence span); across sentences the two texts are joined.
    """
    start, end = min(container.start, each.start), max(container.end, each.end)
    span = text[start:end] if text is not None else f"{container.text} ... {each.text}"
    return Quantity(round(container.value * each.value, 9), each.unit, start, end, span,
                    each.raw_unit, hedge=each.hedge or container.hedge, derived=True)


def _unit_after(sentence: str, pos: int) -> tuple[str, str, float, int] | None:
    """Return (raw unit, unit, factor, end) of the unit that follows a number at ``pos``."""
    m = _UNIT_RE.match(sentence, pos)
    if m is not None:
        converted = unit_of(m["unit"])
        if converted is not None:
            return m["unit"], *converted, m.end()
    # "565,000 Captagon pills", "1,400 yellow plastic packets": modifiers, then a count unit
    for mods_re in _MODIFIERS_RE:
        mods = mods_re.match(sentence, pos)
        if mods is None or not _modifiers_ok(mods[0]):
            break
        unit_match = _UNIT_RE.match(sentence, mods.end())
        if unit_match is not None:
            converted = unit_of(unit_match["unit"])
            if converted is not None and converted[0] in ("pill", "plant", "unit"):
                return unit_match["unit"], *converted, unit_match.end()
    # "30,000 yaba": a count of a drug sold as pills, with no unit written
    m = _PILL_COUNT_RE.match(sentence, pos)
    if m is not None and _modifiers_ok(sentence[pos : m.start("drug")]):
        rest = sentence[m.end() :]
        if not _UNIT_RE.match(rest) or unit_of(_UNIT_RE.match(rest)["unit"]) is None:
            return m["drug"], "pill", 1.0, m.end()
    return None


def _is_each(sentence: str, start: int, end: int) -> bool:
    """Return True when the amount is per container: "each holding ...", "... each"."""
    return bool(_EACH_BEFORE_RE.search(sentence[max(0, start - 40) : start])
                or _EACH_AFTER_RE.match(sentence, end))
