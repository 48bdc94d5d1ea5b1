"""Files for partners: Turtle, TriG, N-Triples, N-Quads or JSON-LD, deterministic and validated.

The same graph always gives the same bytes: report graphs are read one at a time (sorted),
their triples sorted in bounded memory (sorted runs on disk, merged), IRIs written with fixed
prefixes. A VoID/DCAT description opens the file; ``FILE.sha256`` is written beside it. Each
report's exported part is checked against the shapes before anything is written, and the file
appears (atomic rename) only when all of them conform.

>>> export(store, "delivery.ttl", country=["SY"], redact_persons=True, redaction_key="k")  # doctest: +SKIP
ExportResult(path=PosixPath('delivery.ttl'), ...)
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
import json
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any, Protocol

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from narcograph import __version__
from narcograph.config import DEFAULT_BASE
from narcograph.errors import ConfigError, NarcographError
from narcograph.ontology import NG, PREFIXES, SUBSTANCE
from narcograph.store import GraphStore

FORMATS = ("ttl", "trig", "nt", "nq", "jsonld")
QUAD_FORMATS = ("trig", "nq")
DEFAULT_LICENSE = "https://creativecommons.org/licenses/by/4.0/"

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCTERMS = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SKOS_EXACT_MATCH = SKOS + "exactMatch"

# how each report graph was made: exported only with ``with_provenance``
PROVENANCE_PREDICATES = frozenset(
    str(p) for p in (NG.sourceFile, NG.software, NG.contentHash, NG.ingestedAt)
)
# free text that can name a person: left out when persons are redacted
TEXT_PREDICATES = frozenset(
    {str(NG.evidence), DCTERMS + "title", DCTERMS + "description",
     "http://www.w3.org/2000/01/rdf-schema#comment", SKOS + "note"}
)
WITHHELD = "[sentence withheld: it names a person]"
_PARTICLES = {"al", "el", "bin", "ibn", "abu", "abd", "bint", "de", "la", "van", "von", "der"}
_CHUNK = 200_000  # lines sorted in memory before spilling a sorted run to disk
_PN_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")


class ExportError(NarcographError):
    """An export could not be written: bad options, or data that violates the shapes."""


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export` wrote. ``triples`` counts the data statements (quads in TriG and
    N-Quads, where a country described by two reports is in both graphs), not the description."""

    path: Path
    checksum_path: Path
    sha256: str
    format: str
    reports: int
    operations: int
    triples: int
    persons_redacted: int = 0
    literals_withheld: int = 0
    sources: tuple[str, ...] = field(default=(), repr=False)


class Source(Protocol):
    """What export reads: SELECT results as pyoxigraph terms, and one graph's triples."""

    def select(self, sparql: str) -> list[dict[str, Any]]: ...

    def graph_triples(self, graph_iri: str) -> Iterable[tuple[Any, Any, Any]]: ...


