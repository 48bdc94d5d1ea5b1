"""The ``narcograph export`` and ``narcograph queries`` commands (registered by ``narcograph.cli``).

Thin layers over :func:`narcograph.export.export` and the named query registry.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from narcograph.errors import NarcographError

EXIT_REJECTED, EXIT_ERROR = 1, 2
_SUFFIX_FORMATS = {".ttl": "ttl", ".trig": "trig", ".nt": "nt", ".nq": "nq", ".jsonld": "jsonld",
                   ".json": "jsonld"}


def _fail(message: str, code: int = EXIT_ERROR) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@click.command("export")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write; FILE.sha256 is written beside it.")
@click.option("--format", "fmt", type=click.Choice(["ttl", "trig", "nt", "nq", "jsonld"]),
              default=None, help="RDF format [default: from the file suffix, else ttl].")
@click.option("--since", default=None, metavar="YYYY-MM-DD", help="Only operations on or after this date.")
@click.option("--until", default=None, metavar="YYYY-MM-DD", help="Only operations on or before this date.")
@click.option("--country", multiple=True, help="ISO code or name of a country operations took place in (repeatable).")
@click.option("--substance", multiple=True,
              help="Substance or class seized: label, key or IRI, e.g. Captagon, class-ats (repeatable).")
@click.option("--agency", multiple=True, help="Agency that took part: label, acronym or IRI (repeatable).")
@click.option("--report", multiple=True, help="Report IRI, source or URL (repeatable).")
@click.option("--redact", type=click.Choice(["persons"]), multiple=True,
              help="Replace persons by keyed pseudonyms and leave out sentences naming them "
                   "(key: redaction_key setting / NARCOGRAPH_REDACTION_KEY).")
@click.option("--with-provenance", is_flag=True,
              help="Add how each report graph was made (ingest time, software, hash, source file).")
@click.option("--title", default=None, help="Title in the dataset description.")
@click.option("--publisher", default=None, help="Publisher in the dataset description.")
@click.option("--license", "license_iri", default=None, help="Licence IRI [default CC BY 4.0].")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
@click.pass_obj
def export(obj: Any, out: Path, fmt: str | None, since: str | None, until: str | None,
           country: tuple[str, ...], substance: tuple[str, ...], agency: tuple[str, ...],
           report: tuple[str, ...], redact: tuple[str, ...], with_provenance: bool,
           title: str | None, publisher: str | None, license_iri: str | None, quiet: bool) -> None:
    """Write the graph (or the part the filters select) as a file for partners.

    The file is deterministic (same graph, same bytes), starts with a VoID/DCAT description,
    is validated against the shapes before it is written, and gets a FILE.sha256 beside it.
    Exit codes: 0 written, 1 the selected data violates the shapes (nothing written), 2 usage
    or system error.
    """
    from narcograph.export import ExportError
    from narcograph.export import export as run_export
    from narcograph.vocabulary import ensure_vocabulary

    fmt = fmt or _SUFFIX_FORMATS.get(out.suffix.lower(), "ttl")
    options: dict[str, Any] = {
        "since": since, "until": until, "country": country, "substance": substance,
        "agency": agency, "report": report, "redact_persons": "persons" in redact,
        "with_provenance": with_provenance, "redaction_key": obj.settings.redaction_key,
        "base_iri": obj.settings.base_iri, "progress": None if not quiet else False,
    }
    options.update({k: v for k, v in
                    {"title": title, "publisher": publisher, "license": license_iri}.items() if v})
    try:
        ensure_vocabulary(obj.store)  # substance labels and classes for --substance
        result = run_export(obj.store, out, fmt, **options)
    except ExportError as exc:
        _fail(str(exc), EXIT_REJECTED if "violates the shapes" in str(exc) else EXIT_ERROR)
    except NarcographError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"cannot write {out}: {exc}")
    if not quiet:
        click.echo(
            f"wrote {result.path} ({result.format}): {result.reports} report(s), "
            f"{result.operations} operation(s), {result.triples} triple(s); "
            f"sha256 {result.sha256} in {result.checksum_path.name}",
            err=True,
        )


@click.command("queries")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="table, or JSON with descriptions and parameters.")
def list_queries(fmt: str) -> None:
    """List the named queries with their parameters (run one with `narcograph query NAME`)."""
    from narcograph import queries

    try:
        registry = queries.registry()
    except NarcographError as exc:
        _fail(str(exc))
    if fmt == "json":
        listing = [
            {"name": q.name, "title": q.title, "description": q.description,
             "parameters": [dict(p.__dict__) for p in q.parameters]}
            for q in registry.values()
        ]
        click.echo(json.dumps(listing, indent=2, ensure_ascii=False))
        return
    width = max(len(name) for name in registry) if registry else 0
    for q in registry.values():
        click.echo(f"{q.name.ljust(width)}  {q.title}")
        for p in q.parameters:
            if p.required:
                note = "required"
            elif p.default is not None:
                note = f"default {p.default}"
            else:
                note = "optional"
            click.echo(f"{' ' * width}    --param {p.name}=<{p.type}>  ({note}) {p.description}")
