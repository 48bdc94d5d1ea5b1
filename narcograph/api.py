"""The Python API for notebooks: ``narcograph.open(path)`` and ``narcograph.connect(url)``.

Both return an object with the same verbs — ``query``, ``rows``, ``run``, ``run_rows``,
``queries``, ``ingest``, ``export`` — over the embedded store or a running SPARQL endpoint.

Parameters of named queries are bound as typed RDF terms in a ``VALUES`` block that
:func:`bind_values` places at the start of the query's outermost group. pyoxigraph's own
``substitutions`` cannot be used for this: it only accepts variables of the top-level SELECT
projection, so every ``?param_NAME`` would come back as a result column (and the contract
columns of ``operations`` and ``seizures`` would change). ``VALUES`` is standard SPARQL 1.1,
so the same bound text runs on the embedded store and on any remote endpoint.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from narcograph.config import Settings, load_settings
from narcograph.errors import QueryError, StoreError
from narcograph.results import Rows, json_to_rows, json_to_terms, solutions_to_rows, to_dataframe
from narcograph.store import GraphStore

Term = ox.NamedNode | ox.Literal
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_:\-]*")
_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}


# -- binding parameters --------------------------------------------------------------------------
def _skip_string(text: str, i: int) -> int:
    """Return the index after the SPARQL string literal starting at ``text[i]``."""
    quote = text[i]
    if text.startswith(quote * 3, i):
        end = i + 3
        while True:
            end = text.find(quote * 3, end)
            if end < 0:
                return len(text)
            if text[end - 1] != "\\":
                return end + 3
            end += 1
    end = i + 1
    while end < len(text) and text[end] != quote:
        end += 2 if text[end] == "\\" else 1
    return end + 1


def _group_start(text: str) -> int:
    """Return the index of the ``{`` that opens the query's outermost WHERE group.

    Skips comments, strings and IRIs, and a CONSTRUCT template. Raises QueryError if none.
    """
    i, n = 0, len(text)
    form: str | None = None
    template_done = False
    depth = 0
    while i < n:
        c = text[i]
        if c == "#":
            newline = text.find("\n", i)
            i = n if newline < 0 else newline + 1
        elif c in "\"'":
            i = _skip_string(text, i)
        elif c == "<" and (m := _IRIREF.match(text, i)):
            i = m.end()
        elif c in "?$":
            m = _WORD.match(text, i + 1)
            i = m.end() if m else i + 1
        elif c == "{":
            if form == "CONSTRUCT" and not template_done and depth == 0:
                depth = 1  # the template of CONSTRUCT { ... } WHERE { ... }
                i += 1
                continue
            if depth:
                depth += 1
                i += 1
                continue
            return i
        elif c == "}" and depth:
            depth -= 1
            template_done = depth == 0
            i += 1
        elif m := _WORD.match(text, i):
            word = m.group().upper()
            if form is None and word in _FORMS:
                form = word
            elif form == "CONSTRUCT" and word == "WHERE" and depth == 0:
                template_done = True  # CONSTRUCT WHERE { ... }: no template
            i = m.end()
        else:
            i += 1
    raise QueryError("cannot bind parameters: the query has no WHERE group")


def bind_values(sparql: str, bindings: Mapping[str | ox.Variable, Term]) -> str:
    """Return ``sparql`` with ``bindings`` as a one-row VALUES block opening its WHERE group.

    The terms are serialised by pyoxigraph (N-Triples syntax, which escapes quotes, backslashes
    and line breaks; IRIs are checked on creation), never formatted from raw strings, so a value
    cannot end the literal it is in. The variables are in scope of the outermost group only:
    named queries use ``?param_NAME`` there (in FILTERs, BINDs and EXISTS), not in sub-SELECTs.
    Raises QueryError for a bad variable name or a term that cannot be a parameter.

    >>> bind_values("SELECT ?x WHERE { ?x ?p ?param_v }", {"param_v": ox.Literal("a")})
    'SELECT ?x WHERE {\\n  VALUES (?param_v) { ("a") }\\n ?x ?p ?param_v }'
    """
    if not bindings:
        return sparql
    names, terms = [], []
    for var, term in bindings.items():
        name = var.value if isinstance(var, ox.Variable) else str(var).lstrip("?$")
        if not _VARIABLE.match(name):
            raise QueryError(f"not a variable name: {name!r}")
        if not isinstance(term, ox.NamedNode | ox.Literal):
            kind = type(term).__name__
            raise QueryError(f"?{name}: only IRIs and literals can be bound, not {kind}")
        names.append(f"?{name}")
        terms.append(str(term))
    at = _group_start(sparql) + 1
    block = f"\n  VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}\n"
    return sparql[:at] + block + sparql[at:]


def named_query_text(name: str, params: Mapping[str, Any]) -> str:
    """Return the text of the named query ``name`` with ``params`` bound (None values ignored).

    Raises QueryError for an unknown query, an unknown or missing parameter, or a bad value.
    """
    from narcograph import queries

    q = queries.get(name)
    raw = {k: _param_text(v) for k, v in params.items() if v is not None}
    return bind_values(q.text, q.substitutions(raw))


def _param_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()[:10]  # date, datetime or pandas Timestamp → xsd:date
    if isinstance(value, ox.NamedNode | ox.Literal):
        return value.value
    return str(value)


# -- the verbs shared by the embedded store and the HTTP client -----------------------------------
class _Verbs:
    """query / run / queries on top of a ``rows`` implementation."""

    settings: Settings

    def rows(self, sparql: str, bindings: Mapping[str | ox.Variable, Term] | None = None) -> Rows:
        raise NotImplementedError

    def query(self, sparql: str, bindings: Mapping[str | ox.Variable, Term] | None = None) -> Any:
        """Run a SELECT query; return a pandas DataFrame with typed columns.

        Raises QueryError for a malformed query; ImportError when pandas is missing.
        """
        return to_dataframe(self.rows(sparql, bindings))

    def run(self, name: str, /, **params: Any) -> Any:
        """Run the named query ``name`` with ``params``; return a pandas DataFrame.

        >>> kg.run("seizures", substance="Captagon", since="2024-01-01")   # doctest: +SKIP
        """
        return to_dataframe(self.run_rows(name, **params))

    def run_rows(self, name: str, /, **params: Any) -> Rows:
        """Run the named query ``name``; return plain rows. Raises QueryError."""
        return self.rows(named_query_text(name, params))

    def queries(self) -> list[dict[str, Any]]:
        """Return the named queries with their titles, descriptions and parameters."""
        from narcograph import queries

        return [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "parameters": [dict(p.__dict__) for p in q.parameters],
            }
            for q in queries.registry().values()
        ]

    def _export_source(self) -> Any:
        raise NotImplementedError

    def export(self, out: str | Path, fmt: str = "ttl", **options: Any) -> Any:
        """Write a file for partners; return an ExportResult. See :func:`narcograph.export.export`.

        >>> kg.export("delivery.ttl", country=["SY", "JO"], redact_persons=True)   # doctest: +SKIP
        """
        from narcograph.export import export

        options.setdefault("redaction_key", self.settings.redaction_key)
        options.setdefault("base_iri", self.settings.base_iri)
        return export(self._export_source(), out, fmt, **options)


# -- the embedded store --------------------------------------------------------------------------
class KnowledgeGraph(_Verbs):
    """A narcograph store with the verbs of the CLI: query, run, queries, ingest, export."""

    def __init__(self, store: GraphStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    def rows(self, sparql: str, bindings: Mapping[str | ox.Variable, Term] | None = None) -> Rows:
        """Run a SELECT query over all graphs; return plain rows.

        ``bindings`` ({variable: RDF term}) are bound with :func:`bind_values`. Raises
        QueryError for a malformed query or one that is not a SELECT.
        """
        text = bind_values(sparql, bindings or {})
        try:
            result = self.store.query(text)
        except SyntaxError as exc:
            raise QueryError(f"malformed query: {exc}") from exc
        except RuntimeError as exc:  # evaluation errors (e.g. a failing SERVICE call)
            raise QueryError(f"query failed: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"cannot read the store: {exc}") from exc
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("rows() needs a SELECT query")
        return solutions_to_rows(result)

    def ingest(self, paths: str | Path | Iterable[str | Path]) -> Any:
        """Ingest report files or folders; return the run's Summary."""
        from narcograph.ingest.pipeline import ingest_paths

        if isinstance(paths, str | Path):
            paths = [paths]
        return ingest_paths(paths, self.settings, self.store)

    def load(self, path: str | Path) -> int:
        """Load an RDF file (e.g. a partner's export) as is; return how many quads were added.

        Quad formats (TriG, N-Quads) keep their graphs; triple formats go to the default graph,
        which queries see together with the named graphs. Raises StoreError for a bad file.
        """
        path = Path(path)
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
        if fmt is None:
            raise StoreError(f"{path}: unknown RDF format (use .ttl, .trig, .nt, .nq or .jsonld)")
        before = len(self.store)
        try:
            self.store.ox.load(path=str(path), format=fmt)
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"{path}: {exc}") from exc
        self.store.flush()
        return len(self.store) - before

    def _export_source(self) -> Any:
        return self.store

    def __len__(self) -> int:
        return len(self.store)


