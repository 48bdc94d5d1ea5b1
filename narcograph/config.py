"""Settings: defaults, then a config file, then NARCOGRAPH_* environment variables, then overrides."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from narcograph.errors import ConfigError

DEFAULT_BASE = "https://w3id.org/narcograph/id/"


@dataclass(frozen=True)
class Settings:
    """Every knob narcograph has; see the README's "Configuration" section."""

    store: str = "narcograph-data"
    base_iri: str = DEFAULT_BASE
    host: str = "127.0.0.1"
    port: int = 7878
    threads: int = 4
    token: str | None = None
    query_timeout: float = 30.0
    result_limit: int = 100_000
    max_body_bytes: int = 10 * 1024 * 1024
    service_allowlist: tuple[str, ...] = field(default=("https://query.wikidata.org/sparql",))
    redaction_key: str | None = None


_ENV_PREFIX = "NARCOGRAPH_"


def _coerce(name: str, raw: object, current: object) -> object:
    try:
        if isinstance(current, bool):
            return str(raw).lower() in {"1", "true", "yes", "on"}
        if isinstance(current, int):
            return int(raw)  # type: ignore[arg-type]
        if isinstance(current, float):
            return float(raw)  # type: ignore[arg-type]
        if isinstance(current, tuple):
            if isinstance(raw, list | tuple):
                return tuple(str(x) for x in raw)
            return tuple(x.strip() for x in str(raw).split(",") if x.strip())
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name!r}: cannot use {raw!r} ({exc})") from exc
    return None if raw in (None, "") else str(raw)


def load_settings(config_file: str | Path | None = None, **overrides: object) -> Settings:
    """Return settings layered as defaults → TOML file → environment → ``overrides``.

    Raises ConfigError for an unreadable file or a value of the wrong type.
    """
    settings = Settings()
    known = {f.name for f in fields(Settings)}
    layers: list[dict[str, object]] = []
    path = config_file or os.environ.get(_ENV_PREFIX + "CONFIG")
    if path:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"config file {path}: {exc}") from exc
        section = data.get("narcograph", data)
        unknown = set(section) - known
        if unknown:
            raise ConfigError(f"config file {path}: unknown setting(s) {', '.join(sorted(unknown))}")
        layers.append(section)
    layers.append(
        {name: os.environ[_ENV_PREFIX + name.upper()] for name in known if _ENV_PREFIX + name.upper() in os.environ}
    )
    layers.append({k: v for k, v in overrides.items() if v is not None})
    for layer in layers:
        changes = {k: _coerce(k, v, getattr(settings, k)) for k, v in layer.items() if k in known}
        settings = replace(settings, **changes)
    if not settings.base_iri.endswith(("/", "#")):
        raise ConfigError(f"base_iri must end with '/' or '#': {settings.base_iri!r}")
    return settings
