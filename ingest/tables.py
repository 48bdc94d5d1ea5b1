"""Tables of seizures (CSV rows) → operations, mapped field by field without text extraction.

Rows of one source that share date, country and place form one operation (one raid often
seizes several substances); each row adds one seizure.
"""

from __future__ import annotations

from datetime import date

from narcograph.errors import ReadError
from narcograph.ingest import facts
from narcograph.ingest.report import Report


def _country(value: str, where: str) -> facts.Place:
    from narcograph.ingest.gazetteer import country_by_name, country_info, country_to_fact

    info = country_info(value) if len(value) == 2 else None
    info = info or country_by_name(value)
    if info is None:
        raise ReadError(f"column 'country': unknown country {value!r}", where)
    return country_to_fact(info)


def _place(value: str, country: str | None) -> facts.Place:
    from narcograph.ingest.gazetteer import Gazetteer, place_to_fact

    candidates = Gazetteer.default().place_candidates(value, country)
    if candidates and (country is None or candidates[0].country == country):
        return place_to_fact(candidates[0])
    # places missing from the gazetteer keep a local IRI
    return facts.Place(value, "place", country)


def _agency(value: str, country: str | None) -> facts.Agency:
    from narcograph.ingest.gazetteer import Gazetteer

    entry = Gazetteer.default().agency(value)
    if entry is not None:
        return facts.Agency(entry.label, entry.country, entry.wikidata, entry.acronyms[0] if entry.acronyms else None)
    return facts.Agency(value, country)


def _substance(value: str, where: str) -> str:
    from narcograph.ingest.extract.substances import find_substances

    found = find_substances(value)
    if not found:
        raise ReadError(f"column 'substance': unknown substance {value!r}", where)
    return found[0].key


def _quantity(row: dict[str, str], where: str) -> tuple[float | None, str | None]:
    from narcograph.ingest.extract.quantities import find_quantities

    amount = (row.get("quantity") or "").strip()
    unit = (row.get("unit") or "").strip()
    if not amount:
        return None, None
    if not unit:
        raise ReadError("column 'unit': a quantity needs a unit (kg, g, t, l, pills, plants, units...)", where)
    found = [q for q in find_quantities(f"{amount} {unit}") if not q.is_money]
    if not found:
        raise ReadError(f"column 'unit': unknown unit {unit!r}", where)
    return found[0].value, found[0].unit


def operations_from_records(report: Report) -> list[facts.Operation]:
    """Return the operations of a table report; raises ReadError naming the row and column."""
    groups: dict[tuple, facts.Operation] = {}
    for row in report.records:
        where = f"{report.origin.split(':')[0]}:{row.get('_row', '?')}"
        key = (row.get("date"), row.get("country"), row.get("place"), row.get("agency"))
        op = groups.get(key)
        if op is None:
            op = facts.Operation()
            if row.get("date"):
                op.date = date.fromisoformat(row["date"])
            country = _country(row["country"], where) if row.get("country") else None
            if country:
                op.places.append(country)
            iso = country.country if country else None
            if row.get("place"):
                op.places.append(_place(row["place"], iso))
            if row.get("agency"):
                op.agencies.append(_agency(row["agency"], iso))
            groups[key] = op
        substance = _substance(row["substance"], where)
        quantity, unit = _quantity(row, where)
        evidence = f"table row {row.get('_row', '?')}: " + ", ".join(
            f"{k}={v}" for k, v in row.items() if not k.startswith("_") and v
        )
        op.seizures.append(facts.Seizure(substance, quantity, unit, evidence))
        if row.get("arrests"):
            try:
                arrests = int(float(row["arrests"]))
            except ValueError:
                raise ReadError(f"column 'arrests': {row['arrests']!r} is not a number", where) from None
            op.arrests = (op.arrests or 0) + arrests
        op.evidence.append(evidence)
    return list(groups.values())
