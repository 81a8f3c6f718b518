"""Patterns read as ECMA-262 reads them (ibl_mock/contract/ecma_regex.py)."""

from __future__ import annotations

import jsonschema_rs
import pytest

from ibl_mock.app import create_app
from ibl_mock.contract.ecma_regex import compiled, ecma
from ibl_mock.settings import Settings
from tests.conftest import SPECS

CASES = [
    (r"^\S+$", ["\x1d", "\x85", "\xa0", "\ufeff", "a b", "ab"]),
    (r"^\s+$", ["\x1d", "\xa0", "\ufeff", " \t"]),
    (r"^\d{2}$", ["٣٣", "33"]),
    (r"^\D$", ["٣", "3", "x"]),
    (r"^\w+$", ["é", "a_1"]),
    (r"^\W$", ["é", "a"]),
    (r"^[\s\d]+$", ["\x1d", "1 2", "٣"]),
    (r"^[\s\S]$", ["\x85", "\x1d", "\U0001f600", "\n"]),  # any character
    (r"^[\D\W]$", ["٣", "é", "3", "_"]),
    (r"^\\S$", ["\\S", "x"]),  # a backslash, then S
    (r"^$|^\S(.*\S)?$", ["", "\x1d\x16", " a"]),
]


@pytest.mark.parametrize(("pattern", "texts"), CASES)
def test_a_pattern_matches_what_ecma_262_matches(pattern: str, texts: list[str]) -> None:
    ours = compiled(pattern)
    theirs = jsonschema_rs.Draft4Validator({"pattern": pattern})
    assert ours is not None
    for text in texts:
        assert (ours.search(text) is not None) == theirs.is_valid(text), (pattern, text)


def test_shorthand_classes_become_sets_inside_and_outside_brackets() -> None:
    assert ecma(r"\d") == "[0-9]" and ecma(r"\D") == "[^0-9]"
    assert ecma(r"[\d-]") == "[0-9-]"
    assert ecma(r"[\D]") == r"[\U00000000-\U0000002f\U0000003a-\U0010ffff]"
    assert ecma(r"\\d") == r"\\d"  # an escaped backslash, then d
    assert ecma("plain") == "plain"


def test_a_pattern_python_cannot_read_judges_nothing() -> None:
    assert compiled(r"^\p{L}+$") is None


def test_requests_are_judged_by_ecma_262_classes() -> None:
    server = create_app(Settings.build(spec_path=SPECS / "ecma-patterns" / "openapi.yaml"))
    with server.app.test_client() as client:
        assert client.post("/labels", json={"text": "\x1d\x16"}).status_code == 200
        assert client.post("/labels", json={"text": "a b"}).status_code == 400
        assert client.post("/labels", json={"text": "a", "code": "٣"}).status_code == 400