# -- a running endpoint, over HTTP ----------------------------------------------------------------
class RemoteKnowledgeGraph(_Verbs):
    """The same verbs over a SPARQL 1.1 endpoint (narcograph's, or any other store's).

    Named queries are taken from the local registry, bound client-side (:func:`bind_values`)
    and POSTed: the parameters are checked and typed before any request, and the client works
    with any standard endpoint (Oxigraph server, Fuseki, Virtuoso), not only narcograph's
    ``/queries/NAME`` route. Writes need ``token``: ``ingest`` uploads files to the endpoint's
    ``/reports`` route, ``update`` sends SPARQL Update to ``update_url`` (default: the query URL).
    """

    def __init__(
        self,
        url: str,
        token: str | None = None,
        *,
        update_url: str | None = None,
        timeout: float = 30.0,
        settings: Settings | None = None,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise QueryError(f"not an http(s) endpoint URL: {url!r}")
        self.url = url
        self.update_url = update_url or url
        self.token = token
        self.timeout = timeout
        self.settings = settings or load_settings()

    def __repr__(self) -> str:
        return f"RemoteKnowledgeGraph({self.url!r})"

    # -- HTTP ---------------------------------------------------------------------------------
    def _post(self, url: str, form: dict[str, str], accept: str, write: bool = False) -> bytes:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "Accept": accept,
            "User-Agent": "narcograph-client",
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        elif write:
            raise StoreError(f"writing to {url} needs a token: narcograph.connect(url, token=...)")
        body = urllib.parse.urlencode(form).encode("utf-8")
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.read()
        except urllib.error.HTTPError as exc:
            message = _error_message(exc)
            if 400 <= exc.code < 500:
                raise QueryError(f"{url} answered {exc.code}: {message}") from None
            raise StoreError(f"{url} answered {exc.code}: {message}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(f"cannot reach {url}: {reason}") from None

    def _select(self, sparql: str) -> dict[str, Any]:
        data = self._post(self.url, {"query": sparql}, "application/sparql-results+json")
        try:
            document = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise QueryError(f"{self.url} did not answer SPARQL JSON: {exc}") from None
        if "boolean" in document or "results" not in document:
            raise QueryError("rows() needs a SELECT query")
        return document

    # -- verbs --------------------------------------------------------------------------------
    def rows(self, sparql: str, bindings: Mapping[str | ox.Variable, Term] | None = None) -> Rows:
        """Run a SELECT query at the endpoint; return plain rows. Raises QueryError, StoreError."""
        return json_to_rows(self._select(bind_values(sparql, bindings or {})))

    def select_terms(self, sparql: str) -> list[dict[str, Any]]:
        """Run a SELECT query; return each solution as ``{variable: pyoxigraph term}``."""
        return json_to_terms(self._select(sparql))[1]

    def update(self, sparql_update: str) -> None:
        """Send a SPARQL Update (needs the token). Raises StoreError or QueryError."""
        self._post(self.update_url, {"update": sparql_update}, "*/*", write=True)

    def ingest(self, paths: str | Path | Iterable[str | Path]) -> list[dict[str, Any]]:
        """Send report files (folders are walked) to the endpoint's ``/reports`` route.

        The server extracts, validates and stores them, as ``narcograph ingest --endpoint``
        does. Returns one dict per file: the server's answer plus ``file`` and ``http_status``.
        Raises StoreError without a token, or when the endpoint cannot be reached.
        """
        from narcograph.endpoint.client import UploadError, upload_reports
        from narcograph.ingest.readers import find_report_files

        if not self.token:
            raise StoreError(
                f"sending reports to {self.url} needs a token: narcograph.connect(url, token=...)"
            )
        if isinstance(paths, str | Path):
            paths = [paths]
        files = find_report_files(Path(p) for p in paths)
        try:
            return upload_reports(self.url, self.token, files, timeout=max(self.timeout, 300.0))
        except UploadError as exc:
            raise StoreError(str(exc)) from exc

    def _export_source(self) -> Any:
        return _RemoteSource(self)

    def __len__(self) -> int:
        """Return the number of quads in the endpoint's named graphs."""
        rows = self.rows("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(rows.rows[0][0]) if rows.rows else 0


def _error_message(exc: urllib.error.HTTPError) -> str:
    try:
        text = exc.read().decode("utf-8", "replace")
    except OSError:
        return exc.reason or ""
    try:
        body = json.loads(text)
    except json.JSONDecodeError:
        return text.strip()[:500] or str(exc.reason)
    error = body.get("error", body) if isinstance(body, dict) else body
    if isinstance(error, dict):
        return str(error.get("message") or error.get("detail") or error)
    return str(error)


class _RemoteSource:
    """What export reads, over SPARQL: SELECT results as terms, and one graph's triples."""

    def __init__(self, kg: RemoteKnowledgeGraph) -> None:
        self.kg = kg

    def select(self, sparql: str) -> list[dict[str, Any]]:
        return self.kg.select_terms(sparql)

    def graph_triples(self, graph_iri: str) -> Iterator[tuple[Any, Any, Any]]:
        g = ox.NamedNode(graph_iri)
        for s in self.kg.select_terms(f"SELECT ?s ?p ?o WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}"):
            yield s["s"], s["p"], s["o"]


# -- entry points --------------------------------------------------------------------------------
def open(path: str | Path | None = None, **settings: Any) -> KnowledgeGraph:  # noqa: A001
    """Open (or create) the embedded store at ``path``; return a KnowledgeGraph.

    Loads or refreshes the packaged vocabulary (substances, units) in the store. Raises
    StoreError when the store is locked by another process.

    >>> kg = narcograph.open("narcograph-data")      # doctest: +SKIP
    >>> kg.run("routes", substance="Captagon")        # doctest: +SKIP
    """
    from narcograph.vocabulary import ensure_vocabulary

    config = load_settings(**({"store": str(path)} if path else {}), **settings)
    store = GraphStore(config.store)
    ensure_vocabulary(store)
    return KnowledgeGraph(store, config)


def connect(
    url: str,
    token: str | None = None,
    *,
    update_url: str | None = None,
    timeout: float = 30.0,
    **settings: Any,
) -> RemoteKnowledgeGraph:
    """Return the verbs of ``open`` over a running SPARQL endpoint, e.g. ``narcograph serve``.

    ``token`` is the bearer token for writes. Nothing is sent until the first call.

    >>> kg = narcograph.connect("http://127.0.0.1:7878/sparql")   # doctest: +SKIP
    >>> kg.run("largest_seizures", unit="kg")                       # doctest: +SKIP
    """
    return RemoteKnowledgeGraph(
        url, token, update_url=update_url, timeout=timeout, settings=load_settings(**settings)
    )
