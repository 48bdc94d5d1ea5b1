"""TEMPORARY stub, replaced by the real gazetteer."""
from __future__ import annotations
from dataclasses import dataclass

@dataclass(frozen=True)
class CountryInfo:
    iso: str
    label: str
    geonames: str | None = None
    wikidata: str | None = None

_C = {"SY": CountryInfo("SY", "Syria", "163843", "Q858"), "IQ": CountryInfo("IQ", "Iraq", "99237", "Q796")}

def country_info(iso: str) -> CountryInfo | None:
    return _C.get(iso.upper())
