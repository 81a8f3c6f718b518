"""Credentials in bodies: fields whose names say they hold one are masked wherever the
proxy keeps or says a body's values (report, recordings, violation messages)."""

from __future__ import annotations

import re
from typing import Any

from ..control.journal import MASK

SECRET_FIELD = re.compile(r"pass(word)?|secret|token|api[_-]?key|private[_-]?key", re.I)


def masked(value: Any) -> Any:
    """`value` with every field whose name says it holds a credential replaced."""
    if isinstance(value, dict):
        return {
            k: MASK if isinstance(v, str) and SECRET_FIELD.search(str(k)) else masked(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [masked(item) for item in value]
    return value


def secret_path(parts: Any) -> bool:
    """Whether a location in a body passes through a credential-like field."""
    return any(SECRET_FIELD.search(str(part)) for part in parts)
