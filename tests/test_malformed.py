"""Schema keywords of a wrong form: each found at the keyword and served as meant."""

from __future__ import annotations

from typing import Any

import pytest

from ibl_mock.checks.malformed import malformed, repaired
from ibl_mock.checks.pruning import pruned


def in_components(schema: Any, version: str = "3.0") -> dict[str, Any]:
    return {"openapi": f"{version}.3", "components": {"schemas": {"S": schema}}}


def repairs(schema: Any, version: str = "3.0") -> tuple[list[tuple[str, str]], Any]:
    """(pointer below the schema, reason) of each finding, and the schema as served."""
    document = in_components(schema, version)
    found = malformed(document, version)
    base = "/components/schemas/S"
    said = [(f.pointer.removeprefix(base), f.reason) for f in found.findings]
    return said, pruned(document, found.served)["components"]["schemas"]["S"]


CASES_30: list[tuple[Any, str, str, Any]] = [
    (
        {"type": "object", "required": ["id"], "properties": {"name": {"required": True}}},
        "/properties/name/required",
        "required: true on a property: 'name' is added to the object's required list",
        {"type": "object", "required": ["id", "name"], "properties": {"name": {}}},
    ),
    (
        {"properties": {"name": {"type": "string", "required": False}}},
        "/properties/name/required",
        "required: false on a property: dropped, a property is optional unless its object lists it",
        {"properties": {"name": {"type": "string"}}},
    ),
    (
        {"type": "file"},
        "/type",
        "type 'file' is not a JSON Schema type: served as string, format binary",
        {"type": "string", "format": "binary"},
    ),
    (
        {"type": "intger"},
        "/type",
        "'intger' is not one of ['array', 'boolean', 'integer', 'number', 'object', 'string']: "
        "served as 'integer', the nearest",
        {"type": "integer"},
    ),
    (
        {"type": "decimal"},
        "/type",
        "'decimal' is not one of ['array', 'boolean', 'integer', 'number', 'object', 'string']: "
        "dropped",
        {},
    ),
    ({"enum": "red"}, "/enum", "enum 'red' is not a list: served as ['red']", {"enum": ["red"]}),
    (
        {"type": "string", "enum": []},
        "/enum",
        "enum [] allows no value: dropped",
        {"type": "string"},
    ),
    (
        {"type": "string", "enum": [10, 20, "30"]},
        "/enum",
        "enum [10, 20, '30'] holds values that are not of type string: "
        "served as ['10', '20', '30']",
        {"type": "string", "enum": ["10", "20", "30"]},
    ),
    (
        {"type": "integer", "enum": ["1", 2]},
        "/enum",
        "enum ['1', 2] holds values that are not of type integer: served as [1, 2]",
        {"type": "integer", "enum": [1, 2]},
    ),
    (
        {"type": "array", "enum": ["alpha", "special"], "items": {"type": "string"}},
        "/enum",
        "enum ['alpha', 'special'] holds no value of type array: dropped",
        {"type": "array", "items": {"type": "string"}},
    ),
    ({"minimum": "5"}, "/minimum", "minimum '5' is not a number: served as 5", {"minimum": 5}),
    (
        {"maximum": "2.5"},
        "/maximum",
        "maximum '2.5' is not a number: served as 2.5",
        {"maximum": 2.5},
    ),
    ({"maximum": "many"}, "/maximum", "maximum 'many' is not a number: dropped", {}),
    ({"maxLength": -1}, "/maxLength", "maxLength -1 is not a count: dropped", {}),
    (
        {"minLength": 1.5},
        "/minLength",
        "minLength 1.5 is not a count: served as 2",
        {"minLength": 2},
    ),
    ({"maxItems": 3.7}, "/maxItems", "maxItems 3.7 is not a count: served as 3", {"maxItems": 3}),
    ({"multipleOf": 0}, "/multipleOf", "multipleOf 0 is not a positive number: dropped", {}),
    (
        {"type": "string", "pattern": r"^\p{L}+$"},
        "/pattern",
        "pattern '^\\\\p{L}+$' is not one Python's re reads (bad escape \\p at position 1), "
        "not checked: dropped",
        {"type": "string"},
    ),
    (
        {"pattern": "ab(?i)c"},
        "/pattern",
        "pattern 'ab(?i)c' is not one Python's re reads (global flags not at the start of the "
        "expression at position 2), not checked: dropped",
        {},
    ),
    (
        {"pattern": "(?<=a+)b"},
        "/pattern",
        "pattern '(?<=a+)b' is not one Python's re reads (look-behind requires fixed-width "
        "pattern), not checked: dropped",
        {},
    ),
    (
        {"type": "array"},
        "/type",
        "type array without items: any items served",
        {"type": "array", "items": {}},
    ),
    (
        {"type": "array", "items": [{"type": "integer"}, {"type": "string"}]},
        "/items",
        "items as a list (tuple form) is not 3.0's: served as anyOf its schemas",
        {"type": "array", "items": {"anyOf": [{"type": "integer"}, {"type": "string"}]}},
    ),
    ({"format": 7}, "/format", "format 7 is not a string: dropped", {}),
    (
        {"additionalProperties": "false"},
        "/additionalProperties",
        "additionalProperties 'false' is not a schema: served as False",
        {"additionalProperties": False},
    ),
    (
        {"type": ["string", "null"]},
        "/type",
        "type ['string', 'null'] is the OpenAPI 3.1 form: served as type string, nullable",
        {"type": "string", "nullable": True},
    ),
    (
        {"type": ["string", "integer"]},
        "/type",
        "type ['string', 'integer'] is the OpenAPI 3.1 form: served as anyOf of its types",
        {"anyOf": [{"type": "string"}, {"type": "integer"}]},
    ),
    (
        {"type": "integer", "exclusiveMinimum": 5},
        "/exclusiveMinimum",
        "exclusiveMinimum 5 is the OpenAPI 3.1 form: served as minimum 5, exclusiveMinimum true",
        {"type": "integer", "minimum": 5, "exclusiveMinimum": True},
    ),
    (
        {"$ref": "#/components/schemas/T", "description": "kept", "nullable": True},
        "/$ref",
        "nullable beside $ref, which OpenAPI 3.0 ignores: dropped",
        {"$ref": "#/components/schemas/T", "description": "kept"},
    ),
    (
        {"oneOf": [{"type": "string"}], "discriminator": {"mapping": {"a": "#/x"}}},
        "/discriminator",
        "discriminator without a propertyName: dropped",
        {"oneOf": [{"type": "string"}]},
    ),
    (
        {"properties": {"name": "string"}},
        "/properties/name",
        "property 'name' is 'string', not a schema: served as {'type': 'string'}",
        {"properties": {"name": {"type": "string"}}},
    ),
    (
        {"required": "name"},
        "/required",
        "required 'name' is not a list of property names: served as ['name']",
        {"required": ["name"]},
    ),
    ({"allOf": []}, "/allOf", "allOf [] is not a list of schemas: dropped", {}),
]


