"""narcograph: a knowledge graph of counter-narcotics operations built from open reports.

>>> import narcograph
>>> kg = narcograph.open("narcograph-data")        # doctest: +SKIP
>>> kg.run("operations")                            # doctest: +SKIP
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("narcograph")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"

from narcograph.api import KnowledgeGraph, RemoteKnowledgeGraph, connect, open  # noqa: E402,A004

__all__ = ["KnowledgeGraph", "RemoteKnowledgeGraph", "connect", "open", "__version__"]
