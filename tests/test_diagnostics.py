"""Findings: JSON pointers, lines in YAML and JSON text, the report and its cap."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ibl_mock.checks.diagnostics import (
    REPORT_LIMIT,
    Finding,
    one_line,
    parts_of,
    pointer,
    report,
    unique,
    with_lines,
)

YAML = """\
openapi: 3.0.3
paths:
  /pets/{id}:
    get:
      responses:
        "200":
          content:
            application/json:
              example: {name: 5}
"""


def test_pointers_escape_slashes_and_tildes() -> None:
    where = pointer(["paths", "/pets/{id}", "get", "a~b"])
    assert where == "/paths/~1pets~1{id}/get/a~0b"
    assert parts_of(where) == ["paths", "/pets/{id}", "get", "a~b"]
    assert parts_of("") == []


def test_findings_are_placed_on_their_lines_in_order() -> None:
    example = "/paths/~1pets~1{id}/get/responses/200/content/application~1json/example"
    found = with_lines(
        [Finding(example + "/name", "late"), Finding("/paths/~1pets~1{id}", "early")], YAML
    )
    assert [(f.line, f.reason) for f in found] == [(3, "early"), (9, "late")]


def test_a_pointer_the_file_does_not_hold_has_no_line() -> None:
    found = with_lines([Finding("/paths/~1elsewhere/get", "bundled from another file")], YAML)
    assert found[0].line is None
    assert found[0].describe(Path("api.yaml")) == (
        "api.yaml: /paths/~1elsewhere/get: bundled from another file"
    )


def test_json_text_gets_lines_too() -> None:
    text = '{\n  "paths": {\n    "/x": {\n      "get": 5\n    }\n  }\n}\n'
    assert with_lines([Finding("/paths/~1x/get", "not an object")], text)[0].line == 4


def test_one_finding_per_place_keeping_what_is_unused() -> None:
    found = unique(
        [Finding("/a", "first"), Finding("/a", "second", unused="/a"), Finding("/b", "b")]
    )
    assert found == [Finding("/a", "first", unused="/a"), Finding("/b", "b")]


def test_a_long_message_keeps_its_start_and_end_on_one_line() -> None:
    text = "start " + "x" * 500 + "\n end"
    short = one_line(text)
    assert len(short) <= 200 and short.startswith("start xx") and short.endswith("x end")
    assert "\n" not in short


def test_the_report_says_the_first_fifty_then_how_many_more() -> None:
    findings = [Finding(f"/paths/~1p{n}", f"problem {n}", line=n + 1) for n in range(60)]
    lines = report(Path("api.yaml"), findings, ["GET /p0 (why)"], REPORT_LIMIT, "served anyway")
    assert lines[0] == "api.yaml: 60 problems, served anyway:"
    assert lines[1] == "  api.yaml:1: /paths/~1p0: problem 0"
    assert lines[51] == "  ... and 10 more (ibl-mock validate api.yaml)"
    assert lines[52] == "  Left out (not served): GET /p0 (why)"
    assert len(report(Path("api.yaml"), findings, [], None, "not valid")) == 61
    assert report(Path("api.yaml"), [], [], None, "fine") == []


def test_findings_placed_already_keep_their_lines_without_composing_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "openapi: 3.0.3\npaths:\n  /a: {}\n  /b: {}\n"
    a, b = Finding("/paths/~1a", "one"), Finding("/paths/~1b", "two")
    placed = with_lines([a], text)
    assert [f.line for f in placed] == [3]

    def never(*_: object, **__: object) -> object:
        raise AssertionError("composed again")

    with monkeypatch.context() as patched:
        patched.setattr(yaml, "compose", never)
        assert with_lines([a], text, placed) == placed  # known: its line, no compose
    again = with_lines([b, a], text, placed)  # one new: composed once, both placed
    assert [(f.reason, f.line) for f in again] == [("one", 3), ("two", 4)]
