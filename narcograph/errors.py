"""The exception hierarchy, translated to exit codes by the CLI and to status codes by HTTP."""

from __future__ import annotations


class NarcographError(Exception):
    """Base of every error narcograph raises on purpose."""


class ConfigError(NarcographError):
    """A setting is missing or malformed."""


class IngestError(NarcographError):
    """A report could not be turned into a graph; ``where`` says which file (and line)."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class ReadError(IngestError):
    """A report file is unreadable: empty, binary, badly encoded or malformed."""


class ValidationFailed(IngestError):
    """A report's graph violates the shapes; ``violations`` lists them in plain words."""

    def __init__(self, where: str, violations: list) -> None:
        super().__init__(f"{len(violations)} SHACL violation(s)", where)
        self.violations = violations


class QueryError(NarcographError):
    """A query is malformed, unknown or misses a parameter."""


class StoreError(NarcographError):
    """The store cannot be opened or written (e.g. it is locked by a running server)."""
