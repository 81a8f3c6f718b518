"""What a handler may know of the request beyond its parameters and the store."""

from __future__ import annotations

import connexion


def request_url() -> str:
    """The absolute URL of the current request, as the client addressed it."""
    return str(connexion.request.url)