class StoreSource:
    """A :class:`Source` over an embedded GraphStore."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def select(self, sparql: str) -> list[dict[str, Any]]:
        result = self.store.query(sparql)
        names = [v.value for v in result.variables]  # type: ignore[attr-defined]
        return [{n: s[n] for n in names} for s in result]  # type: ignore[attr-defined]

    def graph_triples(self, graph_iri: str) -> Iterator[tuple[Any, Any, Any]]:
        g = ox.NamedNode(graph_iri)
        for q in self.store.ox.quads_for_pattern(None, None, None, g):
            yield q.subject, q.predicate, q.object


# -- selection -----------------------------------------------------------------------------------
def _values(var: str, values: Iterable[str]) -> str:
    # terms serialised by pyoxigraph (escaped N-Triples syntax), never pasted as raw text
    return f"VALUES ?{var} {{ {' '.join(str(ox.Literal(v)) for v in values)} }}"


def _date(value: str | date | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        return value.isoformat() if isinstance(value, date) else date.fromisoformat(value).isoformat()
    except ValueError:
        raise ExportError(f"--{name}: {value!r} is not a date (YYYY-MM-DD)") from None


def selection_query(
    since: str | None,
    until: str | None,
    country: Sequence[str],
    substance: Sequence[str],
    agency: Sequence[str],
    report: Sequence[str],
) -> str:
    """Return the SELECT of ``(?g ?op)``: report graphs and their operations matching the filters.

    Several values of one filter are alternatives; different filters must all match.
    """
    parts = [
        "GRAPH ?g { ?g a ng:Report . ?op a ng:Operation ; ng:reportedIn ?g . }",
    ]
    if since or until:
        parts.append("GRAPH ?g { ?op ng:date ?date }")
        if since:
            parts.append(f"FILTER (?date >= {ox.Literal(since, datatype=ox.NamedNode(XSD + 'date'))})")
        if until:
            parts.append(f"FILTER (?date <= {ox.Literal(until, datatype=ox.NamedNode(XSD + 'date'))})")
    if country:
        parts.append(
            "FILTER EXISTS { " + _values("want", (c.strip().lower() for c in country))
            + " ?op ng:occurredIn/ng:inCountry? ?c . ?c a ng:Country ."
            " { ?c ng:isoCode ?k } UNION { ?c rdfs:label ?k }"
            " FILTER (LCASE(STR(?k)) = ?want) }"
        )
    if substance:
        parts.append(
            "FILTER EXISTS { " + _values("want", (s.strip().lower() for s in substance))
            + " ?op ng:seized/ng:substance ?concept . ?concept skos:broader* ?s ."
            " OPTIONAL { ?s skos:prefLabel|skos:altLabel ?k }"
            f" FILTER (LCASE(STR(?k)) = ?want || LCASE(STR(?s)) = ?want"
            f" || LCASE(STRAFTER(STR(?s), {ox.Literal(str(SUBSTANCE))})) = ?want) }}"
        )
    if agency:
        parts.append(
            "FILTER EXISTS { " + _values("want", (a.strip().lower() for a in agency))
            + " ?op ng:conductedBy ?a . OPTIONAL { ?a rdfs:label|skos:altLabel ?k }"
            " FILTER (LCASE(STR(?k)) = ?want || LCASE(STR(?a)) = ?want) }"
        )
    if report:
        parts.append(
            "FILTER EXISTS { " + _values("want", (r.strip() for r in report))
            + " OPTIONAL { ?g ng:source|ng:url ?src }"
            " FILTER (STR(?g) = ?want || STR(?src) = ?want) }"
        )
    body = "\n  ".join(parts)
    return (
        f"PREFIX ng: <{NG}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        f"PREFIX skos: <{SKOS}>\n"
        f"SELECT DISTINCT ?g ?op WHERE {{\n  {body}\n}}"
    )


# -- one report graph → the triples to export -----------------------------------------------------
Triple = tuple[Any, Any, Any]


def closure(triples: Sequence[Triple], roots: Iterable[Any], skip: set[Any]) -> list[Triple]:
    """Return the triples of ``roots`` and of every node reachable from them (within the graph).

    Nodes in ``skip`` (operations not selected) are neither described nor followed.
    """
    by_subject: dict[Any, list[Triple]] = defaultdict(list)
    for t in triples:
        by_subject[t[0]].append(t)
    seen = set()
    todo = [r for r in roots if r not in skip]
    out: list[Triple] = []
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for t in by_subject.get(node, ()):
            out.append(t)
            o = t[2]
            if isinstance(o, ox.NamedNode | ox.BlankNode) and o not in seen and o not in skip:
                todo.append(o)
    return out


class Redactor:
    """Persons → stable pseudonyms from a keyed hash; free text naming them is withheld.

    The pseudonym's label comes from HMAC-SHA256(key, normalised name), so one name gets one
    pseudonym across reports and deliveries; its IRI from the HMAC of the original IRI, so two
    persons of the same name stay apart. The key is never written.
    """

    def __init__(self, key: str, base_iri: str) -> None:
        self.key = key.encode("utf-8")
        self.base = base_iri
        self.persons: set[str] = set()
        self.withheld = 0

    def _mac(self, text: str) -> str:
        return hmac.new(self.key, text.encode("utf-8"), hashlib.sha256).hexdigest()

    @staticmethod
    def _normal(name: str) -> str:
        return " ".join(name.casefold().split())

    def pseudonym(self, name: str) -> str:
        return f"Person {self._mac('name:' + self._normal(name))[:10]}"

    def iri(self, original: str) -> ox.NamedNode:
        return ox.NamedNode(f"{self.base}person/redacted-{self._mac('iri:' + original)[:16]}")

    def apply(self, triples: Sequence[Triple]) -> list[Triple]:
        person_type = ox.NamedNode(str(NG.Person))
        rdf_type, label = ox.NamedNode(RDF_TYPE), ox.NamedNode(RDFS_LABEL)
        persons = {s for s, p, o in triples if p == rdf_type and o == person_type}
        if not persons:
            return list(triples)
        names = {s: [o.value for s2, p, o in triples if s2 == s and p == label] for s in persons}
        pattern = _names_pattern(n for ns in names.values() for n in ns)
        mapping = {s: self.iri(s.value) for s in persons}
        self.persons.update(s.value for s in persons)
        out: list[Triple] = []
        had_text: dict[Any, ox.NamedNode] = {}
        for s, p, o in triples:
            if s in persons:
                if isinstance(o, ox.Literal):
                    continue  # names, evidence, any other literal about the person
                out.append((mapping[s], p, mapping.get(o, o)))
                continue
            if (
                pattern is not None
                and isinstance(o, ox.Literal)
                and p.value in TEXT_PREDICATES
                and pattern.search(o.value)
            ):
                self.withheld += 1
                had_text[s] = p
                continue
            out.append((mapping.get(s, s), p, mapping.get(o, o)))
        for s in persons:
            first = sorted(names[s])[0] if names[s] else s.value
            out.append((mapping[s], label, ox.Literal(self.pseudonym(first))))
        # a node whose every evidence sentence named a person keeps a placeholder, so that
        # "every fact quotes its sentence" still holds (and the shapes still conform)
        kept = {(s, p) for s, p, _ in out}
        for s, p in had_text.items():
            if p.value == str(NG.evidence) and (s, p) not in kept:
                out.append((s, p, ox.Literal(WITHHELD)))
        return out


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    words: set[str] = set()
    for name in names:
        words.add(" ".join(name.split()))
        for part in re.split(r"[\s\-']+", name):
            if len(part) >= 3 and part.casefold() not in _PARTICLES:
                words.add(part)
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


_INTEGER_SUBTYPES = frozenset(
    XSD + t
    for t in (
        "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger", "long",
        "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
    )
)


def declared_integer_ranges() -> dict[ox.NamedNode, ox.NamedNode]:
    """Return the properties whose ``rdfs:range`` is an integer type narrower than xsd:integer.

    pyoxigraph stores every integer literal as ``xsd:integer`` (``"3"^^xsd:nonNegativeInteger``
    comes back as ``"3"^^xsd:integer``); export restores the type the ontology declares.
    """
    from rdflib import RDFS

    from narcograph.ontology import ontology_graph

    return {
        ox.NamedNode(str(p)): ox.NamedNode(str(r))
        for p, r in ontology_graph().subject_objects(RDFS.range)
        if str(r) in _INTEGER_SUBTYPES
    }


def restore_datatypes(triples: Iterable[Triple], ranges: dict[Any, ox.NamedNode]) -> list[Triple]:
    """Return ``triples`` with xsd:integer objects of ``ranges``' properties re-typed."""
    out = []
    for s, p, o in triples:
        declared = ranges.get(p)
        if (
            declared is not None
            and isinstance(o, ox.Literal)
            and o.datatype.value == XSD + "integer"
            and _fits(o.value, declared.value)
        ):
            o = ox.Literal(o.value, datatype=declared)
        out.append((s, p, o))
    return out


