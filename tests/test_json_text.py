"""json_text: a value's canonical JSON, by orjson or, where it refuses, the standard library."""

from __future__ import annotations

import json

from ibl_mock.json_text import canonical


def test_canonical_is_the_same_whatever_the_order() -> None:
    assert canonical({"b": 1, "a": {"d": 2, "c": 3}}) == canonical({"a": {"c": 3, "d": 2}, "b": 1})
    assert canonical({"b": [1.5, "é", None]}) == '{"b":[1.5,"é",null]}'.encode()


def test_what_json_lacks_is_written_as_its_str() -> None:
    assert canonical({"a": b"\x00"}) == b'{"a":"b\'\\\\x00\'"}'  # YAML's !!binary


def test_an_integer_past_64_bits_is_written_whole() -> None:
    assert json.loads(canonical({"n": 2**70, "m": 1})) == {"m": 1, "n": 2**70}
