"""One line per request: text for people, JSON for collectors."""

from __future__ import annotations

import io
import json

from ibl_mock.control.access_log import access_logger, json_line, text_line
from ibl_mock.control.journal import Entry

ENTRY = Entry(
    7,
    "2026-01-01T10:00:00Z",
    "GET",
    "/books/",
    "page=2",
    {},
    None,
    None,
    False,
    200,
    3.14159,
    "books_list",
)


def test_a_text_line_holds_method_path_operation_status_and_duration() -> None:
    assert text_line(ENTRY) == "GET /books/?page=2 books_list 200 3.1ms"
    dropped = Entry(8, "t", "DELETE", "/books/1/", "", {}, None, None, False, None, 2.0, None)
    assert text_line(dropped) == "DELETE /books/1/ - dropped 2.0ms"


def test_a_json_line_is_one_object() -> None:
    line = json.loads(json_line(ENTRY))
    assert line == {
        "time": "2026-01-01T10:00:00Z", "method": "GET", "path": "/books/", "query": "page=2",
        "operation_id": "books_list", "status": 200, "duration_ms": 3.14159,
    }  # fmt: skip


def test_the_logger_writes_lines_or_is_off() -> None:
    out = io.StringIO()
    log = access_logger("text", out)
    assert log is not None
    log(ENTRY)
    log(ENTRY)
    assert out.getvalue().count("\n") == 2
    assert access_logger("off") is None
