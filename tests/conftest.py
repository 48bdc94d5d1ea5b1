"""Shared fixtures: a fresh store and settings in tmp_path, the example reports, a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from narcograph.config import Settings, load_settings
from narcograph.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "reports"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    for var in ("NARCOGRAPH_STORE", "NARCOGRAPH_CONFIG", "NARCOGRAPH_TOKEN", "NARCOGRAPH_BASE_IRI"):
        monkeypatch.delenv(var, raising=False)
    return load_settings(store=str(tmp_path / "store"))


@pytest.fixture
def store(settings: Settings) -> GraphStore:
    return GraphStore(settings.store)


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for var in ("NARCOGRAPH_STORE", "NARCOGRAPH_CONFIG", "NARCOGRAPH_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    return CliRunner()
