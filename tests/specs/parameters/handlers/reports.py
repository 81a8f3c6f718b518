"""Echo the parameters as the handler receives them, to show how they were read."""

from __future__ import annotations

from typing import Any


def getReport(**kwargs: Any) -> Any:
    return {k: v for k, v in kwargs.items() if k not in ("store", "token_info", "user")}, 200


def getPoint(**kwargs: Any) -> Any:
    return {k: v for k, v in kwargs.items() if k not in ("store", "token_info", "user")}, 200
