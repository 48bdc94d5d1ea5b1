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
  that carry an external ID (``skos:exactMatch`` to Wikidata, GeoNames, ChEBI or MeSH).
- :func:`with_service_endpoint`: federated named queries ask Wikidata at :data:`WIKIDATA_SPARQL`;
  this points them at a mirror or a local stand-in instead.

>>> from narcograph.store import GraphStore
>>> store = GraphStore(None)
>>> link_operations(store).clusters
[]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
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
    "IDENTIFIERS_GRAPH",
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
# Wikidata IDs accepted by review (narcograph.identify), kept apart from the report graphs
IDENTIFIERS_GRAPH = "https://w3id.org/narcograph/graph/identifiers"
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
    date: dt.date | None = None
    published: dt.date | None = None
    arrests: int | None = None
    countries: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    agencies: frozenset[str] = frozenset()
    persons: frozenset[str] = frozenset()
    # (substance key, unit code, quantity or None)
    seizures: tuple[tuple[str, str, float | None], ...] = ()

    @property
    def day(self) -> dt.date | None:
        """The operation's date, else its report's publication date."""
        return self.date or self.published

    def richness(self) -> tuple[int, ...]:
        """How much the operation says; the richest member of a group is its canonical one."""
        quantified = sum(1 for s in self.seizures if s[2] is not None)
        return (
            quantified,
            len(self.seizures),
            int(self.arrests is not None),
            len(self.persons),
            len(self.places),
            len(self.agencies),
            int(self.date is not None),
        )


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


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def pairs(store: GraphStore, pattern: str) -> list[tuple[str, str]]:
    """Distinct (?s, ?o) of a pattern of one triple.

    A query over the union of graphs sees a triple once per graph that holds it, and countries,
    places and agencies are described in every report graph that names them, so a join through
    them grows with the square of the number of reports. The joins therefore run in Python over
    distinct pairs, at the cost of one scan per property.
    """
    return [(r["s"], r["o"]) for r in _rows(store, f"SELECT DISTINCT ?s ?o WHERE {{ {pattern} }}") if "o" in r]


def _subjects(store: GraphStore, pattern: str) -> set[str]:
    """Distinct ?s of a pattern of one triple (see :func:`pairs`)."""
    return {r["s"] for r in _rows(store, f"SELECT DISTINCT ?s WHERE {{ {pattern} }}")}


def read_operations(store: GraphStore) -> dict[str, OperationFacts]:
    """Return what entity resolution needs of every operation in the store, by IRI."""
    report_of = dict(pairs(store, "?s ng:reportedIn ?o"))
    source = dict(pairs(store, "?s ng:source ?o"))
    published = {r: _day(d) for r, d in pairs(store, "?s ng:published ?o")}
    dates = {op: _day(d) for op, d in pairs(store, "?s ng:date ?o")}
    arrests = {op: int(n) for op, n in pairs(store, "?s ng:arrestCount ?o")}
    countries = _subjects(store, "?s a ng:Country")
    iso = {c: code for c, code in pairs(store, "?s ng:isoCode ?o") if c in countries}
    in_country = defaultdict(set)
    for place, country in pairs(store, "?s ng:inCountry ?o"):
        in_country[place].add(country)
    sets: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for op, place in pairs(store, "?s ng:occurredIn ?o"):
        if place in iso:
            sets[op]["countries"].add(iso[place])
        else:
            sets[op]["places"].add(place)
            sets[op]["countries"].update(iso[c] for c in in_country[place] if c in iso)
    for kind, prop in (("agencies", "ng:conductedBy"), ("persons", "ng:arrested|ng:charged|ng:wanted")):
        for op, value in pairs(store, f"?s {prop} ?o"):
            sets[op][kind].add(value)
    substance = dict(pairs(store, "?s ng:substance ?o"))
    quantity = {z: float(q) for z, q in pairs(store, "?s ng:quantity ?o")}
    notation = dict(pairs(store, "?s a ng:UnitOfMeasure ; skos:notation ?o"))
    unit = {z: notation.get(u, "") for z, u in pairs(store, "?s ng:unit ?o")}
    seizures: dict[str, list] = defaultdict(list)
    for op, z in pairs(store, "?s ng:seized ?o"):
        if z in substance:
            seizures[op].append((substance[z].rsplit("/", 1)[-1], unit.get(z, ""), quantity.get(z)))
    out = {}
    for op, report in report_of.items():
        out[op] = OperationFacts(
            op,
            report,
            source.get(report, report),
            date=dates.get(op),
            published=published.get(report),
            arrests=arrests.get(op),
            countries=frozenset(sets[op]["countries"]),
            places=frozenset(sets[op]["places"]),
            agencies=frozenset(sets[op]["agencies"]),
            persons=frozenset(sets[op]["persons"]),
            seizures=tuple(sorted(seizures[op], key=lambda s: (s[0], s[1], s[2] or 0.0))),
        )
    return out


def _close(x: float, y: float, tolerance: float) -> bool:
    return abs(x - y) <= tolerance * max(abs(x), abs(y))


def _amount(value: float) -> str:
    return f"{value:,.10g}"