@pytest.mark.parametrize(("schema", "where", "reason", "served"), CASES_30)
def test_a_30_keyword_of_a_wrong_form_is_said_once_and_served_as_meant(
    schema: Any, where: str, reason: str, served: Any
) -> None:
    assert repairs(schema) == ([(where, reason)], served)


CASES_31: list[tuple[Any, str, str, Any]] = [
    (
        {"type": "string", "nullable": True},
        "/nullable",
        "nullable is not an OpenAPI 3.1 keyword: served as type ['string', 'null']",
        {"type": ["string", "null"]},
    ),
    (
        {"minimum": 1, "exclusiveMinimum": True},
        "/exclusiveMinimum",
        "exclusiveMinimum true is the OpenAPI 3.0 form: served as exclusiveMinimum 1",
        {"exclusiveMinimum": 1},
    ),
    (
        {"type": "array", "items": [{"type": "number"}, {"minimum": "0"}]},
        "/items",
        "items as a list (tuple form) is not 3.1's: served as prefixItems",
        {"type": "array", "prefixItems": [{"type": "number"}, {"minimum": 0}]},
    ),
    (
        {"type": ["string", "file"]},
        "/type",
        "type ['string', 'file'] names what is not a type: served as ['string']",
        {"type": ["string"]},
    ),
]


