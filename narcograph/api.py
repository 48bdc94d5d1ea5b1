"""The Python API for notebooks: ``narcograph.open(path)``."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from narcograph.config import Settings, load_settings
from narcograph.errors import QueryError
from narcograph.results import Rows, solutions_to_rows
from narcograph.store import GraphStore


class KnowledgeGraph:
    """A narcograph store with the verbs of the CLI: query, run, queries, ingest."""

    def __init__(self, store: GraphStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    # -- queries -------------------------------------------------------------------------------
    def rows(self, sparql: str, substitutions: dict | None = None) -> Rows:
        """Run a SELECT query; return plain rows. Raises QueryError for a malformed query."""
        try:
            result = self.store.query(sparql, substitutions=substitutions)
        except SyntaxError as exc:
            raise QueryError(f"malformed query: {exc}") from exc
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("rows() needs a SELECT query")
        return solutions_to_rows(result)

    def query(self, sparql: str) -> Any:
        """Run a SELECT query; return a pandas DataFrame with typed columns."""
        return to_dataframe(self.rows(sparql))

    def run(self, name: str, **params: Any) -> Any:
        """Run the named query ``name`` with ``params``; return a pandas DataFrame."""
        return to_dataframe(self.run_rows(name, **params))

    def run_rows(self, name: str, **params: Any) -> Rows:
        """Run the named query ``name``; return plain rows."""
        from narcograph import queries

        q = queries.get(name)
        subs = q.substitutions({k: str(v) for k, v in params.items() if v is not None})
        return self.rows(q.text, subs)

    def queries(self) -> list[dict[str, Any]]:
        """Return the named queries with their titles, descriptions and parameters."""
        from narcograph import queries

        return [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "parameters": [p.__dict__ for p in q.parameters],
            }
            for q in queries.registry().values()
        ]

    # -- ingest --------------------------------------------------------------------------------
    def ingest(self, paths: str | Path | Iterable[str | Path]) -> Any:
        """Ingest report files or folders; return the run's Summary."""
        from narcograph.ingest.pipeline import ingest_paths

        if isinstance(paths, str | Path):
            paths = [paths]
        return ingest_paths(paths, self.settings, self.store)

    def __len__(self) -> int:
        return len(self.store)


def to_dataframe(rows: Rows) -> Any:
    """Return rows as a pandas DataFrame: dates as datetime64, numbers numeric, unbound as NA."""
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "pandas is needed for DataFrames: pip install 'narcograph[notebook]', "
            "or use .rows() / .run_rows() for plain rows"
        ) from exc
    frame = pd.DataFrame.from_records(rows.rows, columns=rows.columns)
    for column in frame.columns:
        values = [v for v in frame[column] if v is not None]
        if not values:
            continue
        from datetime import date

        if all(isinstance(v, date) for v in values):
            frame[column] = pd.to_datetime(frame[column])
        elif all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            frame[column] = pd.to_numeric(frame[column])
    return frame


def open(path: str | Path | None = None, **settings: Any) -> KnowledgeGraph:  # noqa: A001
    """Open (or create) the embedded store at ``path``; return a KnowledgeGraph.

    Raises StoreError when the store is locked by another process.
    """
    config = load_settings(**({"store": str(path)} if path else {}), **settings)
    return KnowledgeGraph(GraphStore(config.store), config)