def _fits(lexical: str, datatype: str) -> bool:
    try:
        value = int(lexical)
    except ValueError:
        return False
    name = datatype[len(XSD):]
    if name in ("nonNegativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"):
        return value >= 0
    if name == "positiveInteger":
        return value > 0
    if name == "nonPositiveInteger":
        return value <= 0
    if name == "negativeInteger":
        return value < 0
    return True  # long/int/short/byte: bounds far beyond any count narcograph stores


def _to_rdflib(term: Any) -> Any:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


# -- sorting in bounded memory -------------------------------------------------------------------
class _Sorter:
    """Collects ``\\t``-joined N-Triples term lines; yields them sorted and unique.

    pyoxigraph's N-Triples form escapes tabs and line breaks, so neither occurs inside a term.
    """

    def __init__(self, workdir: str) -> None:
        self.workdir = workdir
        self.buffer: list[str] = []
        self.runs: list[str] = []

    def add(self, line: str) -> None:
        self.buffer.append(line)
        if len(self.buffer) >= _CHUNK:
            self._spill()

    def _spill(self) -> None:
        self.buffer.sort()
        fd, path = tempfile.mkstemp(dir=self.workdir, suffix=".run")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.writelines(line + "\n" for line in self.buffer)
        self.runs.append(path)
        self.buffer = []

    def __iter__(self) -> Iterator[str]:
        self.buffer.sort()
        files = [open(p, encoding="utf-8", newline="\n") for p in self.runs]  # noqa: SIM115
        try:
            streams = [(line.rstrip("\n") for line in f) for f in files]
            last = None
            for line in heapq.merge(self.buffer, *streams):
                if line != last:
                    yield line
                    last = line
        finally:
            for f in files:
                f.close()


