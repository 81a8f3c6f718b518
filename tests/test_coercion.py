"""coercion: parameter text typed by schemas without a plain `type`, laid out by style."""

from __future__ import annotations

from typing import Any

import pytest

from ibl_mock.coercion import Schemas, deep_object, exploded_object, serialised, simple

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


def query(schema: dict[str, Any], **param: Any) -> dict[str, Any]:
    return {"in": "query", "name": "q", "schema": schema, **param}


LIST = {"type": "array", "items": INTEGER}
OBJECT = {"type": "object", "properties": {"x": INTEGER}}


@pytest.mark.parametrize(
    ("values", "param", "laid_out"),
    [
        (["1", "2"], query(LIST), ["1", "2"]),  # form, exploded: one item per occurrence
        (["1,2"], query(LIST), ["1,2"]),
        (["1,2"], query(LIST, explode=False), ["1", "2"]),
        (["1 2"], query(LIST, style="spaceDelimited", explode=False), ["1", "2"]),
        (["1|2"], query(LIST, style="pipeDelimited", explode=False), ["1", "2"]),
        ([""], query(LIST, explode=False), []),
        (["null"], query({**LIST, "nullable": True}, explode=False), "null"),
        (["x,1,y,2"], query(OBJECT, explode=False), {"x": "1", "y": "2"}),
        (["a", "b"], query({"oneOf": [{"type": "string"}, {"type": "array"}]}), ["a", "b"]),
        (["a", "b"], query({"type": "string"}), "b"),  # the last one, as Connexion reads it
        (['{"x": 1}'], {"in": "query", "name": "q", "content": {"application/json": {}}},
         {"x": 1}),
    ],
)  # fmt: skip
def test_query_values_are_laid_out_by_style(
    values: list[str], param: dict[str, Any], laid_out: Any
) -> None:
    assert serialised(values, param, SCHEMAS) == laid_out


def path(schema: dict[str, Any], **param: Any) -> dict[str, Any]:
    return {"in": "path", "name": "p", "schema": schema, **param}


@pytest.mark.parametrize(
    ("text", "param", "laid_out"),
    [
        ("1,2", path(LIST), ["1", "2"]),
        ("x=1,y=2", path(OBJECT, explode=True), {"x": "1", "y": "2"}),
        (".1.2", path(LIST, style="label", explode=True), ["1", "2"]),
        (".1,2", path(LIST, style="label"), ["1", "2"]),
        (";p=1,2", path(LIST, style="matrix"), ["1", "2"]),
        (";p=1;p=2", path(LIST, style="matrix", explode=True), ["1", "2"]),
        (";x=1;y=2", path(OBJECT, style="matrix", explode=True), {"x": "1", "y": "2"}),
        (";p=5", path(INTEGER, style="matrix"), "5"),
    ],
)  # fmt: skip
def test_path_values_are_laid_out_by_style(text: str, param: dict[str, Any], laid_out: Any) -> None:
    assert simple(text, param, SCHEMAS) == laid_out


def test_deep_objects_nest() -> None:
    sent = {"f[size]": ["3"], "f[at][x]": ["1"], "other": ["y"]}
    assert deep_object("f", sent) == {"size": "3", "at": {"x": "1"}}
    assert deep_object("g", sent) is None


def test_an_exploded_object_gathers_its_properties_from_the_query() -> None:
    sent = {"x": ["1"], "y": ["2"], "page": ["3"]}
    assert exploded_object(query(OBJECT), sent, {"q", "page"}, SCHEMAS) == {"x": "1"}
    free = query({"type": "object"})
    assert exploded_object(free, sent, {"q", "page"}, SCHEMAS) == {"x": "1", "y": "2"}
