"""One line per request, as text for people or JSON for log collectors."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TextIO

from ..settings import AccessLog
from .journal import Entry


def text_line(entry: Entry) -> str:
    query = f"?{entry.query}" if entry.query else ""
    status = "dropped" if entry.status is None else str(entry.status)
    operation = entry.operation_id or "-"
    return f"{entry.method} {entry.path}{query} {operation} {status} {entry.duration_ms:.1f}ms"


def json_line(entry: Entry) -> str:
    fields = {
        "time": entry.time,
        "method": entry.method,
        "path": entry.path,
        "query": entry.query,
        "operation_id": entry.operation_id,
        "status": entry.status,
        "duration_ms": entry.duration_ms,
    }
    return json.dumps(fields, ensure_ascii=False)


def access_logger(mode: AccessLog, out: TextIO | None = None) -> Callable[[Entry], None] | None:
    """A journal listener printing each request, or None when the log is off."""
    if mode == "off":
        return None
    format_line = json_line if mode == "json" else text_line

    def write(entry: Entry) -> None:
        stream = out or sys.stdout
        stream.write(format_line(entry) + "\n")
        stream.flush()

    return write