@pytest.mark.parametrize(("schema", "where", "reason", "served"), CASES_31)
def test_a_31_keyword_of_a_wrong_form_is_said_and_served_as_meant(
    schema: Any, where: str, reason: str, served: Any
) -> None:
    said, made = repairs(schema, "3.1")
    assert said[0] == (where, reason) and made == served


@pytest.mark.parametrize(
    ("schema", "version"),
    [
        ({"type": "string", "pattern": "^(?<word>[a-z]+)$"}, "3.0"),  # ECMA, and right
        ({"type": "string", "format": "stardate"}, "3.0"),  # formats are open-ended
        ({"type": "array", "items": {}}, "3.0"),
        ({"$ref": "#/x", "description": "d", "x-note": 1}, "3.0"),  # annotations beside $ref
        ({"$ref": "#/x", "minimum": 1}, "3.1"),  # 3.1 applies siblings
        ({"type": ["string", "null"]}, "3.1"),
        ({"type": "integer", "exclusiveMinimum": 5}, "3.1"),
        ({"required": ["a"], "properties": {"a": {"readOnly": True}}}, "3.0"),  # responses only
    ],
)
def test_what_is_right_as_written_is_not_a_finding(schema: Any, version: str) -> None:
    assert repairs(schema, version)[0] == []


def test_an_ecma_named_group_is_served_in_pythons_spelling() -> None:
    assert repairs({"pattern": "^(?<word>[a-z]+)$"})[1] == {"pattern": "^(?P<word>[a-z]+)$"}


def test_tuple_items_are_rebuilt_from_their_repaired_items_each_said() -> None:
    said, served = repairs({"type": "array", "items": [{"type": "file"}]})
    assert [where for where, _ in said] == ["/items", "/items/0/type"]
    assert served == {"type": "array", "items": {"type": "string", "format": "binary"}}


def test_a_property_with_required_beside_its_ref_is_said_once() -> None:
    ref = {"$ref": "#/components/schemas/T", "required": True}
    said, served = repairs({"properties": {"t": ref}})
    assert [where for where, _ in said] == ["/properties/t/required"]
    assert served == {"properties": {"t": {"$ref": "#/components/schemas/T"}}, "required": ["t"]}


def test_a_dropped_subtree_is_not_said_again() -> None:
    said, _ = repairs({"$ref": "#/x", "properties": {"a": {"type": "file"}}})
    assert [where for where, _ in said] == ["/$ref"]


def test_repaired_leaves_the_original_unchanged() -> None:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {"n": {"type": "integer", "minimum": "1"}},
    }
    assert repaired(schema, "3.0")["properties"]["n"]["minimum"] == 1
    assert schema["properties"]["n"]["minimum"] == "1"


def test_a_media_type_key_without_a_slash_is_read_as_meant_or_left_out() -> None:
    body = {"schema": {"type": "object"}}
    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "paths": {
            "/t": {
                "post": {
                    "requestBody": {"content": {"json": body}},
                    "responses": {"200": {"description": "ok", "content": {"bob": body}}},
                }
            }
        },
    }
    found = malformed(document, "3.0")
    said = {f.pointer: f.reason for f in found.findings}
    assert said == {
        "/paths/~1t/post/requestBody/content/json": "'json' is not a media type; read as "
        "application/json",
        "/paths/~1t/post/responses/200/content/bob": "'bob' is not a media type; left out",
    }
    served = pruned(document, found.served)["paths"]["/t"]["post"]
    assert served["requestBody"]["content"] == {"application/json": body}
    assert served["responses"]["200"]["content"] == {}
