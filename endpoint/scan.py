"""A conservative look at SPARQL text before evaluation: what it would fetch, and its form.

pyoxigraph has no public algebra API, yet it evaluates ``SERVICE`` and ``LOAD`` by fetching
URLs, so a request could make the server call any address it can reach. This module lexes the
text the way the SPARQL grammar does (comments, strings and IRIs are single tokens, so a
keyword inside them never counts), resolves ``PREFIX``/``BASE``, and reports every ``SERVICE``
endpoint, every ``LOAD`` and every ``FROM``/``FROM NAMED`` graph. The endpoint rejects, before
evaluation, a ``SERVICE`` whose endpoint is not allow-listed (a variable endpoint counts as not
allow-listed), any ``LOAD``, and any ``FROM`` naming a graph the store does not hold.

It errs on the safe side: text the lexer cannot follow yields keywords it may over-report, never
fewer; a query that is really malformed then meets the parser's own 400.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

_PN = r"[A-Za-z\u00C0-\uFFFF][\w\-.\u00B7-\uFFFF]*"
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00B7-\uFFFF]+)
  | (?P<pname>(?:""" + _PN + r""")?:(?:[\w\-.:%\u00B7-\uFFFF]|\\.)*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@dataclass
class Scan:
    """What a query or update text asks for, as far as safety and dispatch need to know."""

    form: str | None = None  # SELECT, ASK, CONSTRUCT, DESCRIBE (None for updates / unknown)
    services: list[str] = field(default_factory=list)  # endpoint IRIs ("?var" for variables)
    loads: int = 0
    from_graphs: list[str] = field(default_factory=list)
    from_named_graphs: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)  # prefixed names with unknown prefixes
    keywords: set[str] = field(default_factory=set)  # every keyword, upper-cased

    def forbidden_services(self, allowlist: tuple[str, ...]) -> list[str]:
        """Return the SERVICE endpoints not in ``allowlist``."""
        return [s for s in self.services if s not in allowlist]


def _tokens(text: str) -> list[tuple[str, str]]:
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind not in ("space", "comment", "string"):
            out.append((kind, m.group()))
    return out


def scan(text: str, base_iri: str | None = None) -> Scan:
    """Return the Scan of a SPARQL query or update ``text``.

    >>> scan("SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }").services
    ['http://x/sparql']
    >>> scan("SELECT ('SERVICE <http://x/>' AS ?a) {}").services
    []
    """
    result = Scan()
    tokens = _tokens(text)
    prefixes: dict[str, str] = {}
    base = base_iri or ""

    def resolve(kind: str, value: str) -> str | None:
        if kind == "iri":
            return urljoin(base, value[1:-1]) if base else value[1:-1]
        if kind == "pname":
            prefix, _, local = value.partition(":")
            if prefix not in prefixes:
                result.unresolved.append(value)
                return None
            return prefixes[prefix] + local.rstrip(".").replace("\\", "")
        return None

    i = 0
    while i < len(tokens):
        kind, value = tokens[i]
        word = value.upper() if kind == "word" else ""
        if word:
            result.keywords.add(word)
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ("", "")
        if word == "PREFIX" and nxt[0] == "pname" and i + 2 < len(tokens):
            target = tokens[i + 2]
            if target[0] == "iri":
                prefixes[nxt[1].rstrip(":").partition(":")[0]] = resolve(*target) or ""
            i += 3
            continue
        if word == "BASE" and nxt[0] == "iri":
            base = resolve(*nxt) or base
            i += 2
            continue
        if word in QUERY_FORMS and result.form is None:
            result.form = word
        elif word == "LOAD":
            result.loads += 1
        elif word == "SERVICE":
            j = i + 1
            if j < len(tokens) and tokens[j][0] == "word" and tokens[j][1].upper() == "SILENT":
                j += 1
            target = tokens[j] if j < len(tokens) else ("", "")
            resolved = resolve(*target) if target[0] in ("iri", "pname") else None
            result.services.append(resolved or target[1] or "?")
        elif word == "FROM":
            named = nxt[0] == "word" and nxt[1].upper() == "NAMED"
            target = tokens[i + 2] if named and i + 2 < len(tokens) else nxt
            resolved = resolve(*target) if target[0] in ("iri", "pname") else None
            (result.from_named_graphs if named else result.from_graphs).append(
                resolved or target[1] or "?"
            )
        i += 1
    return result


def with_using(update: str, using: list[str], using_named: list[str]) -> str:
    """Return ``update`` with ``USING``/``USING NAMED`` clauses for the protocol's
    ``using-graph-uri``/``using-named-graph-uri`` parameters, before each top-level ``WHERE``.

    Raises ValueError when the update already has ``USING`` clauses (the protocol forbids both)
    or an IRI is not absolute. ``DELETE WHERE`` takes no ``USING`` in the grammar and is left as is.

    >>> with_using("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ["http://g/1"], [])
    'DELETE { ?s ?p ?o } USING <http://g/1> WHERE { ?s ?p ?o }'
    """
    if not using and not using_named:
        return update
    for iri in (*using, *using_named):
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]*", iri):
            raise ValueError(f"{iri!r} is not an absolute IRI")
    clause = " ".join([f"USING <{g}>" for g in using] + [f"USING NAMED <{g}>" for g in using_named]) + " "
    out: list[str] = []
    depth = 0
    previous = ""
    last = 0
    for m in _TOKEN.finditer(update):
        kind, value = m.lastgroup or "other", m.group()
        if kind in ("space", "comment", "string"):
            continue
        if value == "{":
            depth += 1
        elif value == "}":
            depth -= 1
        elif kind == "word" and depth == 0:
            word = value.upper()
            if word == "USING":
                raise ValueError("the update has USING clauses: do not also send using-graph-uri")
            if word == "WHERE" and previous != "DELETE":
                out.append(update[last : m.start()])
                out.append(clause)
                last = m.start()
        if kind != "space":
            previous = value.upper() if kind == "word" else value
    out.append(update[last:])
    return "".join(out)
