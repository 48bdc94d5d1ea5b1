"""Plain values that extraction produces and the RDF builder consumes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

UNITS = ("kg", "l", "pill", "plant", "unit")


@dataclass(frozen=True)
class Place:
    """A place where something happened (country, subdivision, city, port, crossing...).

    ``kind`` is one of country, admin1, admin2, city, port, crossing, water, place.
    ``country`` is the ISO 3166-1 alpha-2 code of the country it lies in (itself for a country).
    """

    label: str
    kind: str
    country: str | None
    iso: str | None = None  # ISO 3166-1 / 3166-2 code when it has one
    geonames: str | None = None
    wikidata: str | None = None
    lat: float | None = None
    lon: float | None = None
    # how the report names it ("Chiang Khong" for GeoNames' "Amphoe Chiang Khong")
    mention: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Agency:
    """An agency under its canonical label; ``country`` is ISO alpha-2 when known.

    ``mention`` is how the report names it ("Turkish police" for the canonical "General
    Directorate of Security (Turkey)"); it does not take part in equality.
    """

    label: str
    country: str | None = None
    wikidata: str | None = None
    acronym: str | None = None
    mention: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Seizure:
    """One seized quantity. ``substance`` is a key of the substance scheme (e.g. ``captagon``)."""

    substance: str
    quantity: float | None
    unit: str | None
    evidence: str


@dataclass(frozen=True)
class Person:
    """A person arrested, charged or wanted (``role``), never an official quoted."""

    name: str
    role: str
    evidence: str


@dataclass
class Operation:
    """Everything extraction found about one operation in one report."""

    date: date | None = None
    date_is_announcement: bool = False
    places: list[Place] = field(default_factory=list)  # countries included
    agencies: list[Agency] = field(default_factory=list)
    seizures: list[Seizure] = field(default_factory=list)
    arrests: int | None = None
    persons: list[Person] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)  # ISO alpha-2
    transits: list[str] = field(default_factory=list)
    destinations: list[str] = field(default_factory=list)
    network: str | None = None
    evidence: list[str] = field(default_factory=list)  # the sentences it was built from

    @property
    def countries(self) -> list[str]:
        """ISO codes of the countries where it took place, in order of first mention."""
        seen: list[str] = []
        for place in self.places:
            if place.country and place.country not in seen:
                seen.append(place.country)
        return seen
