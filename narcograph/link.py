"""Linking: places to the gazetteer, operations to each other, coverage of external IDs, federation.

Four small jobs that share one idea, "the same thing is one thing":

- :func:`resolve_place` (at ingest, offline): a place that extraction found by grammar only
  ("Baalbeck", "Darayem district") becomes the gazetteer's entry of the same name, or of a name one
  letter away, in the same country, so that it gets the GeoNames IRI, coordinates and ID that
  other reports naming it properly get.
- :func:`link_operations` (after ingest): operations of different reports that describe the same
  real operation are linked with ``ng:sameOperationAs``, and each group gets one
  ``ng:canonicalOperation``, in the graph :data:`LINKS_GRAPH`, replaced on every run. Aggregating
  named queries count each group once, through its canonical operation.
- :func:`coverage`: the share of countries, places, substances and agencies used by operations
  that carry an external ID (``skos:exactMatch`` to Wikidata, GeoNames or ChEBI).
- :func:`with_service_endpoint`: federated named queries ask Wikidata at :data:`WIKIDATA_SPARQL`;
  this points them at a mirror or a local stand-in instead.

>>> from narcograph.store import GraphStore
>>> store = GraphStore(None)
>>> link_operations(store).clusters
[]
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from narcograph.errors import QueryError
from narcograph.ingest.facts import Place
from narcograph.ingest.gazetteer import Gazetteer, normalize, place_to_fact
from narcograph.ontology import NG
from narcograph.resources import read_text
from narcograph.store import GraphStore

__all__ = [
    "LINKS_GRAPH",
    "WIKIDATA_SPARQL",
    "Cluster",
    "Linking",
    "OperationFacts",
    "coverage",
    "link_operations",
    "resolve_place",
    "with_service_endpoint",
]

LINKS_GRAPH = "https://w3id.org/narcograph/graph/links"
WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"

_PREFIXES = """PREFIX ng: <https://w3id.org/narcograph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

# --------------------------------------------------------------------------- places

# a type word after the name ("Kisauni Sub-County", "Ghazni area") is not part of the name
_TYPE_WORD = re.compile(
    r"\s+(?:sub county|county|district|province|governorate|region|area|town|village|city|municipality)$"
)
_FUZZY_KINDS = frozenset({"city", "admin1", "admin2"})
_FUZZY_MIN_LENGTH = 6


