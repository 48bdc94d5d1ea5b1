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

__all__ = ["KnowledgeGraph", "RemoteKnowledgeGraph", "connect", "open", "__version__"]


def __getattr__(name: str) -> object:
    # imported lazily: query worker processes import narcograph without needing rdflib
    if name in ("KnowledgeGraph", "RemoteKnowledgeGraph", "connect", "open"):
        from narcograph import api

        return getattr(api, name)
    raise AttributeError(f"module 'narcograph' has no attribute {name!r}")
