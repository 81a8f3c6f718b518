"""contract/path_index: the templates a concrete path may match, found by segment."""

from __future__ import annotations

import random

from ibl_mock.contract.path_index import TemplateIndex
from ibl_mock.contract.spec import path_pattern

TEMPLATES = [
    "/things/",
    "/things/{id}/",
    "/things/{id}/parts/{part}",
    "/things/special/",
    "/files/{name}:download",
    "/files/{name}",
    "/",
    "/a//b",
]


def linear(templates: list[str], path: str) -> list[int]:
    return [i for i, t in enumerate(templates) if path_pattern(t).fullmatch(path)]


def test_candidates_hold_every_match_in_the_original_order() -> None:
    index = TemplateIndex(TEMPLATES)
    assert index.candidates("/things/special/") == [1, 3]  # `{id}` may be "special" too
    assert index.candidates("/files/x:download") == [4, 5]
    assert index.candidates("/things/7/parts/2") == [2]
    assert index.candidates("/nowhere") == []
    assert index.candidates("/a//b") == [7]


def test_templates_it_cannot_place_are_always_tried() -> None:
    index = TemplateIndex(["/x/", None, "/y/"])
    assert index.candidates("/x/") == [0, 1] and index.candidates("/z") == [1]


def test_it_never_loses_a_match_a_scan_finds() -> None:
    chosen = random.Random(7)
    words = ["things", "special", "parts", "1", "x:download", "files", "", "a", "b"]
    index = TemplateIndex(TEMPLATES)
    for _ in range(3000):
        path = "/" + "/".join(chosen.choice(words) for _ in range(chosen.randint(0, 4)))
        found = index.candidates(path)
        assert found == sorted(found)
        assert set(linear(TEMPLATES, path)) <= set(found), path
