"""coercion: parameter text typed by schemas without a plain `type`."""

from __future__ import annotations

from typing import Any

import pytest

from ibl_mock.pipeline.coercion import Schemas

DOCUMENT = {
    "components": {
        "schemas": {
            "Limit": {"type": "integer", "minimum": 1},
            "Color": {"enum": ["red", "green"]},
            "Level": {"enum": [1, 2, 3]},
            "Alias": {"$ref": "#/components/schemas/Limit"},
        }
    }
}
SCHEMAS = Schemas(DOCUMENT)
INTEGER = {"type": "integer"}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


@pytest.mark.parametrize(
    ("text", "schema", "read"),
    [
        ("5", ref("Alias"), 5),  # a $ref chain
        ("5", {"allOf": [ref("Limit"), {"maximum": 9}]}, 5),
        ("2", ref("Level"), 2),  # a bare enum of integers
        ("red", ref("Color"), "red"),
        ("true", {"oneOf": [INTEGER, {"type": "boolean"}]}, True),
        ("7", {"oneOf": [INTEGER, {"type": "boolean"}]}, 7),
        ("all", {"anyOf": [INTEGER, {"type": "string", "enum": ["all"]}]}, "all"),
        ("null", {"type": ["integer", "null"]}, None),  # OpenAPI 3.1
        ("8", {"type": ["integer", "null"]}, 8),
        ("2.5", {"type": ["number", "string"]}, 2.5),
        ("x", {"type": ["integer", "null"]}, "x"),  # fits none: validation names it
        ("2.5", INTEGER, "2.5"),
        ("1.5e+32", INTEGER, 1.5e32),  # whole: JSON Schema's integer
        ("5.0", INTEGER, "5.0"),  # below 2**53 a client writes an integer whole
        ("0.0", INTEGER, "0.0"),
        ("1_000", INTEGER, "1_000"),  # what int() takes, JSON does not
        ("inf", {"type": "number"}, "inf"),
        ("9" * 5000, INTEGER, "9" * 5000),  # more digits than int() converts
        ("1e999", {"type": "number"}, "1e999"),
        ("5", {}, "5"),  # any value: text is one
        ("5", {"$ref": "#/nowhere"}, "5"),
    ],
)  # fmt: skip
def test_text_is_typed_by_any_alternative_it_fits(text: str, schema: Any, read: Any) -> None:
    assert SCHEMAS.typed(text, schema) == read


def test_items_and_properties_are_found_through_refs_and_compositions() -> None:
    array = {"allOf": [{"type": "array", "items": ref("Level")}]}
    assert SCHEMAS.typed(["1", "x"], array) == [1, "x"]
    anything = {"type": "object", "additionalProperties": INTEGER}
    assert SCHEMAS.typed({"a": "1", "b": {"c": "2"}}, anything) == {"a": 1, "b": {"c": "2"}}


def test_a_composition_that_holds_itself_is_followed_only_so_deep() -> None:
    looping: dict[str, Any] = {"anyOf": [{"type": "integer"}]}
    looping["anyOf"].append(looping)  # as Connexion resolves a schema referring to itself
    looping["allOf"] = [looping]
    assert SCHEMAS.typed("5", looping) == 5
    assert SCHEMAS.items(looping) == {}
