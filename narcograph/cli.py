"""The ``narcograph`` command: a thin layer over the Python API.

Exit codes: 0 success, 1 some input rejected, 2 usage or system error.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import click
import pyoxigraph as ox

from narcograph import __version__
from narcograph.config import Settings, load_settings
from narcograph.errors import NarcographError, QueryError
from narcograph.results import GRAPH_FORMATS, RESULT_FORMATS, format_table, solutions_to_rows
from narcograph.store import GraphStore

EXIT_OK, EXIT_REJECTED, EXIT_ERROR = 0, 1, 2


class Context:
    """What every sub-command gets: settings, and the store opened on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: GraphStore | None = None

    @property
    def store(self) -> GraphStore:
        if self._store is None:
            from narcograph.vocabulary import ensure_vocabulary

            self._store = GraphStore(self.settings.store)
            ensure_vocabulary(self._store)
        return self._store

    def close(self) -> None:
        """Release the store so that the next command (or process) can open it."""
        if self._store is not None:
            self._store.close()
            self._store = None


def fail(message: str, code: int = EXIT_ERROR) -> None:
    """Print ``message`` to stderr and exit with ``code``."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    envvar="NARCOGRAPH_STORE",
    default=None,
    help="Store folder [env NARCOGRAPH_STORE; default ./narcograph-data].",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="TOML config file [env NARCOGRAPH_CONFIG].",
)
@click.version_option(__version__, prog_name="narcograph")
@click.pass_context
def cli(ctx: click.Context, store: str | None, config_file: str | None) -> None:
    """narcograph: a knowledge graph of counter-narcotics operations from open reports."""
    try:
        settings = load_settings(config_file, store=store)
    except NarcographError as exc:
        fail(str(exc))
    ctx.obj = Context(settings)
    ctx.call_on_close(ctx.obj.close)


def _run_ingest(obj: Context, paths: tuple[str, ...], write: bool, quiet: bool) -> None:
    from tqdm import tqdm

    from narcograph.ingest.pipeline import FAILED, REJECTED, SKIPPED, ingest_paths

    store = obj.store if write else None

    def show(outcome) -> None:  # type: ignore[no-untyped-def]
        if outcome.status in (REJECTED, FAILED):
            tqdm.write(outcome.line(), file=sys.stderr)
            for v in outcome.violations[1:]:
                tqdm.write(f"    {v}", file=sys.stderr)
        elif outcome.status == SKIPPED or not quiet:
            tqdm.write(outcome.line(), file=sys.stderr)

    def progress(files):  # type: ignore[no-untyped-def]
        return tqdm(files, unit="file", file=sys.stderr, disable=len(files) < 2 or quiet, leave=False)

    summary = ingest_paths(paths, obj.settings, store, on_outcome=show, progress=progress)
    click.echo(summary.line(), err=True)
    sys.exit(summary.exit_code)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-q", "--quiet", is_flag=True, help="Only print problems and the summary.")
@click.option(
    "--endpoint",
    default=None,
    metavar="URL",
    help="Send the reports to a running `narcograph serve` (its base URL) instead of the store.",
)
@click.option(
    "--token", envvar="NARCOGRAPH_TOKEN", default=None, help="Bearer token for --endpoint [env NARCOGRAPH_TOKEN]."
)
@click.pass_obj
def ingest(obj: Context, paths: tuple[str, ...], quiet: bool, endpoint: str | None, token: str | None) -> None:
    """Ingest report files or folders (txt, md, json, jsonl, html, csv) into the store."""
    try:
        if endpoint:
            _upload(endpoint, token, paths)
        _run_ingest(obj, paths, write=True, quiet=quiet)
    except NarcographError as exc:
        fail(str(exc))


def _upload(endpoint: str, token: str | None, paths: tuple[str, ...]) -> None:
    """Send report files to a running server's /reports route; exits with the CLI's codes."""
    from narcograph.endpoint.client import upload_reports
    from narcograph.ingest.readers import find_report_files

    files = find_report_files(Path(p) for p in paths)
    code = EXIT_OK
    for answer in upload_reports(endpoint, token, files):
        status = answer.get("http_status", 0)
        if status in (200, 201):
            click.echo(
                f"{answer['file']}: {answer.get('status')}, {answer.get('operations', 0)} operation(s), "
                f"graph {answer.get('graph')}",
                err=True,
            )
            continue
        error = answer.get("error", {})
        click.echo(f"{answer['file']}: {status} {error.get('title', '')}: {error.get('detail', '')}", err=True)
        for v in answer.get("violations", []) or error.get("violations", []) or []:
            click.echo(f"    focus {v.get('focus')}, property {v.get('path')}: {v.get('message')}", err=True)
        code = max(code, EXIT_ERROR if status in (401, 403) else EXIT_REJECTED)
    sys.exit(code)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-q", "--quiet", is_flag=True, help="Only print problems and the summary.")
@click.option(
    "--explain", is_flag=True, help="Also print, sentence by sentence, what was found and which operation it went to."
)
@click.pass_obj
def validate(obj: Context, paths: tuple[str, ...], quiet: bool, explain: bool) -> None:
    """Extract and validate reports without writing anything (a dry run of ingest)."""
    try:
        if explain:
            _explain(paths)
        _run_ingest(obj, paths, write=False, quiet=quiet)
    except NarcographError as exc:
        fail(str(exc))


def _explain(paths: tuple[str, ...]) -> None:
    from narcograph.ingest.extract.explain import explain
    from narcograph.ingest.readers import find_report_files, read_report_items
    from narcograph.ingest.report import Report

    for path in find_report_files(Path(p) for p in paths):
        for item in read_report_items(path):
            if isinstance(item, Report) and not item.records:
                click.echo(explain(item))
                click.echo("")


def _parse_params(params: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for p in params:
        key, sep, value = p.partition("=")
        if not sep or not key:
            raise QueryError(f"--param needs the form key=value, got {p!r}")
        out[key.strip()] = value
    return out


@cli.command()
@click.argument("query")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="A named query parameter.")
@click.option(
    "--format",
    "fmt",
    default="table",
    show_default=True,
    type=click.Choice(["table", "json", "xml", "csv", "tsv", "turtle", "nt", "jsonld"]),
    help="Output format (json = SPARQL 1.1 Query Results JSON; turtle/nt/jsonld for CONSTRUCT).",
)
@click.pass_obj
def query(obj: Context, query: str, params: tuple[str, ...], fmt: str) -> None:
    """Run a named query (NAME), a .rq file, or inline SPARQL."""
    from narcograph import queries
    from narcograph.api import bind_values

    try:
        bound = _parse_params(params)
        if query in queries.registry():
            q = queries.get(query)
            text = bind_values(q.text, q.substitutions(bound))
        elif query.endswith(".rq") and Path(query).is_file():
            q = queries.parse_query_file(Path(query).stem, Path(query).read_text(encoding="utf-8"))
            text = bind_values(q.text, q.substitutions(bound))
        elif query.endswith(".rq") or " " not in query.strip():
            raise QueryError(f"no named query or .rq file {query!r} (known: {', '.join(queries.registry())})")
        else:
            if bound:
                raise QueryError("--param only applies to named queries and .rq files")
            text = query
        try:
            result = obj.store.query(text)
        except (SyntaxError, RuntimeError) as exc:
            raise QueryError(f"malformed query: {exc}") from exc
        _print_result(result, fmt)
    except QueryError as exc:
        fail(str(exc))
    except NarcographError as exc:
        fail(str(exc))


def _print_result(result: object, fmt: str) -> None:
    out = sys.stdout.buffer
    if isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            click.echo(format_table(solutions_to_rows(result)))
        elif fmt in RESULT_FORMATS:
            out.write(result.serialize(format=RESULT_FORMATS[fmt]))
            out.write(b"\n")
        else:
            raise QueryError(f"--format {fmt} is for CONSTRUCT/DESCRIBE; use table, json, xml, csv or tsv")
    elif isinstance(result, ox.QueryBoolean):
        if fmt in ("json", "xml", "csv", "tsv"):
            out.write(result.serialize(format=RESULT_FORMATS[fmt]))
            out.write(b"\n")
        else:
            click.echo("true" if bool(result) else "false")
    else:  # CONSTRUCT / DESCRIBE
        graph_fmt = GRAPH_FORMATS.get(fmt, ox.RdfFormat.TURTLE)
        out.write(result.serialize(format=graph_fmt))  # type: ignore[attr-defined]
    out.flush()


@cli.command()
@click.option("--host", default=None, help="Address to bind [default 127.0.0.1].")
@click.option("--port", type=int, default=None, help="Port [default 7878].")
@click.option(
    "--token", envvar="NARCOGRAPH_TOKEN", default=None, help="Bearer token for writes [env NARCOGRAPH_TOKEN]."
)
@click.option("--threads", type=int, default=None, help="Worker threads and query workers [default 4].")
@click.option("--query-timeout", type=float, default=None, help="Seconds a query may run [default 30].")
@click.option("--result-limit", type=int, default=None, help="Most results a query may return [default 100000].")
@click.option(
    "--allow-service",
    multiple=True,
    metavar="URL",
    help="An endpoint SERVICE may call (repeat; default: the Wikidata Query Service).",
)
@click.pass_obj
def serve(
    obj: Context,
    host: str | None,
    port: int | None,
    token: str | None,
    threads: int | None,
    query_timeout: float | None,
    result_limit: int | None,
    allow_service: tuple[str, ...],
) -> None:
    """Serve the store over HTTP (SPARQL 1.1 protocol) with a production WSGI server."""
    from narcograph.endpoint.server import serve as run_server

    overrides = {
        "host": host,
        "port": port,
        "token": token,
        "threads": threads,
        "query_timeout": query_timeout,
        "result_limit": result_limit,
        "service_allowlist": allow_service or None,
    }
    settings = replace(obj.settings, **{k: v for k, v in overrides.items() if v is not None})
    try:
        run_server(settings, obj.store)
    except NarcographError as exc:
        fail(str(exc))


from narcograph.cli_export import export, list_queries  # noqa: E402
from narcograph.cli_link import link  # noqa: E402

cli.add_command(export)
cli.add_command(list_queries)
cli.add_command(link)


def main() -> None:
    """Entry point of the ``narcograph`` script."""
    try:
        cli(standalone_mode=True)
    except NarcographError as exc:  # pragma: no cover - safety net
        fail(str(exc))
    except json.JSONDecodeError as exc:  # pragma: no cover
        fail(str(exc))


if __name__ == "__main__":
    main()
