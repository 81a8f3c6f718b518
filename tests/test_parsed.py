"""contract/parsed: large YAML texts remembered as JSON, keyed by their text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ibl_mock.contract.parsed import (
    WORTH_REMEMBERING,
    parsed_yaml,
    reading_file,
    record_reading,
)
from ibl_mock.contract.spec import read_yaml
from tests.conftest import ROOT


def large(word: str) -> str:
    lines = [f"k{i}: {{'200': {word}, on: 2024-01-02, n: .nan}}" for i in range(20000)]
    text = "\n".join(lines)
    assert len(text) > WORTH_REMEMBERING
    return text


class Counted:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, text: str) -> Any:
        self.calls += 1
        return read_yaml(text)


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path


def test_a_text_parsed_before_is_read_back_the_same() -> None:
    parse = Counted()
    first = parsed_yaml(large("yes"), parse)
    again = parsed_yaml(large("yes"), parse)
    assert parse.calls == 1
    assert first["k7"]["200"] is True and first["k7"]["on"] == "2024-01-02"
    assert again.keys() == first.keys() and again["k7"]["200"] is True
    assert again["k7"]["n"] != again["k7"]["n"]  # NaN stays NaN


def test_an_edited_text_is_parsed_again() -> None:
    parse = Counted()
    parsed_yaml(large("yes"), parse)
    assert parsed_yaml(large("no"), parse)["k1"]["200"] is False
    assert parse.calls == 2


def test_small_texts_are_not_remembered(own_cache: Path) -> None:
    parse = Counted()
    parsed_yaml("a: 1", parse)
    parsed_yaml("a: 1", parse)
    assert parse.calls == 2 and not (own_cache / "ibl-mock" / "parsed").exists()


def test_a_cache_that_cannot_be_written_is_no_error(own_cache: Path) -> None:
    (own_cache / "ibl-mock").write_text("a file where the folder would be")
    assert parsed_yaml(large("yes"), Counted())["k3"]["200"] is True


def test_data_json_cannot_hold_is_parsed_every_time() -> None:
    parse = Counted()
    text = large("yes") + "\nblob: !!binary aGVsbG8="
    assert parsed_yaml(text, parse)["blob"] == b"hello"
    assert parsed_yaml(text, parse)["blob"] == b"hello" and parse.calls == 2


def test_a_reading_recorded_beside_the_text_is_used_even_with_no_cache(
    tmp_path: Path, own_cache: Path
) -> None:
    source = tmp_path / "openapi.yaml"
    record_reading(source, large("yes"), read_yaml(large("yes")))
    parse = Counted()
    assert parsed_yaml(large("yes"), parse, source)["k5"]["200"] is True
    assert parse.calls == 0 and not (own_cache / "ibl-mock" / "parsed").exists()


def test_a_reading_recorded_of_another_text_is_ignored(tmp_path: Path) -> None:
    source = tmp_path / "openapi.yaml"
    record_reading(source, large("yes"), read_yaml(large("yes")))
    parse = Counted()
    assert parsed_yaml(large("no"), parse, source)["k5"]["200"] is False
    assert parse.calls == 1


def test_a_small_text_gets_no_record_and_loses_a_stale_one(tmp_path: Path) -> None:
    source = tmp_path / "openapi.yaml"
    reading_file(source).write_text("stale\n{}")
    assert record_reading(source, "a: 1", {"a": 1}) is None
    assert not reading_file(source).exists()


def test_the_ibl_api_carries_its_reading_as_it_is_now() -> None:
    # `make contract` records it; a stale one would cost every first start two seconds
    source = ROOT / "spec" / "openapi.yaml"

    def never(text: str) -> Any:
        raise AssertionError("the YAML was parsed")

    assert parsed_yaml(source.read_text(encoding="utf-8"), never, source)["openapi"]
