"""What a handler may know of the request beyond its parameters and the store, and the
request's headers as middleware reads them."""

from __future__ import annotations

from collections.abc import Iterable

import connexion


def request_url() -> str:
    """The absolute URL of the current request, as the client addressed it."""
    return str(connexion.request.url)


def header_map(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """ASGI headers as a mapping of lower-case names (a repeated one: its last value)."""
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in raw}
