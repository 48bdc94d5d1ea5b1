"""Wikidata IDs for the entities that have none: looked up online, reviewed by a person, applied.

The packaged gazetteer only carries IDs that were verified, so many places and agencies reach
the graph without a Wikidata ID. This module is the verification pass that closes the gap, in
three steps a person stays in charge of:

1. :func:`find_candidates` asks a Wikidata SPARQL endpoint (the public one, a mirror, or a
   stand-in) for items that may be each entity used by an operation and lacking a Wikidata ID:
   places and countries by their GeoNames ID (Wikidata's P1566, an ID-to-ID match), agencies by
   English label or alias, preferring items of the agency's country (P17), substances by label.
2. :func:`write_review` writes the candidates to a TSV file. A person reads each row (the item's
   label and description are there) and marks ``accept`` as ``yes`` or ``no``. Only a single
   GeoNames match is marked ``yes`` in advance; label matches are left blank.
3. :func:`read_review` and :func:`apply_review` turn the accepted rows into ``skos:exactMatch``
   links in :data:`IDENTIFIERS_GRAPH`, merged with what was accepted before, in one transaction.
   A row marked ``no`` withdraws a link accepted earlier. The graph survives re-ingesting reports
   (it is not a report graph); ``narcograph export`` carries its links with the entities.

Nothing here runs at ingest time, and nothing reaches the network unless a user asks for it.

>>> from narcograph.store import GraphStore
>>> apply_review(GraphStore(None), []).total
0
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from narcograph import __version__
from narcograph.errors import NarcographError
from narcograph.link import DATASETS, IDENTIFIERS_GRAPH, entity_countries, entity_labels, entity_uses, pairs
from narcograph.ontology import WD
from narcograph.store import GraphStore

__all__ = [
    "IDENTIFIERS_GRAPH",
    "Candidate",
    "IdentifyError",
    "Review",
    "apply_review",
    "entities_without_wikidata",
    "find_candidates",
    "read_review",
    "write_review",
]

COLUMNS = ("accept", "kind", "entity", "label", "country", "wikidata", "wikidata_label", "description", "method")
KIND_OF = {"countries": "country", "places": "place", "substances": "substance", "agencies": "agency"}
BATCH = 50  # keys per request: small enough for the public endpoint's time limit
MAX_LABEL_CANDIDATES = 5
_QID = re.compile(r"^Q[1-9][0-9]*$")
_WIKIDATA = str(WD)
_GEONAMES = dict(DATASETS)["GeoNames"]
_ACCEPT = {"yes": True, "y": True, "x": True, "no": False, "n": False, "": None}
_QUERY_PREFIXES = """PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
"""


class IdentifyError(NarcographError):
    """The endpoint could not be asked, or a review file is malformed."""


@dataclass(frozen=True)
class Entity:
    """An entity used by operations that has no Wikidata ID yet."""

    iri: str
    kind: str  # country, place, substance or agency
    label: str
    country: str | None = None  # ISO 3166-1 code of its country
    country_qid: str | None = None
    geonames: str | None = None


@dataclass(frozen=True)
class Candidate:
    """A Wikidata item that may be ``entity``; ``accept`` is None until a person decides."""

    entity: Entity
    qid: str
    item_label: str = ""
    description: str = ""
    method: str = "label"  # geonames, label+country or label
    accept: bool | None = None


@dataclass(frozen=True)
class Review:
    """One decided row of a review file."""

    entity: str
    qid: str
    accept: bool
    line: int = 0


@dataclass
class Applied:
    """What :func:`apply_review` changed."""

    added: int = 0
    withdrawn: int = 0
    total: int = 0  # links in the graph afterwards
    unknown: int = 0  # accepted rows about entities this store does not describe (kept)


# --------------------------------------------------------------------------- what to look up


def entities_without_wikidata(store: GraphStore) -> list[Entity]:
    """Return the countries, places, agencies and substances used by operations that carry no
    ``skos:exactMatch`` to Wikidata, sorted by kind and label."""
    wikidata: dict[str, str] = {}
    geonames: dict[str, str] = {}
    for entity, match in pairs(store, "?s skos:exactMatch ?o"):
        if match.startswith(_WIKIDATA):
            wikidata[entity] = match[len(_WIKIDATA) :]
        elif match.startswith(_GEONAMES):
            geonames[entity] = match[len(_GEONAMES) :].strip("/")
    labels = entity_labels(store, "FILTER (LANG(?o) IN ('', 'en'))")
    iso = dict(pairs(store, "?s ng:isoCode ?o"))
    home = entity_countries(store)
    out: set[Entity] = set()
    for kind_plural, uses in entity_uses(store).items():
        for _, iri in uses:
            if iri in wikidata or iri not in labels:
                continue
            country = iri if kind_plural == "countries" else home.get(iri)
            out.add(
                Entity(
                    iri=iri,
                    kind=KIND_OF[kind_plural],
                    label=labels[iri],
                    country=iso.get(country) if country else None,
                    country_qid=wikidata.get(country) if country else None,
                    geonames=geonames.get(iri),
                )
            )
    return sorted(out, key=lambda e: (e.kind, e.label.lower(), e.iri))


# --------------------------------------------------------------------------- asking the endpoint


def _literal(text: str, lang: str | None = None) -> str:
    return str(ox.Literal(text, language=lang)) if lang else str(ox.Literal(text))


def geonames_query(ids: Iterable[str]) -> str:
    """The SELECT of the items with one of these GeoNames IDs (Wikidata's P1566)."""
    values = " ".join(_literal(i) for i in ids)
    return (
        _QUERY_PREFIXES
        + "SELECT ?key ?item ?itemLabel ?description WHERE {\n"
        + f"  VALUES ?key {{ {values} }}\n"
        + "  ?item wdt:P1566 ?key .\n"
        + '  OPTIONAL { ?item rdfs:label ?itemLabel FILTER (LANG(?itemLabel) = "en") }\n'
        + '  OPTIONAL { ?item schema:description ?description FILTER (LANG(?description) = "en") }\n'
        + "}"
    )


def label_query(labels: Iterable[str]) -> str:
    """The SELECT of the items whose English label or alias is one of ``labels``, with their
    country (P17) when they have one."""
    values = " ".join(_literal(label, "en") for label in labels)
    return (
        _QUERY_PREFIXES
        + "SELECT ?key ?item ?itemLabel ?description ?country WHERE {\n"
        + f"  VALUES ?key {{ {values} }}\n"
        + "  ?item rdfs:label|skos:altLabel ?key .\n"
        + "  OPTIONAL { ?item wdt:P17 ?country }\n"
        + '  OPTIONAL { ?item rdfs:label ?itemLabel FILTER (LANG(?itemLabel) = "en") }\n'
        + '  OPTIONAL { ?item schema:description ?description FILTER (LANG(?description) = "en") }\n'
        + "}"
    )


def select(endpoint: str, query: str, *, timeout: float = 60.0) -> list[dict[str, str]]:
    """POST ``query`` to ``endpoint``; return its solutions as {variable: value}.

    Raises IdentifyError when the endpoint cannot be reached, answers with an error status, or
    answers something other than SPARQL JSON results.
    """
    request = urllib.request.Request(
        endpoint,
        data=urllib.parse.urlencode({"query": query}).encode("utf-8"),
        headers={
            "Accept": "application/sparql-results+json",
            "Content-Type": "application/x-www-form-urlencoded",
            # the public endpoint asks clients to say who they are
            "User-Agent": f"narcograph/{__version__} (https://w3id.org/narcograph)",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (the user's endpoint)
            body = response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read(300).decode("utf-8", "replace").strip().splitlines()
        raise IdentifyError(
            f"{endpoint} answered {exc.code} {exc.reason}" + (f": {detail[0]}" if detail else "")
        ) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise IdentifyError(f"could not reach {endpoint}: {reason}") from exc
    try:
        data = json.loads(body)
        return [{name: cell["value"] for name, cell in row.items()} for row in data["results"]["bindings"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise IdentifyError(f"{endpoint} did not answer with SPARQL JSON results ({exc})") from exc


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _qid(iri: str) -> str | None:
    qid = iri[len(_WIKIDATA) :] if iri.startswith(_WIKIDATA) else ""
    return qid if _QID.match(qid) else None


def find_candidates(
    entities: Sequence[Entity], endpoint: str, *, timeout: float = 60.0
) -> tuple[list[Candidate], list[tuple[Entity, str]]]:
    """Ask ``endpoint`` for the items that may be each entity.

    Returns ``(candidates, skipped)``: candidates sorted by kind, label and QID; skipped lists the
    entities not looked up, with why (an agency without a country has too many namesakes).
    Raises IdentifyError when the endpoint fails (nothing is returned then).
    """
    by_geonames: dict[str, list[Entity]] = defaultdict(list)
    by_label: dict[str, list[Entity]] = defaultdict(list)
    skipped: list[tuple[Entity, str]] = []
    for e in entities:
        if e.geonames:
            by_geonames[e.geonames].append(e)
        elif e.kind == "agency" and not e.country_qid:
            skipped.append((e, "an agency without a country: too many namesakes to choose from"))
        elif e.kind in ("agency", "place", "substance"):
            by_label[e.label].append(e)
        else:
            skipped.append((e, "a country without a GeoNames ID"))

    found: dict[Entity, dict[str, Candidate]] = defaultdict(dict)
    for keys in _chunks(sorted(by_geonames), BATCH):
        rows = select(endpoint, geonames_query(keys), timeout=timeout)
        for row in rows:
            qid = _qid(row.get("item", ""))
            for e in by_geonames.get(row.get("key", ""), []):
                if qid:
                    found[e][qid] = Candidate(e, qid, row.get("itemLabel", ""), row.get("description", ""), "geonames")
    for keys in _chunks(sorted(by_label), BATCH):
        rows = select(endpoint, label_query(keys), timeout=timeout)
        for row in rows:
            qid = _qid(row.get("item", ""))
            if not qid:
                continue
            for e in by_label.get(row.get("key", ""), []):
                same_country = e.country_qid is not None and row.get("country") == _WIKIDATA + e.country_qid
                method = "label+country" if same_country else "label"
                if found[e].get(qid, Candidate(e, qid)).method != "label+country":
                    found[e][qid] = Candidate(e, qid, row.get("itemLabel", ""), row.get("description", ""), method)

    out: list[Candidate] = []
    for e, items in found.items():
        candidates = sorted(items.values(), key=lambda c: int(c.qid[1:]))
        if e.kind in ("agency", "place"):
            # a namesake in another country (or of no country) is not the same agency or place
            candidates = [c for c in candidates if c.method != "label"]
        candidates = candidates[:MAX_LABEL_CANDIDATES]
        if len(candidates) == 1 and candidates[0].method == "geonames":
            # one item carrying exactly this GeoNames ID: an ID-to-ID match
            only = candidates[0]
            candidates = [Candidate(e, only.qid, only.item_label, only.description, "geonames", True)]
        out.extend(candidates)
    out.sort(key=lambda c: (c.entity.kind, c.entity.label.lower(), c.entity.iri, int(c.qid[1:])))
    return out, skipped


# --------------------------------------------------------------------------- the review file

_HEADER_NOTE = (
    "# narcograph: candidate Wikidata IDs to review. Set accept to yes for a row whose item is the\n"
    "# entity, no for one that is not (or to withdraw a link accepted before), and leave it blank\n"
    "# when unsure; then run: narcograph link --accept THIS_FILE. Only rows marked yes become links.\n"
)


def write_review(path: str | Path, candidates: Iterable[Candidate]) -> int:
    """Write ``candidates`` as a review TSV at ``path``; return the number of rows."""
    buffer = io.StringIO()
    buffer.write(_HEADER_NOTE)
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    n = 0
    for c in candidates:
        accept = "" if c.accept is None else ("yes" if c.accept else "no")
        e = c.entity
        writer.writerow(
            [accept, e.kind, e.iri, e.label, e.country or "", c.qid, c.item_label, c.description, c.method]
        )
        n += 1
    Path(path).write_text(buffer.getvalue(), encoding="utf-8")
    return n


def read_review(path: str | Path) -> list[Review]:
    """Return the decided rows (accept yes or no) of a review file.

    Raises IdentifyError naming the line of every malformed row (an unknown accept value, a
    Wikidata ID not of the form Q123, an entity that is not an absolute IRI, a missing column),
    or when the file cannot be read; a file with errors is rejected whole.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise IdentifyError(f"{path}: cannot read the review file ({exc})") from exc
    numbered = enumerate(text.splitlines(), start=1)
    lines = [(n, line) for n, line in numbered if line.strip() and not line.startswith("#")]
    if not lines:
        raise IdentifyError(f"{path}: no header row; expected the columns {', '.join(COLUMNS)}")
    header_line, header = lines[0]
    columns = next(csv.reader([header], delimiter="\t"))
    missing = [c for c in ("accept", "entity", "wikidata") if c not in columns]
    if missing:
        raise IdentifyError(f"{path}:{header_line}: the header lacks the column(s) {', '.join(missing)}")
    at = {name: columns.index(name) for name in ("accept", "entity", "wikidata")}
    rows: list[Review] = []
    problems: list[str] = []
    for n, line in lines[1:]:
        cells = next(csv.reader([line], delimiter="\t"))
        if len(cells) <= max(at.values()):
            problems.append(f"{path}:{n}: {len(cells)} column(s), expected {len(columns)}")
            continue
        accept_text = cells[at["accept"]].strip().lower()
        entity, qid = cells[at["entity"]].strip(), cells[at["wikidata"]].strip()
        if accept_text not in _ACCEPT:
            problems.append(f"{path}:{n}: accept is {cells[at['accept']]!r}; write yes, no or leave it blank")
            continue
        accept = _ACCEPT[accept_text]
        if accept is None:
            continue
        if qid.startswith(_WIKIDATA):
            qid = qid[len(_WIKIDATA) :]
        if not _QID.match(qid):
            problems.append(f"{path}:{n}: {qid!r} is not a Wikidata ID (write it as Q123)")
            continue
        try:
            ox.NamedNode(entity)
            if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", entity):
                raise ValueError("relative IRI")
        except ValueError:
            problems.append(f"{path}:{n}: the entity {entity!r} is not an absolute IRI")
            continue
        rows.append(Review(entity, qid, accept, n))
    if problems:
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise IdentifyError("the review file has errors, nothing was applied:\n  " + "\n  ".join(problems[:10]) + more)
    return rows


# --------------------------------------------------------------------------- applying it


def accepted_links(store: GraphStore) -> set[tuple[str, str]]:
    """The (entity IRI, QID) links in :data:`IDENTIFIERS_GRAPH`."""
    graph = ox.NamedNode(IDENTIFIERS_GRAPH)
    match = ox.NamedNode(str(SKOS.exactMatch))
    return {
        (q.subject.value, q.object.value[len(_WIKIDATA) :])
        for q in store.ox.quads_for_pattern(None, match, None, graph)
        if isinstance(q.subject, ox.NamedNode)
        and isinstance(q.object, ox.NamedNode)
        and q.object.value.startswith(_WIKIDATA)
    }


def apply_review(store: GraphStore, rows: Iterable[Review], *, today: dt.date | None = None) -> Applied:
    """Merge the decided rows into :data:`IDENTIFIERS_GRAPH`: ``yes`` adds a link, ``no``
    removes one accepted before. The graph is replaced in one transaction, and only when it
    changes. Returns what changed. Raises StoreError when the store cannot be written."""
    before = accepted_links(store)
    after = set(before)
    for row in rows:
        if row.accept:
            after.add((row.entity, row.qid))
        else:
            after.discard((row.entity, row.qid))
    entities = {e for e, _ in after}
    # only the entities the links are about are looked up, not every typed node of the store
    typed = ox.NamedNode(str(RDF.type))
    known = {e for e in entities if next(store.ox.quads_for_pattern(ox.NamedNode(e), typed, None), None) is not None}
    result = Applied(
        added=len(after - before),
        withdrawn=len(before - after),
        total=len(after),
        unknown=len(entities - known),
    )
    if after == before:
        return result
    if not after:
        store.drop_graph(IDENTIFIERS_GRAPH)
    else:
        graph = Graph()
        graph.bind("skos", str(SKOS))
        graph.bind("wd", _WIKIDATA)
        for entity, qid in sorted(after):
            graph.add((URIRef(entity), SKOS.exactMatch, WD[qid]))
        node = URIRef(IDENTIFIERS_GRAPH)
        graph.add((node, DCTERMS.modified, Literal(today or dt.date.today())))
        graph.add((node, DCTERMS.description, Literal("Wikidata IDs accepted by review (narcograph link --accept)")))
        store.replace_graph(IDENTIFIERS_GRAPH, graph)
    store.flush()
    return result
