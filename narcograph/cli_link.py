"""The ``narcograph link`` command (registered by ``narcograph.cli``): a thin layer over
:func:`narcograph.link.link_operations` and :func:`narcograph.link.coverage`.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from narcograph.errors import NarcographError

EXIT_ERROR = 2
KINDS = ("countries", "places", "substances", "agencies")  # the order of narcograph.link.KINDS


def report_dict(linking: Any, cover: dict[str, dict]) -> dict[str, Any]:
    """The linking report as plain JSON-ready values."""
    ops = linking.operations
    return {
        "operations": len(ops),
        "reports": len({op.report for op in ops.values()}),
        "coverage": cover,
        "clusters": [
            {
                "canonical": c.canonical,
                "members": [
                    {
                        "operation": m,
                        "source": ops[m].source,
                        "date": ops[m].date.isoformat() if ops[m].date else None,
                        "countries": sorted(ops[m].countries),
                        "seizures": [{"substance": s, "unit": u or None, "quantity": q} for s, u, q in ops[m].seizures],
                    }
                    for m in c.members
                ],
                "links": [{"a": lk.a, "b": lk.b, "reasons": list(lk.reasons)} for lk in c.links],
            }
            for c in linking.clusters
        ],
    }


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def report_text(data: dict[str, Any]) -> str:
    """The linking report as text: coverage table, what is not linked, and the clusters."""
    lines = [f"Linking coverage: entities used by {data['operations']} operation(s) of {data['reports']} report(s)", ""]
    names = ("Wikidata", "GeoNames", "ChEBI", "MeSH")
    lines.append(
        f"{'kind':<11}{'linked':>7}{'total':>7}{'share':>8}{'uses':>8}{'+close':>8}"
        + "".join(f"{name:>10}" for name in names)
    )
    for kind in KINDS:
        c = data["coverage"][kind]
        ds = c["datasets"]
        lines.append(
            f"{kind:<11}{c['linked']:>7}{c['total']:>7}{_percent(c['linked'], c['total']):>8}"
            f"{_percent(c['linked_uses'], c['uses']):>8}{_percent(c['linked'] + c['close'], c['total']):>8}"
            + "".join(f"{ds.get(name, 0):>10}" for name in names)
        )
    lines.append(
        "(share: of distinct entities; uses: of operation-entity pairs; an entity counts as linked "
        "with a skos:exactMatch to Wikidata, GeoNames, ChEBI or MeSH; +close adds those only mapped "
        "by skos:closeMatch or skos:broadMatch to a broader concept)"
    )
    close = [(kind, data["coverage"][kind]["close_labels"]) for kind in KINDS if data["coverage"][kind]["close_labels"]]
    if close:
        lines += ["", "Mapped to a close or broader concept only:"]
        for kind, labels in close:
            lines.append(f"  {kind}: {'; '.join(labels)}")
    missing = [(kind, data["coverage"][kind]["unlinked"]) for kind in KINDS if data["coverage"][kind]["unlinked"]]
    if missing:
        lines += ["", "Without an external ID:"]
        for kind, labels in missing:
            lines.append(f"  {kind}: {'; '.join(labels)}")
    clusters = data["clusters"]
    linked = sum(len(c["members"]) for c in clusters)
    lines += ["", f"Same-operation clusters: {len(clusters)} ({linked} operations counted as {len(clusters)})"]
    for n, c in enumerate(clusters, start=1):
        lines.append(f"  {n}. canonical {c['canonical']}")
        for m in c["members"]:
            seized = ", ".join(
                f"{s['substance']} {s['quantity']:,.10g} {s['unit'] or ''}".rstrip()
                if s["quantity"] is not None
                else s["substance"]
                for s in m["seizures"]
            )
            mark = "*" if m["operation"] == c["canonical"] else "-"
            lines.append(
                f"     {mark} {m['operation']}  {m['date'] or 'undated'}  {' '.join(m['countries'])}"
                f"  {seized or 'no seizure'}  <{m['source']}>"
            )
        for lk in c["links"]:
            lines.append(f"       why: {'; '.join(lk['reasons'])}")
    return "\n".join(lines)


@click.command("link")
@click.option(
    "--report",
    "show_report",
    is_flag=True,
    help="Print linking coverage and the clusters of operations counted as one.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Format of the --report.",
)
@click.option(
    "--lookup",
    "lookup_path",
    type=click.Path(dir_okay=False, writable=True),
    help="Ask a Wikidata SPARQL endpoint for the items that may be the entities without a Wikidata "
    "ID, and write them to this review file (TSV) for a person to accept or reject.",
)
@click.option(
    "--endpoint",
    help="The Wikidata SPARQL endpoint (or a mirror) that --lookup asks [default: Wikidata's query service].",
)
@click.option(
    "--accept",
    "accept_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Apply a reviewed file: rows marked yes become skos:exactMatch links, rows marked no "
    "withdraw links accepted before.",
)
@click.pass_obj
def link(
    obj: Any, show_report: bool, fmt: str, lookup_path: str | None, endpoint: str | None, accept_path: str | None
) -> None:
    """Link operations that several reports describe, and report linking coverage.

    Finds operations of different reports that are the same real operation (same country, dates
    at most two days apart, and the same seizure within 10%, the same named persons or identical
    facts) and records them in the graph https://w3id.org/narcograph/graph/links
    (ng:sameOperationAs, ng:canonicalOperation), replaced on every run; aggregating named queries
    count each once. Ingest runs this step itself. --report adds the share of countries, places,
    substances and agencies used by operations that carry an external ID (Wikidata, GeoNames,
    ChEBI, MeSH), and the clusters.

    Wikidata IDs the offline gazetteer lacks are added in two steps a person checks: --lookup
    FILE asks the endpoint (the only step that uses the network) and writes candidates to FILE;
    after marking the accept column, --accept FILE records the accepted ones in the graph
    https://w3id.org/narcograph/graph/identifiers, which re-ingesting reports leaves alone.
    Exit codes: 0 done, 2 usage, network or system error.
    """
    from narcograph.identify import (
        apply_review,
        entities_without_wikidata,
        find_candidates,
        read_review,
        write_review,
    )
    from narcograph.link import WIKIDATA_SPARQL, coverage, link_operations  # here: `narcograph` starts faster

    endpoint = endpoint or WIKIDATA_SPARQL

    if lookup_path and accept_path:
        raise click.UsageError("--lookup and --accept are separate steps: review the file in between")
    try:
        store = obj.store
        linking = link_operations(store)
        if accept_path:
            applied = apply_review(store, read_review(accept_path))
            unknown = f"; {applied.unknown} about entities this store does not describe" if applied.unknown else ""
            click.echo(
                f"{applied.added} link(s) added, {applied.withdrawn} withdrawn; {applied.total} accepted "
                f"Wikidata link(s) in the store{unknown}",
                err=True,
            )
        if lookup_path:
            entities = entities_without_wikidata(store)
            click.echo(f"looking up {len(entities)} entit(ies) without a Wikidata ID at {endpoint}", err=True)
            candidates, skipped = find_candidates(entities, endpoint)
            rows = write_review(lookup_path, candidates)
            ready = sum(1 for c in candidates if c.accept)
            found = len({c.entity.iri for c in candidates})
            click.echo(
                f"{rows} candidate(s) for {found} entit(ies) written to {lookup_path} ({ready} marked yes: "
                f"the only item with the entity's GeoNames ID); {len(skipped)} not looked up. Review the "
                f"accept column, then run: narcograph link --accept {lookup_path}",
                err=True,
            )
        if not show_report:
            if not (accept_path or lookup_path):
                click.echo(
                    f"{len(linking.clusters)} cluster(s): {linking.linked} operation(s) counted as "
                    f"{len(linking.clusters)} ({'updated' if linking.changed else 'unchanged'})",
                    err=True,
                )
            return
        data = report_dict(linking, coverage(store))
    except NarcographError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(report_text(data))
