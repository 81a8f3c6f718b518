"""Credentials in bodies: fields whose names say they hold one are masked wherever a body's
values are kept or said (the journal, the proxy's report, recordings, violation messages)."""

from __future__ import annotations

import json
import re
from typing import Any

MASK = "***"

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


def masked_text(text: str) -> str:
    """A body's text with its credential-like fields masked, when it is JSON."""
    if not text.lstrip().startswith(("{", "[")):
        return text
    try:
        value = json.loads(text)
    except ValueError:
        return text
    hidden = masked(value)
    return text if hidden == value else json.dumps(hidden, ensure_ascii=False)
