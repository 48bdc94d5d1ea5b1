"""The write token: bearer authentication, compared in constant time, never logged."""

from __future__ import annotations

import hmac

from flask import request

from narcograph.config import Settings
from narcograph.endpoint.errors import Forbidden, Unauthorized


def require_token(settings: Settings) -> None:
    """Return when the request carries the configured write token.

    Raises Forbidden (403) when writes are disabled (no token configured) or the token is
    wrong, Unauthorized (401) when the request has no bearer token.
    """
    if not settings.token:
        raise Forbidden(
            "writes are disabled: this endpoint is read-only because no write token is "
            "configured (narcograph serve --token, or NARCOGRAPH_TOKEN)"
        )
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthorized("this request writes: send the header 'Authorization: Bearer <token>'")
    if not hmac.compare_digest(value.strip().encode("utf-8"), settings.token.encode("utf-8")):
        raise Forbidden("the bearer token is not valid")
