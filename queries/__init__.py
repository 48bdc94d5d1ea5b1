"""Named SPARQL queries (``*.rq`` package data) and the binding of their parameters.

Each query starts with a comment header::

    # title: Seizures
    # description: One row per seized quantity ...
    #   (continuation lines are indented)
    # param: since (date, optional) only seizures on or after this date.
    # param: limit (integer, default 10) how many rows.

Parameter ``NAME`` is bound to the variable ``?param_NAME`` as a typed RDF term, in a one-row
``VALUES`` block that ``narcograph.api.bind_values`` puts at the start of the query's outermost
group (the terms are serialised by pyoxigraph, never pasted from raw strings). So ``?param_*``
variables must be used in the outermost group (FILTER, BIND, EXISTS), not inside sub-SELECTs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import pyoxigraph as ox

from narcograph.errors import QueryError
from narcograph.resources import list_files

XSD = "http://www.w3.org/2001/XMLSchema#"
PARAM_TYPES = ("string", "date", "integer", "decimal", "iri", "boolean")

_PARAM = re.compile(
    r"^(?P<name>[A-Za-z][A-Za-z0-9_]*)\s*\((?P<type>\w+)(?:\s*,\s*(?P<opt>optional|default\s+[^)]*))?\)\s*(?P<doc>.*)$"
)


@dataclass(frozen=True)
class Parameter:
    """A named query's parameter; ``default`` None and not ``required`` means optional."""

    name: str
    type: str
    default: str | None
    required: bool
    description: str

    def to_term(self, raw: str) -> ox.NamedNode | ox.Literal:
        """Return ``raw`` as an RDF term of this parameter's type; raises QueryError."""
        try:
            if self.type == "date":
                return ox.Literal(date.fromisoformat(raw).isoformat(), datatype=ox.NamedNode(XSD + "date"))
            if self.type == "integer":
                return ox.Literal(str(int(raw)), datatype=ox.NamedNode(XSD + "integer"))
            if self.type == "decimal":
                return ox.Literal(str(Decimal(raw)), datatype=ox.NamedNode(XSD + "decimal"))
            if self.type == "boolean":
                if raw.lower() not in {"true", "false", "1", "0"}:
                    raise ValueError("expected true or false")
                value = "true" if raw.lower() in {"true", "1"} else "false"
                return ox.Literal(value, datatype=ox.NamedNode(XSD + "boolean"))
            if self.type == "iri":
                if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|^`\\]*$", raw):
                    raise ValueError("not an absolute IRI")
                return ox.NamedNode(raw)
            return ox.Literal(raw)
        except (ValueError, InvalidOperation) as exc:
            raise QueryError(f"parameter {self.name!r}: {raw!r} is not a valid {self.type} ({exc})") from exc


@dataclass(frozen=True)
class NamedQuery:
    """A query from ``queries/NAME.rq`` with its header."""

    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str

    def substitutions(self, params: dict[str, str]) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
        """Return the variable bindings for ``params``; raises QueryError for unknown or missing ones."""
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(params) - set(known))
        if unknown:
            allowed = ", ".join(known) or "none"
            raise QueryError(f"query {self.name!r} has no parameter {', '.join(unknown)} (parameters: {allowed})")
        bound: dict[ox.Variable, ox.NamedNode | ox.Literal] = {}
        for p in self.parameters:
            raw = params.get(p.name, p.default)
            if raw is None or raw == "":
                if p.required:
                    raise QueryError(f"query {self.name!r} needs the parameter {p.name!r} ({p.type})")
                continue
            bound[ox.Variable(f"param_{p.name}")] = p.to_term(str(raw))
        return bound


def parse_query_file(name: str, text: str) -> NamedQuery:
    """Return the NamedQuery of a ``.rq`` text; raises QueryError for a malformed header."""
    fields: dict[str, str] = {}
    params: list[Parameter] = []
    last: str | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:].rstrip()
        if body.startswith("   ") and last:  # continuation of the previous field
            if last == "param" and params:
                p = params[-1]
                params[-1] = Parameter(p.name, p.type, p.default, p.required, f"{p.description} {body.strip()}")
            else:
                fields[last] = f"{fields[last]} {body.strip()}"
            continue
        key, _, value = body.strip().partition(":")
        key = key.strip().lower()
        if key == "param":
            m = _PARAM.match(value.strip())
            if not m or m["type"] not in PARAM_TYPES:
                raise QueryError(f"{name}.rq: malformed parameter line {line!r}")
            opt = m["opt"] or ""
            default = opt[len("default") :].strip() if opt.startswith("default") else None
            params.append(Parameter(m["name"], m["type"], default, not opt, m["doc"].strip()))
        elif key in {"title", "description"}:
            fields[key] = value.strip()
        last = key
    return NamedQuery(
        name=name,
        title=fields.get("title", name),
        description=fields.get("description", ""),
        parameters=tuple(params),
        text=text,
    )


@lru_cache(maxsize=1)
def registry() -> dict[str, NamedQuery]:
    """Return every packaged named query by name."""
    out = {}
    for f in list_files("queries", ".rq"):
        name = f.name[: -len(".rq")]
        out[name] = parse_query_file(name, f.read_text(encoding="utf-8"))
    return out


def get(name: str) -> NamedQuery:
    """Return the named query ``name``; raises QueryError listing the known names."""
    try:
        return registry()[name]
    except KeyError:
        raise QueryError(f"no named query {name!r} (known: {', '.join(sorted(registry()))})") from None
