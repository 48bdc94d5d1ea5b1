"""The embedded pyoxigraph store: one named graph per report, replaced atomically."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from narcograph.errors import StoreError
from narcograph.ontology import NG


def _ntriples(graph: Graph) -> str:
    return graph.serialize(format="nt", encoding="utf-8").decode("utf-8")


class GraphStore:
    """A narcograph store on disk (RocksDB), or in memory when ``path`` is None.

    Raises StoreError when the folder cannot be opened (e.g. another process holds it).
    """

    def __init__(self, path: str | Path | None, *, read_only: bool = False) -> None:
        self.path = None if path is None else Path(path)
        try:
            if self.path is None:
                self.ox = ox.Store()
            elif read_only:
                self.ox = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self.ox = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(
                f"cannot open the store at {self.path}: {exc}. If `narcograph serve` is running on "
                "it, stop it or send reports with `ingest --endpoint URL`."
            ) from exc

    # -- writing -------------------------------------------------------------------------------
    def replace_graph(self, graph_iri: str, graph: Graph) -> None:
        """Replace the named graph ``graph_iri`` by ``graph`` in one transaction.

        Either the old graph stays whole or the new one is there whole: nothing half-written.
        """
        data = _ntriples(graph)
        update = f"DROP SILENT GRAPH <{graph_iri}> ;\nINSERT DATA {{ GRAPH <{graph_iri}> {{\n{data}}} }}"
        try:
            self.ox.update(update)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"could not write graph {graph_iri}: {exc}") from exc

    def drop_graph(self, graph_iri: str) -> bool:
        """Remove a named graph; return whether it existed."""
        node = ox.NamedNode(graph_iri)
        if not self.ox.contains_named_graph(node):
            return False
        self.ox.remove_graph(node)
        return True

    def close(self) -> None:
        """Release the store (and its lock on the folder); the object is unusable afterwards."""
        if self.ox is not None:
            if self.path is not None:
                self.ox.flush()
            self.ox = None  # type: ignore[assignment]
            import gc

            gc.collect()

    def flush(self) -> None:
        if self.path is not None:
            self.ox.flush()

    # -- reading -------------------------------------------------------------------------------
    def content_hash(self, graph_iri: str) -> str | None:
        """Return the ``ng:contentHash`` stored for a report graph, or None if absent."""
        node = ox.NamedNode(graph_iri)
        for quad in self.ox.quads_for_pattern(node, ox.NamedNode(str(NG.contentHash)), None, node):
            return quad.object.value
        return None

    def graphs(self) -> Iterator[str]:
        """Yield the IRIs of the named graphs."""
        for g in self.ox.named_graphs():
            if isinstance(g, ox.NamedNode):
                yield g.value

    def __len__(self) -> int:
        return len(self.ox)

    def query(self, sparql: str, **kwargs: object) -> object:
        """Run SPARQL over the union of all graphs (default); see ``pyoxigraph.Store.query``."""
        kwargs.setdefault("use_default_graph_as_union", True)
        return self.ox.query(sparql, **kwargs)  # type: ignore[arg-type]
