"""Removing and replacing nodes by pointer, sharing what is not on the way."""

from __future__ import annotations

from typing import Any

from ibl_mock.checks.pruning import REMOVE, pruned


def test_nodes_are_removed_or_replaced_and_the_rest_shared() -> None:
    document: dict[str, Any] = {
        "a": {"list": [0, 1, 2, 3], "gone": 1, "kept": {"deep": True}},
        "other": {"untouched": [1]},
    }
    changes = {"/a/list/1": REMOVE, "/a/list/3": REMOVE, "/a/gone": REMOVE, "/a/kept": {}}
    out = pruned(document, {**changes, "/a/kept/deep": REMOVE, "/nowhere/x": REMOVE})
    assert out == {"a": {"list": [0, 2], "kept": {}}, "other": {"untouched": [1]}}
    assert out["other"] is document["other"]
    assert document["a"]["list"] == [0, 1, 2, 3] and "gone" in document["a"]


def test_no_changes_is_the_same_document() -> None:
    document: dict[str, Any] = {"a": 1}
    assert pruned(document, {}) is document


def test_a_replacement_for_a_missing_member_adds_it() -> None:
    document: dict[str, Any] = {"s": {"type": "file"}, "list": [1]}
    out = pruned(document, {"/s/type": "string", "/s/format": "binary", "/s/gone": REMOVE,
                            "/list/5": 2, "/nowhere/x": 1})  # fmt: skip
    assert out == {"s": {"type": "string", "format": "binary"}, "list": [1]}
    assert document["s"] == {"type": "file"}