def _within_one_edit(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by at most one insertion, deletion or substitution."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + 1 :] == b[i + 1 :] if len(a) == len(b) else a[i:] == b[i + 1 :]


@lru_cache(maxsize=1)
def _names_by_country() -> dict[str, tuple[tuple[str, int], ...]]:
    """Country -> (folded name, row index in places.tsv) of its GeoNames cities and areas."""
    out: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for index, line in enumerate(read_text("ingest", "data/places.tsv").splitlines()[1:]):
        row = line.split("\t")
        if row[1] in _FUZZY_KINDS and row[5]:
            for name in {row[2], *(a for a in row[11].split("|") if a)}:
                # the build writes aliases in ASCII: only labels with diacritics need folding
                key = name.replace("-", " ").lower() if name.isascii() else normalize(name)
                out[row[3]].append((key, index))
    return {country: tuple(names) for country, names in out.items()}


def resolve_place(place: Place, gazetteer: Gazetteer | None = None) -> Place:
    """Return the gazetteer's version of a place that has no GeoNames ID, or ``place`` itself.

    Only places in a known country are resolved, and only to an entry of that country: first one
    with the same name (a trailing type word such as "district" or "area" dropped), else the one
    GeoNames city or area whose name or alternate name is a single letter away ("Baalbeck" ->
    Baalbek; names of six letters or more, same first letter, exactly one such entry). The
    report's own wording is kept as ``mention``.

    >>> resolve_place(Place("Baalbeck", "place", "LB")).geonames
    '277130'
    >>> resolve_place(Place("Chori", "place", "AF")).geonames is None
    True
    """
    if place.kind == "country" or place.geonames or not place.country:
        return place
    g = gazetteer or Gazetteer.default()
    country = place.country.upper()
    mention = place.mention or place.label
    key = normalize(place.label)
    keys = [key]
    bare = _TYPE_WORD.sub("", key)
    if bare != key and bare:
        keys.append(bare)
    for name in keys:
        same = [e for e in g.place_candidates(name, country) if e.country == country]
        if same:
            return replace(place_to_fact(same[0]), mention=mention)
    for name in keys:
        if len(name) < _FUZZY_MIN_LENGTH:
            continue
        near = {
            index
            for other, index in _names_by_country().get(country, ())
            if other[:1] == name[:1] and _within_one_edit(name, other)
        }
        if len(near) == 1:
            return replace(place_to_fact(g.place(near.pop())), mention=mention)
    return place


# --------------------------------------------------------------------------- operations


@dataclass(frozen=True)
class OperationFacts:
    """What entity resolution compares of one operation (read back from the store)."""

    iri: str
    report: str
    source: str
    date: date | None = None
    published: date | None = None
    arrests: int | None = None
    countries: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    agencies: frozenset[str] = frozenset()
    persons: frozenset[str] = frozenset()
    # (substance key, unit code, quantity or None)
    seizures: tuple[tuple[str, str, float | None], ...] = ()

    @property
    def day(self) -> date | None:
        """The operation's date, else its report's publication date."""
        return self.date or self.published

    def richness(self) -> tuple[int, ...]:
        """How much the operation says; the richest member of a group is its canonical one."""
        quantified = sum(1 for s in self.seizures if s[2] is not None)
        return (quantified, len(self.seizures), int(self.arrests is not None), len(self.persons),
                len(self.places), len(self.agencies), int(self.date is not None))


@dataclass(frozen=True)
class Link:
    """Two operations found to be the same, and why."""

    a: str
    b: str
    reasons: tuple[str, ...]
    score: float


@dataclass(frozen=True)
class Cluster:
    """Operations of different reports that are one real operation; ``canonical`` stands for them."""

    canonical: str
    members: tuple[str, ...]
    links: tuple[Link, ...]


@dataclass
class Linking:
    """The outcome of :func:`link_operations`."""

    operations: dict[str, OperationFacts] = field(default_factory=dict)
    clusters: list[Cluster] = field(default_factory=list)
    changed: bool = False

    @property
    def linked(self) -> int:
        """How many operations belong to a cluster."""
        return sum(len(c.members) for c in self.clusters)


def _rows(store: GraphStore, sparql: str) -> list[dict[str, str]]:
    """Run a SELECT; return each solution as {variable: lexical value}, unbound ones left out."""
    solutions = store.query(_PREFIXES + sparql)
    names = [v.value for v in solutions.variables]  # type: ignore[attr-defined]
    return [
        {name: term.value for name, term in zip(names, solution, strict=True) if term is not None}
        for solution in solutions  # type: ignore[attr-defined]
    ]


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def read_operations(store: GraphStore) -> dict[str, OperationFacts]:
    """Return what entity resolution needs of every operation in the store, by IRI."""
    base: dict[str, dict] = {}
    for r in _rows(store, """
        SELECT ?operation (SAMPLE(?r) AS ?report) (SAMPLE(?s) AS ?source) (SAMPLE(?d) AS ?date)
               (SAMPLE(?p) AS ?published) (SAMPLE(?a) AS ?arrests)
        WHERE { ?operation a ng:Operation ; ng:reportedIn ?r . ?r ng:source ?s .
                OPTIONAL { ?operation ng:date ?d } OPTIONAL { ?r ng:published ?p }
                OPTIONAL { ?operation ng:arrestCount ?a } }
        GROUP BY ?operation"""):
        base[r["operation"]] = {
            "iri": r["operation"], "report": r["report"], "source": r["source"],
            "date": _day(r.get("date")), "published": _day(r.get("published")),
            "arrests": int(r["arrests"]) if "arrests" in r else None,
        }
    sets: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for kind, pattern in (
        ("countries", "?operation ng:occurredIn/ng:inCountry? ?c . ?c a ng:Country ; ng:isoCode ?value"),
        ("places", "?operation ng:occurredIn ?value . FILTER NOT EXISTS { ?value a ng:Country }"),
        ("agencies", "?operation ng:conductedBy ?value"),
        ("persons", "?operation ng:arrested|ng:charged|ng:wanted ?value"),
    ):
        for r in _rows(store, f"SELECT DISTINCT ?operation ?value WHERE {{ {pattern} }}"):
            sets[r["operation"]][kind].add(r["value"])
    seizures: dict[str, list] = defaultdict(list)
    for r in _rows(store, """
        SELECT DISTINCT ?operation ?seizure ?value ?unit ?quantity WHERE {
          ?operation ng:seized ?seizure . ?seizure ng:substance ?value .
          OPTIONAL { ?seizure ng:unit/skos:notation ?unit } OPTIONAL { ?seizure ng:quantity ?quantity } }"""):
        key = r["value"].rsplit("/", 1)[-1]
        quantity = float(r["quantity"]) if "quantity" in r else None
        seizures[r["operation"]].append((key, r.get("unit", ""), quantity))
    return {
        iri: OperationFacts(
            **fields,
            countries=frozenset(sets[iri]["countries"]),
            places=frozenset(sets[iri]["places"]),
            agencies=frozenset(sets[iri]["agencies"]),
            persons=frozenset(sets[iri]["persons"]),
            seizures=tuple(sorted(seizures[iri], key=lambda s: (s[0], s[1], s[2] or 0.0))),
        )
        for iri, fields in base.items()
    }


def _close(x: float, y: float, tolerance: float) -> bool:
    return abs(x - y) <= tolerance * max(abs(x), abs(y))


def _amount(value: float) -> str:
    return f"{value:,.10g}"


def compare(a: OperationFacts, b: OperationFacts, *, days: int = 2, tolerance: float = 0.1) -> Link | None:
    """Return the link between two operations of different reports if they are the same, else None.

    They must share a country and be dated at most ``days`` apart (an undated operation counts
    from its report's publication date). Then any of these makes them one: a seizure of the same
    substance and unit whose amounts differ by at most ``tolerance`` (relative), the same named
    person, or identical facts (date, countries, places, agencies, arrests and seizures, not all
    empty). Two seizures of one substance and unit whose amounts disagree beyond the tolerance
    rule a pair out. Without a date on either side only persons or identical facts count.
    """
    if a.report == b.report or not (a.countries & b.countries):
        return None
    dated = a.day is not None and b.day is not None
    if dated and abs((a.day - b.day).days) > days:  # type: ignore[operator]
        return None
    reasons: list[str] = []
    score = 0.0
    # seizures: a match on any (substance, unit); a conflict when the same one disagrees
    quantified_a: dict[tuple[str, str], list[float]] = defaultdict(list)
    quantified_b: dict[tuple[str, str], list[float]] = defaultdict(list)
    for key, unit, q in a.seizures:
        if q is not None:
            quantified_a[(key, unit)].append(q)
    for key, unit, q in b.seizures:
        if q is not None:
            quantified_b[(key, unit)].append(q)
    for pair in sorted(quantified_a.keys() & quantified_b.keys()):
        hits = [(x, y) for x in quantified_a[pair] for y in quantified_b[pair] if _close(x, y, tolerance)]
        if not hits:
            return None
        x, y = hits[0]
        same = "" if x == y else f" ~ {_amount(y)}"
        reasons.append(f"same seizure: {pair[0]} {_amount(x)}{same} {pair[1]}".rstrip())
        score += 2.0 if x == y else 1.5
    shared = a.persons & b.persons
    if shared:
        names = ", ".join(sorted(p.rsplit("/", 1)[-1] for p in shared))
        reasons.append(f"same persons: {names}")
        score += 2.0 * len(shared)
    facts = lambda o: (o.day, o.countries, o.places, o.agencies, o.arrests, o.seizures)  # noqa: E731
    substantive = a.arrests is not None or a.seizures or a.places or a.agencies
    if facts(a) == facts(b) and substantive:
        reasons.append("identical facts")
        score += 3.0
    if not reasons:
        return None
    if not dated and not shared and "identical facts" not in reasons:
        return None
    if dated and a.day == b.day:
        score += 0.5
    x, y = sorted((a.iri, b.iri))
    return Link(x, y, tuple(reasons), score)


def find_links(operations: dict[str, OperationFacts], *, days: int = 2, tolerance: float = 0.1) -> list[Link]:
    """Return every pair of operations that :func:`compare` finds to be the same."""
    by_country: dict[str, list[OperationFacts]] = defaultdict(list)
    for op in operations.values():
        for country in op.countries:
            by_country[country].append(op)
    found: dict[tuple[str, str], Link] = {}

    def consider(a: OperationFacts, b: OperationFacts) -> None:
        pair = tuple(sorted((a.iri, b.iri)))
        if pair in found or a.report == b.report:
            return
        link = compare(a, b, days=days, tolerance=tolerance)
        if link is not None:
            found[pair] = link  # type: ignore[index]

    for group in by_country.values():
        dated = sorted((o for o in group if o.day), key=lambda o: (o.day, o.iri))
        for i, a in enumerate(dated):
            for b in dated[i + 1 :]:
                if (b.day - a.day).days > days:  # type: ignore[operator]
                    break
                consider(a, b)
        for a in (o for o in group if not o.day):
            for b in group:
                if b is not a:
                    consider(a, b)
    return sorted(found.values(), key=lambda link: (link.a, link.b))


def cluster(operations: dict[str, OperationFacts], links: Iterable[Link]) -> list[Cluster]:
    """Group linked operations; a group never holds two operations of the same report.

    Links are taken strongest first; one that would join two groups sharing a report is left
    out (two operations of one report are two operations, whatever they look like).
    """
    parent = {iri: iri for iri in operations}
    reports = {iri: {op.report} for iri, op in operations.items()}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    kept: list[Link] = []
    for link in sorted(links, key=lambda lk: (-lk.score, lk.a, lk.b)):
        ra, rb = root(link.a), root(link.b)
        if ra != rb:
            if reports[ra] & reports[rb]:
                continue
            ra, rb = sorted((ra, rb))
            parent[rb] = ra
            reports[ra] |= reports.pop(rb)
        kept.append(link)
    groups: dict[str, list[str]] = defaultdict(list)
    for iri in operations:
        groups[root(iri)].append(iri)
    out = []
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort()
        canonical = min(members, key=lambda m: (tuple(-x for x in operations[m].richness()), m))
        inside = set(members)
        out.append(Cluster(canonical, tuple(members),
                           tuple(sorted((lk for lk in kept if lk.a in inside), key=lambda lk: (lk.a, lk.b)))))
    return sorted(out, key=lambda c: c.canonical)


def links_graph(clusters: Iterable[Cluster]) -> Graph:
    """The graph :data:`LINKS_GRAPH`: ``ng:sameOperationAs`` (both ways) and ``ng:canonicalOperation``."""
    graph = Graph()
    graph.bind("ng", str(NG))
    for c in clusters:
        for m in c.members:
            graph.add((URIRef(m), NG.canonicalOperation, URIRef(c.canonical)))
            for other in c.members:
                if other != m:
                    graph.add((URIRef(m), NG.sameOperationAs, URIRef(other)))
    return graph


def _graph_hash(graph: Graph) -> str:
    lines = sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in graph)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def link_operations(store: GraphStore, *, days: int = 2, tolerance: float = 0.1) -> Linking:
    """Find the operations that several reports describe and record them in :data:`LINKS_GRAPH`.

    Reads every operation, groups the ones :func:`compare` finds to be the same, and replaces the
    graph ``LINKS_GRAPH`` in one transaction (or drops it when there is no group). Idempotent:
    when the groups are unchanged nothing is written (``changed`` is False). Raises StoreError
    when the store cannot be written.
    """
    operations = read_operations(store)
    clusters = cluster(operations, find_links(operations, days=days, tolerance=tolerance))
    result = Linking(operations, clusters)
    if not clusters:
        result.changed = store.drop_graph(LINKS_GRAPH)
    else:
        graph = links_graph(clusters)
        digest = _graph_hash(graph)
        if store.content_hash(LINKS_GRAPH) != digest:
            graph.add((URIRef(LINKS_GRAPH), NG.contentHash, Literal(digest)))
            store.replace_graph(LINKS_GRAPH, graph)
            result.changed = True
    if result.changed:
        store.flush()
    return result


