"""Echoes the `limit` it is given, to show which default the mock applied."""

from __future__ import annotations

from typing import Any


def listReports(limit: Any = None, **_: Any) -> tuple[dict[str, Any], int]:
    return {"limit": limit}, 200
