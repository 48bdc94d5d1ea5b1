"""SHACL shapes for narcograph graphs, and the validation call.

>>> from narcograph.shapes import validate
>>> result = validate(graph)                       # doctest: +SKIP
>>> result.conforms, [str(v) for v in result.violations]   # doctest: +SKIP
(False, ['focus <https://w3id.org/narcograph/id/operation/ab12-1>, property ng:date: ...'])
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pyshacl
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Node

from narcograph.ontology import PREFIXES, ontology_graph
from narcograph.resources import read_text

__all__ = ["ValidationResult", "Violation", "shapes_graph", "validate"]

# the ontology triples the shapes need in the data graph: the class hierarchy (sh:targetClass
# and sh:class follow rdfs:subClassOf) and the types of the substance and unit concepts
_CLOSURE_PREDICATES = (RDF.type, RDFS.subClassOf)


@dataclass(frozen=True)
class Violation:
    """One SHACL result: what is wrong (``message``), on which node and property.

    ``focus`` and ``value`` are plain strings: an IRI, ``_:id`` for a blank node, or a literal's
    lexical form. ``path`` is the property's IRI, or a SPARQL property path (``<a>|<b>``) for a
    complex path; ``severity`` is ``Violation``, ``Warning`` or ``Info``.
    """

    focus: str
    path: str | None
    message: str
    severity: str
    value: str | None

    def __str__(self) -> str:
        """``focus <iri>, property ng:date: message``, with prefixed names where possible."""
        where = f"focus {_compact(self.focus)}"
        if self.path is not None:
            where += f", property {_compact(self.path)}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of :func:`validate`.

    ``conforms`` is False only when there is a result of severity ``Violation``; warnings are
    listed in ``violations`` too. ``text`` is the results in plain words, one per line.
    """

    conforms: bool
    violations: list[Violation]
    text: str

    @property
    def errors(self) -> list[Violation]:
        """The results of severity ``Violation`` (those that make the graph not conform)."""
        return [v for v in self.violations if v.severity == "Violation"]

    @property
    def warnings(self) -> list[Violation]:
        """The results of severity ``Warning``."""
        return [v for v in self.violations if v.severity == "Warning"]


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """Return the narcograph shapes as an rdflib Graph (parsed once)."""
    graph = Graph()
    graph.parse(data=read_text("shapes", "narcograph.ttl"), format="turtle")
    return graph


@lru_cache(maxsize=1)
def _ontology_closure() -> tuple[tuple[Node, Node, Node], ...]:
    """Return the ontology triples to add to a data graph before validation.

    pyshacl's ``ont_graph`` mixes in only RDFS/OWL axioms, not the ``ng:Substance`` typing of
    the SKOS concepts that ``sh:class ng:Substance`` needs (every seizure would fail), and it
    walks the whole ontology on every call. Copying this small precomputed set gives the same
    answers as validating the data merged with the whole ontology, and is much cheaper.
    """
    onto = ontology_graph()
    return tuple(t for p in _CLOSURE_PREDICATES for t in onto.triples((None, p, None)))


@lru_cache(maxsize=64)
def _prepared(text: str, namespaces: tuple[tuple[str, str], ...]) -> Query:
    return prepareQuery(text, initNs=dict(namespaces))


class _ValidationGraph(Graph):
    """A graph that parses each SPARQL query text once.

    pyshacl runs a SPARQL-based constraint as query text once per focus node, and rdflib parses
    the text every time (about 15 ms each); parsing once makes validation several times faster.
    """

    def query(  # type: ignore[override]
        self,
        query_object,
        processor="sparql",
        result="sparql",
        initNs=None,
        initBindings=None,
        use_store_provided: bool = True,
        **kwargs,
    ) -> Result:
        if isinstance(query_object, str):
            query_object = _prepared(query_object, tuple(sorted((initNs or {}).items())))
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )


def validate(data: Graph) -> ValidationResult:
    """Check ``data`` (one report's graph) against the narcograph shapes and ontology.

    ``data`` itself is not modified. Raises pyshacl's ``ReportableRuntimeError`` only when the
    shapes themselves are broken.
    """
    merged = _ValidationGraph()
    merged.addN((s, p, o, merged) for s, p, o in data)
    merged.addN((s, p, o, merged) for s, p, o in _ontology_closure())
    _, report, _ = pyshacl.validate(
        merged,
        shacl_graph=shapes_graph(),
        inference="none",
        advanced=True,  # SPARQL-based constraints
        allow_warnings=True,
        inplace=True,  # `merged` is already a private copy
    )
    violations = sorted(_violations(report), key=_sort_key)
    conforms = not any(v.severity == "Violation" for v in violations)
    if violations:
        text = "\n".join(f"{v.severity}: {v}" for v in violations)
    else:
        text = "Conforms."
    return ValidationResult(conforms=conforms, violations=violations, text=text)


def _violations(report: Graph) -> list[Violation]:
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        severity = report.value(result, SH.resultSeverity)
        found.append(
            Violation(
                focus=_plain(focus),
                path=None if path is None else _path_text(report, path),
                message=_message(report, result),
                severity=_local_name(severity) if severity is not None else "Violation",
                value=None if value is None else _plain(value),
            )
        )
    return found


def _message(report: Graph, result: Node) -> str:
    messages = sorted(
        report.objects(result, SH.resultMessage),
        key=lambda m: (not (isinstance(m, Literal) and m.language in ("en", None)), str(m)),
    )
    if messages:
        return str(messages[0])
    # every shape has a message; this covers a shape added without one
    component = report.value(result, SH.sourceConstraintComponent)
    return f"The value breaks the constraint {_compact(str(component))}."


def _sort_key(v: Violation) -> tuple[int, str, str, str]:
    return (0 if v.severity == "Violation" else 1, v.focus, v.path or "", v.message)


def _plain(node: Node | None) -> str:
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def _local_name(iri: Node) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _path_text(graph: Graph, path: Node) -> str:
    """Return a SHACL path as its IRI, or as a SPARQL property path when it is complex."""
    if isinstance(path, URIRef):
        return str(path)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_path_part(graph, p) for p in Collection(graph, alternatives))
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path_part(graph, inverse)
    for key, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = graph.value(path, key)
        if inner is not None:
            return _path_part(graph, inner) + suffix
    if graph.value(path, RDF.first) is not None:
        return "/".join(_path_part(graph, p) for p in Collection(graph, path))
    return _plain(path)


def _path_part(graph: Graph, path: Node) -> str:
    if isinstance(path, URIRef):
        return f"<{path}>"
    return f"({_path_text(graph, path)})"


_SORTED_PREFIXES = sorted(PREFIXES.items(), key=lambda item: len(item[1]), reverse=True)


def _compact(text: str) -> str:
    """Return ``text`` (an IRI, a blank node or a SPARQL path) with prefixed names.

    >>> _compact("https://w3id.org/narcograph/ontology#date")
    'ng:date'
    >>> _compact("https://w3id.org/narcograph/id/operation/x-1")
    '<https://w3id.org/narcograph/id/operation/x-1>'
    """
    if text.startswith("_:"):
        return text
    if "<" in text:  # a SPARQL path: compact each IRI in it
        parts = text.split("<")
        out = [parts[0]]
        for part in parts[1:]:
            iri, _, rest = part.partition(">")
            out.append(_compact(iri) + rest)
        return "".join(out)
    for prefix, namespace in _SORTED_PREFIXES:
        if text.startswith(namespace):
            local = text[len(namespace) :]
            if local and all(c.isalnum() or c in "-_." for c in local) and local[-1] != ".":
                return f"{prefix}:{local}"
    return f"<{text}>"