# --------------------------------------------------------------------------- coverage

# kind -> the pattern that binds ?entity for every entity of that kind an operation uses
_USED = {
    "countries": "?operation (ng:occurredIn/ng:inCountry?)|ng:originCountry|ng:transitCountry"
                 "|ng:destinationCountry ?entity . ?entity a ng:Country",
    "places": "?operation ng:occurredIn ?entity . FILTER NOT EXISTS { ?entity a ng:Country }",
    "substances": "?operation ng:seized/ng:substance ?entity",
    "agencies": "?operation ng:conductedBy ?entity",
}
DATASETS = (("Wikidata", "http://www.wikidata.org/entity/"), ("GeoNames", "https://sws.geonames.org/"),
            ("ChEBI", "http://purl.obolibrary.org/obo/CHEBI_"))


def coverage(store: GraphStore) -> dict[str, dict]:
    """Return, per kind (countries, places, substances, agencies), how many of the entities that
    operations use carry an external ID (``skos:exactMatch`` to Wikidata, GeoNames or ChEBI).

    Each kind maps to ``{"total", "linked", "share", "uses", "linked_uses", "datasets":
    {dataset: count}, "close": count with only a skos:closeMatch, "unlinked": [labels]}``;
    ``uses`` counts (operation, entity) pairs, so an entity used often weighs more.
    """
    out: dict[str, dict] = {}
    for kind, pattern in _USED.items():
        text = f"""
        SELECT ?entity (COUNT(DISTINCT ?operation) AS ?uses) (SAMPLE(?l) AS ?label) (SAMPLE(?c) AS ?country)
               (GROUP_CONCAT(DISTINCT STR(?match); separator=" ") AS ?matches)
               (COUNT(DISTINCT ?close) AS ?closes)
        WHERE {{
          ?operation a ng:Operation . {pattern}
          OPTIONAL {{ ?entity rdfs:label|skos:prefLabel ?l FILTER (LANG(?l) = "en" || LANG(?l) = "") }}
          OPTIONAL {{ ?entity ng:inCountry|ng:country ?cn . ?cn ng:isoCode ?c }}
          OPTIONAL {{ ?entity skos:exactMatch ?match }}
          OPTIONAL {{ ?entity skos:closeMatch ?close }}
        }}
        GROUP BY ?entity ORDER BY ?entity"""
        stats = {"total": 0, "linked": 0, "uses": 0, "linked_uses": 0, "close": 0,
                 "datasets": {name: 0 for name, _ in DATASETS}, "unlinked": []}
        for s in store.query(_PREFIXES + text):  # type: ignore[attr-defined]
            matches = s["matches"].value.split() if s["matches"] is not None else []
            uses = int(s["uses"].value)
            found = [name for name, prefix in DATASETS if any(m.startswith(prefix) for m in matches)]
            stats["total"] += 1
            stats["uses"] += uses
            for name in found:
                stats["datasets"][name] += 1
            if found:
                stats["linked"] += 1
                stats["linked_uses"] += uses
                continue
            if int(s["closes"].value):
                stats["close"] += 1
            label = s["label"].value if s["label"] is not None else s["entity"].value
            country = s["country"].value if s["country"] is not None else None
            stats["unlinked"].append(f"{label} ({country})" if country and kind != "countries" else label)
        stats["share"] = stats["linked"] / stats["total"] if stats["total"] else 1.0
        stats["unlinked"].sort(key=str.lower)
        out[kind] = stats
    return out


# --------------------------------------------------------------------------- federation


def with_service_endpoint(sparql: str, endpoint: str | None) -> str:
    """Return ``sparql`` with every ``SERVICE`` call to Wikidata's endpoint sent to ``endpoint``.

    The federated named queries call :data:`WIKIDATA_SPARQL`; a mirror, or a local stand-in in
    tests, takes its place here. The endpoint must be an absolute IRI (QueryError otherwise); a
    server only runs the query if the endpoint is on its ``service_allowlist``.

    >>> with_service_endpoint("SELECT * { SERVICE SILENT <https://query.wikidata.org/sparql> {} }",
    ...                       "http://127.0.0.1:8890/sparql")
    'SELECT * { SERVICE SILENT <http://127.0.0.1:8890/sparql> {} }'
    """
    if not endpoint or endpoint == WIKIDATA_SPARQL:
        return sparql
    try:
        iri = ox.NamedNode(endpoint)
    except ValueError as exc:
        raise QueryError(f"not an endpoint IRI: {endpoint!r} ({exc})") from exc
    return sparql.replace(f"<{WIKIDATA_SPARQL}>", str(iri))