# -- writing -------------------------------------------------------------------------------------
class _Namer:
    """Prefixed names for IRIs (only the prefixes actually used are declared)."""

    def __init__(self, base_iri: str) -> None:
        prefixes = dict(PREFIXES)
        prefixes.update({"void": VOID, "dcat": DCAT})
        for kind in ("report", "operation", "seizure", "agency", "person", "place", "country",
                     "network", "dataset"):
            prefixes[kind] = f"{base_iri}{kind}/"
        # longest namespace first, so that `operation:` wins over a shorter match
        self.prefixes = sorted(prefixes.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        self.used: dict[str, str] = {}

    def compact(self, value: str) -> str:
        """Return ``prefix:local`` for an IRI under a known namespace, else the IRI itself."""
        for prefix, ns in self.prefixes:
            if value.startswith(ns) and _PN_LOCAL.match(value[len(ns):]):
                self.used[prefix] = ns
                return f"{prefix}:{value[len(ns):]}"
        return value

    def iri(self, value: str) -> str:
        """Return the Turtle form of an IRI: a prefixed name, or ``<IRI>``."""
        compact = self.compact(value)
        return compact if compact != value else str(ox.NamedNode(value))

    def term(self, nt: str) -> str:
        """Return the Turtle form of a term given in N-Triples syntax."""
        if nt.startswith("<"):
            return self.iri(nt[1:-1])
        if nt.startswith('"') and nt.endswith(">") and '"^^<' in nt:
            lexical, _, dt = nt.rpartition("^^<")
            return f"{lexical}^^{self.iri(dt[:-1])}"
        return nt

    def declarations(self, sparql: bool = False) -> list[str]:
        return [f"@prefix {p}: <{ns}> ." for p, ns in sorted(self.used.items())]


def _split(line: str) -> list[str]:
    return line.split("\t")


def _turtle_subject_block(namer: _Namer, subject: str, rows: list[tuple[str, str]], indent: str) -> str:
    """Return one subject with its predicates and objects (rdf:type first) in Turtle."""
    by_predicate: dict[str, list[str]] = defaultdict(list)
    for p, o in rows:
        by_predicate[p].append(o)
    type_key = f"<{RDF_TYPE}>"
    order = ([type_key] if type_key in by_predicate else []) + sorted(
        p for p in by_predicate if p != type_key
    )
    lines = [indent + namer.term(subject)]
    for i, p in enumerate(order):
        name = "a" if p == type_key else namer.term(p)
        objects = ", ".join(namer.term(o) for o in by_predicate[p])
        end = " ." if i == len(order) - 1 else " ;"
        lines.append(f"{indent}    {name} {objects}{end}")
    return "\n".join(lines) + "\n"


def _group(lines: Iterable[str], width: int) -> Iterator[tuple[tuple[str, ...], list[tuple[str, str]]]]:
    """Group sorted lines by their first ``width - 2`` fields (graph and/or subject)."""
    key: tuple[str, ...] | None = None
    rows: list[tuple[str, str]] = []
    for line in lines:
        fields = _split(line)
        k = tuple(fields[: width - 2])
        if k != key:
            if key is not None:
                yield key, rows
            key, rows = k, []
        rows.append((fields[-2], fields[-1]))
    if key is not None:
        yield key, rows


def _jsonld_value(nt: str, namer: _Namer) -> dict[str, str]:
    term = _parse_term(nt)
    if isinstance(term, ox.NamedNode):
        return {"@id": namer.compact(term.value)}
    if isinstance(term, ox.BlankNode):
        return {"@id": f"_:{term.value}"}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == XSD + "string":
        return {"@value": term.value}
    return {"@value": term.value, "@type": namer.compact(term.datatype.value)}


def _jsonld_node(namer: _Namer, subject: str, rows: Iterable[tuple[str, str]]) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": _jsonld_value(subject, namer)["@id"]}
    for p, o in rows:
        if p == f"<{RDF_TYPE}>" and o.startswith("<"):
            node.setdefault("@type", []).append(namer.compact(o[1:-1]))
        else:
            node.setdefault(namer.compact(p[1:-1]), []).append(_jsonld_value(o, namer))
    return node


def _parse_term(nt: str) -> Any:
    """Return the pyoxigraph term of an N-Triples term string."""
    triple = next(iter(ox.parse(f"<urn:x:s> <urn:x:p> {nt} .", format=ox.RdfFormat.N_TRIPLES)))
    return triple.object


def _write_body(out: IO[str], fmt: str, lines: Iterable[str], namer: _Namer) -> int:
    """Write the sorted data; return the number of triples (or quads)."""
    count = 0
    if fmt in ("nt", "nq"):
        for line in lines:
            fields = _split(line)
            if fmt == "nq":
                g, s, p, o = fields
                out.write(f"{s} {p} {o} {g} .\n")
            else:
                s, p, o = fields
                out.write(f"{s} {p} {o} .\n")
            count += 1
        return count
    if fmt == "ttl":
        for (subject,), rows in _group(lines, 3):
            out.write("\n" + _turtle_subject_block(namer, subject, rows, ""))
            count += len(rows)
        return count
    if fmt == "trig":
        graph = None
        for key, rows in _group(lines, 4):
            g, subject = key
            if g != graph:
                if graph is not None:
                    out.write("}\n")
                out.write(f"\n{namer.term(g)} {{\n")
                graph = g
            out.write(_turtle_subject_block(namer, subject, rows, "    "))
            count += len(rows)
        if graph is not None:
            out.write("}\n")
        return count
    # JSON-LD: one node object per subject, compact IRIs from the prefixes of the @context
    for (subject,), rows in _group(lines, 3):
        node = _jsonld_node(namer, subject, rows)
        out.write(",\n" + json.dumps(node, ensure_ascii=False))
        count += len(rows)
    return count


def _description(
    dataset: str,
    *,
    title: str,
    description: str,
    publisher: str,
    license: str,
    modified: str | None,
    triples: int,
    sources: Sequence[str],
    base_iri: str,
) -> list[tuple[str, str, str]]:
    """Return the VoID/DCAT description as sorted N-Triples term tuples."""
    d = str(ox.NamedNode(dataset))

    def iri(v: str) -> str:
        return str(ox.NamedNode(v))

    rows = [
        (d, iri(RDF_TYPE), iri(VOID + "Dataset")),
        (d, iri(RDF_TYPE), iri(DCAT + "Dataset")),
        (d, iri(DCTERMS + "title"), str(ox.Literal(title, language="en"))),
        (d, iri(DCTERMS + "description"), str(ox.Literal(description, language="en"))),
        (d, iri(DCTERMS + "publisher"), str(ox.Literal(publisher))),
        (d, iri(DCTERMS + "license"), iri(license)),
        (d, iri(DCTERMS + "conformsTo"), iri("https://w3id.org/narcograph/ontology")),
        (d, iri(VOID + "vocabulary"), iri(str(NG))),
        (d, iri(VOID + "uriSpace"), str(ox.Literal(base_iri))),
        (d, iri(VOID + "triples"), str(ox.Literal(str(triples), datatype=ox.NamedNode(XSD + "integer")))),
        (d, iri(DCTERMS + "creator"), str(ox.Literal(f"narcograph {__version__}"))),
    ]
    if modified:
        rows.append((d, iri(DCTERMS + "modified"),
                     str(ox.Literal(modified, datatype=ox.NamedNode(XSD + "dateTime")))))
    rows += [(d, iri(DCTERMS + "source"), iri(s)) for s in sources]
    return sorted(set(rows))


def _write_header(out: IO[str], fmt: str, namer: _Namer, description: list[tuple[str, str, str]],
                  comment: str) -> None:
    if fmt in ("nt", "nq"):
        for s, p, o in description:
            out.write(f"{s} {p} {o} .\n")
        return
    if fmt == "jsonld":
        node = _jsonld_node(namer, description[0][0], [(p, o) for _, p, o in description])
        context = json.dumps(dict(sorted(namer.used.items())), ensure_ascii=False, indent=2)
        out.write(f'{{\n"@context": {context},\n"@graph": [\n' + json.dumps(node, ensure_ascii=False))
        return
    for line in comment.splitlines():
        out.write(f"# {line}\n")
    out.write("\n".join(namer.declarations()) + "\n\n")
    subject = description[0][0]
    out.write(_turtle_subject_block(namer, subject, [(p, o) for _, p, o in description], ""))


# -- the export ----------------------------------------------------------------------------------
def _as_list(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in (x.strip() for x in value.split(",")) if v]
    return [v for v in (str(x).strip() for x in value) if v]


def export(
    source: GraphStore | Source,
    out: str | Path,
    fmt: str = "ttl",
    *,
    since: str | date | None = None,
    until: str | date | None = None,
    country: str | Sequence[str] | None = None,
    substance: str | Sequence[str] | None = None,
    agency: str | Sequence[str] | None = None,
    report: str | Sequence[str] | None = None,
    redact_persons: bool = False,
    with_provenance: bool = False,
    redaction_key: str | None = None,
    base_iri: str = DEFAULT_BASE,
    title: str = "narcograph: counter-narcotics operations from open reports",
    publisher: str = "narcograph",
    license: str = DEFAULT_LICENSE,  # noqa: A002
    validate: Callable[[Graph], Any] | None = None,
    progress: bool | None = None,
) -> ExportResult:
    """Write the report graphs matching the filters to ``out``; return an ExportResult.

    Filters select operations (several values of one filter are alternatives): ``since`` /
    ``until`` on their date, ``country`` (ISO code or name) where they took place,
    ``substance`` (label, key or IRI, including narrower substances: ``class-ats`` gives every
    amphetamine-type stimulant), ``agency`` (label, acronym or IRI), ``report`` (report IRI,
    source or URL). An exported operation comes with everything it links to and its report's
    citation (source, URL, title, publisher, publication date) and evidence sentences;
    ``with_provenance`` adds how each graph was made (ingest time, software, content hash,
    source file). TriG and N-Quads keep one named graph per report. Operations that several
    exported reports describe keep their ``ng:sameOperationAs`` / ``ng:canonicalOperation``
    links (in the graph ``.../graph/links`` of TriG and N-Quads), and entities their Wikidata
    IDs accepted by review, so a partner's counts need not double either.

    ``redact_persons`` replaces persons by pseudonyms (HMAC with ``redaction_key``) and leaves
    out the free text (evidence, titles) that names them.

    Raises ExportError for bad options or when a report's part violates the shapes (nothing
    is written then), ConfigError when redaction has no key.
    """
    fmt = {"turtle": "ttl", "ntriples": "nt", "nquads": "nq", "json-ld": "jsonld"}.get(fmt, fmt)
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (use {', '.join(FORMATS)})")
    if redact_persons and not redaction_key:
        raise ConfigError(
            "redacting persons needs a key: set redaction_key in the config file or "
            "NARCOGRAPH_REDACTION_KEY (it is never written to the export)"
        )
    if validate is None:
        from narcograph.shapes import validate as shapes_validate

        validate = shapes_validate
    src: Source = StoreSource(source) if isinstance(source, GraphStore) else source
    out = Path(out)
    filters = {
        "since": _date(since, "since"),
        "until": _date(until, "until"),
        "country": sorted(_as_list(country)),
        "substance": sorted(_as_list(substance)),
        "agency": sorted(_as_list(agency)),
        "report": sorted(_as_list(report)),
    }
    query = selection_query(
        filters["since"], filters["until"], filters["country"], filters["substance"],  # type: ignore[arg-type]
        filters["agency"], filters["report"],  # type: ignore[arg-type]
    )
    selected: dict[str, set[str]] = defaultdict(set)
    for row in src.select(query):
        selected[row["g"].value].add(row["op"].value)
    graphs = sorted(selected)
    redactor = Redactor(redaction_key or "", base_iri) if redact_persons else None
    quads = fmt in QUAD_FORMATS
    out.parent.mkdir(parents=True, exist_ok=True)

    from tqdm import tqdm

    show = progress if progress is not None else len(graphs) >= 200
    operation_type = ox.NamedNode(str(NG.Operation))
    ingested_at = ox.NamedNode(str(NG.ingestedAt))
    source_predicate = ox.NamedNode(str(NG.source))
    ranges = declared_integer_ranges()
    latest: str | None = None
    sources: set[str] = set()
    operations = 0

    from narcograph.link import IDENTIFIERS_GRAPH, LINKS_GRAPH

    # Wikidata IDs accepted by review live in a graph of their own; an exported entity takes its own
    accepted: dict[Any, list[Triple]] = defaultdict(list)
    for s, p, o in src.graph_triples(IDENTIFIERS_GRAPH):
        if p.value == SKOS_EXACT_MATCH:
            accepted[s].append((s, p, o))

    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}.") as workdir:
        sorter = _Sorter(workdir)
        for g in tqdm(graphs, desc="export", unit="report", disable=not show, leave=False):
            triples = list(src.graph_triples(g))
            keep = selected[g]
            others = {s for s, p, o in triples if o == operation_type and s.value not in keep}
            part = closure(triples, [ox.NamedNode(g), *(ox.NamedNode(op) for op in sorted(keep))], others)
            if accepted:
                inside = set(part)
                part += [t for subject in {t[0] for t in part} for t in accepted.get(subject, ()) if t not in inside]
            for s, p, o in part:
                if s.value == g and p == ingested_at and (latest is None or o.value > latest):
                    latest = o.value
                if s.value == g and p == source_predicate:
                    sources.add(o.value)
            part = restore_datatypes(part, ranges)
            if not with_provenance:
                part = [t for t in part if t[1].value not in PROVENANCE_PREDICATES]
            if redactor is not None:
                part = redactor.apply(part)
            result = validate(_graph_of(part))
            if not result.conforms:
                problems = [str(v) for v in getattr(result, "errors", result.violations)][:5]
                raise ExportError(
                    f"the export of report {g} violates the shapes, nothing was written: "
                    + "; ".join(problems)
                )
            operations += len(keep)
            gname = str(ox.NamedNode(g))
            for s, p, o in part:
                line = f"{s}\t{p}\t{o}"
                sorter.add(f"{gname}\t{line}" if quads else line)

        exported = {op for g in graphs for op in selected[g]}
        links = _operation_links(src.graph_triples(LINKS_GRAPH), exported)
        links_graph = str(ox.NamedNode(LINKS_GRAPH))
        for s, p, o in links:
            line = f"{s}\t{p}\t{o}"
            sorter.add(f"{links_graph}\t{line}" if quads else line)

        namer = _Namer(base_iri)
        body_path = Path(workdir) / "body"
        with body_path.open("w", encoding="utf-8", newline="\n") as body:
            triples_written = _write_body(body, fmt, sorter, namer)

        summary = _selection_text(filters, redact_persons, with_provenance)
        dataset = f"{base_iri}dataset/{hashlib.sha256(summary.encode()).hexdigest()[:16]}"
        description = _description(
            dataset,
            title=title,
            description=(
                "Counter-narcotics operations, seizures, agencies, places and persons extracted "
                f"from {len(graphs)} open-source report(s). {summary}"
            ),
            publisher=publisher,
            license=license,
            modified=latest,
            triples=triples_written,
            sources=sorted(sources),
            base_iri=base_iri,
        )
        for s, p, o in description:  # declare the prefixes the description uses too
            namer.term(s)
            namer.term(o)
            if p != f"<{RDF_TYPE}>":
                namer.term(p)
        comment = (
            f"narcograph export: {len(graphs)} report(s), {operations} operation(s), "
            f"{triples_written} triple(s).\n{summary}"
        )
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        digest = hashlib.sha256()
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as final:
                writer = _HashingWriter(final, digest)
                _write_header(writer, fmt, namer, description, comment)
                with body_path.open(encoding="utf-8", newline="\n") as body:
                    for chunk in iter(lambda: body.read(1 << 16), ""):
                        writer.write(chunk)
                if fmt == "jsonld":
                    writer.write("\n]\n}\n")
            os.replace(tmp, out)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    checksum = out.with_name(out.name + ".sha256")
    hexdigest = digest.hexdigest()
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{checksum.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"{hexdigest}  {out.name}\n")
    os.replace(tmp, checksum)
    return ExportResult(
        path=out,
        checksum_path=checksum,
        sha256=hexdigest,
        format=fmt,
        reports=len(graphs),
        operations=operations,
        triples=triples_written,
        persons_redacted=len(redactor.persons) if redactor else 0,
        literals_withheld=redactor.withheld if redactor else 0,
        sources=tuple(sorted(sources)),
    )


