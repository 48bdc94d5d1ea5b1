"""One resolver for package data (ontology, shapes, queries, gazetteers)."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable


def data_file(package: str, name: str) -> Traversable:
    """Return the packaged file ``name`` of ``narcograph.<package>``.

    >>> data_file("ontology", "narcograph.ttl").name
    'narcograph.ttl'
    """
    return resources.files(f"narcograph.{package}").joinpath(name)


def read_text(package: str, name: str) -> str:
    """Return the text of a packaged data file (UTF-8)."""
    return data_file(package, name).read_text(encoding="utf-8")


def list_files(package: str, suffix: str) -> list[Traversable]:
    """Return the packaged files of ``narcograph.<package>`` ending in ``suffix``, sorted by name."""
    root = resources.files(f"narcograph.{package}")
    return sorted((p for p in root.iterdir() if p.name.endswith(suffix)), key=lambda p: p.name)