def _signature(op: OperationFacts) -> tuple:
    """Everything an operation says but its IRI and report."""
    return (op.day, op.countries, op.places, op.agencies, op.persons, op.arrests, op.seizures)


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
    substantive = a.arrests is not None or a.seizures or a.places or a.agencies
    if _signature(a) == _signature(b) and substantive:
        reasons.append("identical facts")
        score += 3.0
    if not reasons:
        return None
    if not dated and not shared and "identical facts" not in reasons:
        return None
    if dated and a.day == b.day:
        score += 0.5
    first, second = sorted((a.iri, b.iri))
    return Link(first, second, tuple(reasons), score)


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
    # without a date only a shared person or identical facts can link: look those up directly
    # rather than compare every pair of the country
    by_person: dict[str, list[OperationFacts]] = defaultdict(list)
    by_signature: dict[tuple, list[OperationFacts]] = defaultdict(list)
    for op in operations.values():
        for person in op.persons:
            by_person[person].append(op)
        by_signature[_signature(op)].append(op)
    for a in operations.values():
        if a.day is None:
            for b in (*(b for p in a.persons for b in by_person[p]), *by_signature[_signature(a)]):
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
        out.append(
            Cluster(
                canonical,
                tuple(members),
                tuple(sorted((lk for lk in kept if lk.a in inside), key=lambda lk: (lk.a, lk.b))),
            )
        )
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

DATASETS = (
    ("Wikidata", "http://www.wikidata.org/entity/"),
    ("GeoNames", "https://sws.geonames.org/"),
    ("ChEBI", "http://purl.obolibrary.org/obo/CHEBI_"),
    ("MeSH", "http://id.nlm.nih.gov/mesh/"),
)
KINDS = ("countries", "places", "substances", "agencies")


def entity_uses(store: GraphStore) -> dict[str, set[tuple[str, str]]]:
    """Kind -> the (operation, entity) pairs of the entities operations use."""
    countries = _subjects(store, "?s a ng:Country")
    in_country = pairs(store, "?s ng:inCountry ?o")
    uses: dict[str, set[tuple[str, str]]] = {kind: set() for kind in KINDS}
    for op, place in pairs(store, "?s ng:occurredIn ?o"):
        uses["countries" if place in countries else "places"].add((op, place))
    parents = defaultdict(set)
    for place, country in in_country:
        parents[place].add(country)
    for op, place in list(uses["places"]):
        uses["countries"].update((op, c) for c in parents[place] if c in countries)
    for prop in ("ng:originCountry", "ng:transitCountry", "ng:destinationCountry"):
        uses["countries"].update(pairs(store, f"?s {prop} ?o"))
    seizure_substance = dict(pairs(store, "?s ng:substance ?o"))
    uses["substances"] = {
        (op, seizure_substance[z]) for op, z in pairs(store, "?s ng:seized ?o") if z in seizure_substance
    }
    uses["agencies"] = set(pairs(store, "?s ng:conductedBy ?o"))
    return uses


def entity_labels(store: GraphStore, pattern_filter: str = "") -> dict[str, str]:
    """Entity IRI -> its first label (rdfs:label or skos:prefLabel, in sorted order); ``pattern_filter``
    is a FILTER on ``?o`` (e.g. English and untagged labels only)."""
    labels: dict[str, str] = {}
    for entity, label in sorted(pairs(store, f"?s rdfs:label|skos:prefLabel ?o {pattern_filter}")):
        labels.setdefault(entity, label)
    return labels


def entity_countries(store: GraphStore) -> dict[str, str]:
    """Entity IRI -> the IRI of the country it lies in (places) or belongs to (agencies)."""
    return dict(sorted(pairs(store, "?s ng:inCountry|ng:country ?o")))


def coverage(store: GraphStore) -> dict[str, dict]:
    """Return, per kind (countries, places, substances, agencies), how many of the entities that
    operations use carry an external ID (``skos:exactMatch`` to Wikidata, GeoNames, ChEBI or MeSH).

    Each kind maps to ``{"total", "linked", "share", "uses", "linked_uses", "datasets":
    {dataset: count}, "close": count of the unlinked ones mapped by skos:closeMatch or
    skos:broadMatch to such an ID (Captagon to amphetamine-type stimulants), "mapped_share": share
    of entities linked or close, "unlinked": [labels], "close_labels": [labels]}``; ``uses``
    counts (operation, entity) pairs, so an entity used often weighs more.
    """
    exact: dict[str, set[str]] = defaultdict(set)
    for entity, match in pairs(store, "?s skos:exactMatch ?o"):
        exact[entity].add(match)
    close = {
        entity
        for entity, match in pairs(store, "?s skos:closeMatch|skos:broadMatch ?o")
        if any(match.startswith(prefix) for _, prefix in DATASETS)
    }
    labels = entity_labels(store)
    iso = dict(pairs(store, "?s ng:isoCode ?o"))
    home = {e: iso.get(c) for e, c in entity_countries(store).items()}
    out: dict[str, dict] = {}
    for kind, used in entity_uses(store).items():
        per_entity: dict[str, int] = defaultdict(int)
        for _, entity in used:
            per_entity[entity] += 1
        stats: dict = {
            "total": len(per_entity),
            "linked": 0,
            "uses": len(used),
            "linked_uses": 0,
            "close": 0,
            "datasets": {name: 0 for name, _ in DATASETS},
            "unlinked": [],
            "close_labels": [],
        }
        for entity, uses in per_entity.items():
            found = [name for name, prefix in DATASETS if any(m.startswith(prefix) for m in exact[entity])]
            for name in found:
                stats["datasets"][name] += 1
            if found:
                stats["linked"] += 1
                stats["linked_uses"] += uses
                continue
            label = labels.get(entity, entity)
            country = home.get(entity) if kind != "countries" else None
            named = f"{label} ({country})" if country else label
            if entity in close:
                stats["close"] += 1
                stats["close_labels"].append(named)
            else:
                stats["unlinked"].append(named)
        stats["share"] = stats["linked"] / stats["total"] if stats["total"] else 1.0
        stats["mapped_share"] = (stats["linked"] + stats["close"]) / stats["total"] if stats["total"] else 1.0
        stats["unlinked"].sort(key=str.lower)
        stats["close_labels"].sort(key=str.lower)
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
