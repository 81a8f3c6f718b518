"""Examples and defaults are checked against their own schema, as the mock would use them."""

from __future__ import annotations

from typing import Any

from ibl_mock.checks.examples import breaking_values

PET = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": {"type": "integer", "readOnly": True},
        "secret": {"type": "string", "writeOnly": True},
    },
}


def media(example_key: str, value: Any) -> dict[str, Any]:
    return {
        "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}, example_key: value}
    }


def document(operation: dict[str, Any], version: str = "3.0.3") -> dict[str, Any]:
    return {
        "openapi": version,
        "paths": {"/pets": {"post": operation}},
        "components": {
            "schemas": {"Pet": PET},
            "examples": {"Cat": {"value": {"id": "cat"}}},
        },
    }


def said(doc: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    version = doc["openapi"][:3]
    return [(f.pointer, f.unused, f.reason) for f in breaking_values(doc, version)]


def test_response_examples_are_read_as_sent_request_ones_as_received() -> None:
    operation = {
        "requestBody": {"content": media("example", {"secret": "s"})},  # no id: read-only
        "responses": {
            "201": {"description": "", "content": media("example", {"id": 1, "secret": "s"})}
        },
    }
    [(where, unused, reason)] = said(document(operation))
    assert unused == "/paths/~1pets/post/responses/201/content/application~1json/example"
    assert where == f"{unused}/secret"
    assert (
        reason
        == "example does not fit its schema, not used: Tried to read write-only property with s"
    )


def test_a_31_response_example_holding_a_write_only_value_is_not_used() -> None:
    # JSON Schema 2020-12: a writeOnly value is never present when read back; clients
    # (schemathesis) refuse one in a response, and a required one is not asked there.
    operation = {
        "responses": {
            "200": {"description": "", "content": media("example", {"id": 1, "secret": "s"})},
            "201": {"description": "", "content": media("example", {"id": 2})},
        },
    }
    pet = {**PET, "required": ["id", "secret"]}
    doc = document(operation, "3.1.0")
    doc["components"]["schemas"]["Pet"] = pet
    [(where, unused, _)] = said(doc)
    assert unused == "/paths/~1pets/post/responses/200/content/application~1json/example"
    assert where == f"{unused}/secret"


def test_a_referenced_example_is_named_where_it_is_used() -> None:
    examples = {"cat": {"$ref": "#/components/examples/Cat"}, "dog": {"value": {"id": 2}}}
    operation = {"responses": {"200": {"description": "", "content": media("examples", examples)}}}
    [(where, unused, reason)] = said(document(operation))
    assert (
        where == unused == "/paths/~1pets/post/responses/200/content/application~1json/examples/cat"
    )
    assert reason.startswith("example 'cat' (#/components/examples/Cat) does not fit its schema")


def test_a_31_schema_example_list_is_checked_item_by_item() -> None:
    schema = {"type": ["string", "null"], "examples": ["fine", None, 3], "default": 4}
    parameter = {"name": "q", "in": "query", "schema": schema}
    operation = {"parameters": [parameter], "responses": {"200": {"description": ""}}}
    base = "/paths/~1pets/post/parameters/0/schema"
    assert [(w, r.rsplit(": ", 1)[-1]) for w, _, r in said(document(operation, "3.1.0"))] == [
        (f"{base}/default", "4 is not of type 'string', 'null'"),
        (f"{base}/examples/2", "3 is not of type 'string', 'null'"),
    ]


def test_a_schema_the_validator_cannot_apply_is_not_judged_here() -> None:
    schema = {"type": "intger", "example": 5}
    operation = {"parameters": [{"name": "q", "in": "query", "schema": schema}], "responses": {}}
    assert said(document(operation)) == []


def test_a_response_example_matching_two_options_of_a_discriminated_one_of_breaks_it() -> None:
    # The discriminator tags it, yet a client's JSON Schema validator finds two options
    either = {"type": "object", "properties": {"kind": {"type": "string"}}}
    schema = {"oneOf": [either, either], "discriminator": {"propertyName": "kind"}}
    content = {"application/json": {"schema": schema, "example": {"kind": "A"}}}
    operation = {"responses": {"200": {"description": "", "content": content}}}
    [(where, unused, reason)] = said(document(operation))
    assert where == unused == "/paths/~1pets/post/responses/200/content/application~1json/example"
    said_first = "example does not fit its schema, not used: {'kind': 'A'} is valid under each of"
    assert reason.startswith(said_first)