def _operation_links(triples: Iterable[Triple], exported: set[str]) -> list[Triple]:
    """Return the same-operation links (``ng:sameOperationAs``, ``ng:canonicalOperation``) among
    the ``exported`` operations, so that a partner's counts, like narcograph's, count each real
    operation once. A group keeps its canonical operation when it is exported; otherwise the
    exported member with the smallest IRI stands for it. Groups with one exported member are
    left out."""
    canonical: dict[str, str] = {}
    for s, p, o in triples:
        if p.value == str(NG.canonicalOperation):
            canonical[s.value] = o.value
    groups: dict[str, list[str]] = defaultdict(list)
    for member, canon in canonical.items():
        if member in exported:
            groups[canon].append(member)
    same, stands_for = ox.NamedNode(str(NG.sameOperationAs)), ox.NamedNode(str(NG.canonicalOperation))
    out: list[Triple] = []
    for canon, members in groups.items():
        if len(members) < 2:
            continue
        head = ox.NamedNode(canon if canon in members else min(members))
        for m in sorted(members):
            node = ox.NamedNode(m)
            out.append((node, stands_for, head))
            out += [(node, same, ox.NamedNode(other)) for other in sorted(members) if other != m]
    return out


class _HashingWriter:
    def __init__(self, out: IO[str], digest: Any) -> None:
        self.out = out
        self.digest = digest

    def write(self, text: str) -> int:
        self.digest.update(text.encode("utf-8"))
        return self.out.write(text)


def _graph_of(triples: Iterable[Triple]) -> Graph:
    graph = Graph()
    for s, p, o in triples:
        graph.add((_to_rdflib(s), _to_rdflib(p), _to_rdflib(o)))
    return graph


def _selection_text(filters: dict[str, Any], redacted: bool, provenance: bool) -> str:
    chosen = [
        f"{name} {', '.join(value) if isinstance(value, list) else value}"
        for name, value in filters.items()
        if value
    ]
    text = "Selection: " + ("; ".join(chosen) if chosen else "everything") + "."
    if redacted:
        text += " Persons are pseudonymised; sentences naming them are withheld."
    if provenance:
        text += " With ingest provenance."
    return text
