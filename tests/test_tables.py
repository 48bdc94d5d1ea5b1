"""Tables of seizures mapped to operations without text extraction."""

from __future__ import annotations

from pathlib import Path

from narcograph.errors import ReadError
from narcograph.ingest.pipeline import FAILED, STORED, ingest_paths
from narcograph.ingest.readers import read_report_items
from narcograph.ingest.tables import operations_from_records


def _reports(path: Path):
    return [r for r in read_report_items(path) if not isinstance(r, ReadError)]


def test_rows_of_one_source_and_day_form_one_operation(examples):
    reports = _reports(examples / "seizures-table.csv")
    by_url = {r.url: operations_from_records(r) for r in reports}
    [spain] = by_url["https://example.org/table/2026/spain-algeciras"]
    assert sorted((s.substance, s.quantity, s.unit) for s in spain.seizures) == [
        ("cannabis", 1200.0, "plant"),
        ("hashish", 2500.0, "kg"),
    ]
    assert spain.arrests == 6
    assert spain.countries == ["ES"]
    assert spain.agencies[0].label == "Guardia Civil" or "Civil Guard" in spain.agencies[0].label


def test_unknown_substance_names_row_and_column(tmp_path, settings, store):
    table = tmp_path / "bad.csv"
    table.write_text(
        "date,country,substance,quantity,unit,source_url\n"
        "2026-01-02,PE,cocaine,10,kg,https://example.org/a\n"
        "2026-01-03,PE,moon dust,5,kg,https://example.org/b\n",
        encoding="utf-8",
    )
    summary = ingest_paths([table], settings, store)
    statuses = {o.origin: (o.status, o.message) for o in summary.outcomes}
    assert statuses[f"{table}:2"][0] == STORED
    status, message = statuses[f"{table}:3"]
    assert status == FAILED and "column 'substance'" in message and "moon dust" in message
    assert summary.exit_code == 1


def test_unknown_unit_is_rejected(tmp_path, settings, store):
    table = tmp_path / "unit.csv"
    table.write_text("date,country,substance,quantity,unit\n2026-01-02,PE,cocaine,10,bushels\n", encoding="utf-8")
    summary = ingest_paths([table], settings, store)
    [outcome] = summary.outcomes
    assert outcome.status == FAILED and "column 'unit'" in outcome.message
    assert len(store) == 0
