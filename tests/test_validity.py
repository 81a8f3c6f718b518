"""openapi-spec-validator's errors, all of them, each at the node it is about."""

from __future__ import annotations

from typing import Any

from ibl_mock.checks.validity import conformance

OK = {"200": {"description": "ok"}}


def document(paths: dict[str, Any], **components: Any) -> dict[str, Any]:
    found = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}
    return {**found, "components": components} if components else found


def said(doc: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f.pointer, f.reason) for f in conformance(doc, "3.0")]


def test_every_structural_error_is_said_at_its_node() -> None:
    doc = document(
        {
            "/a": {
                "get": {"parameters": [{"name": "q", "in": "body", "schema": {}}], "responses": OK}
            },
            "/b": {"get": {"responses": {"200": {"content": {}}}}},
        }
    )
    assert said(doc) == [
        (
            "/paths/~1a/get/parameters/0/in",
            "'body' is not one of ['path', 'query', 'header', 'cookie']",
        ),
        ("/paths/~1b/get/responses/200", "'description' is a required property"),
    ]


def test_a_path_parameter_must_be_required() -> None:
    parameter = {"name": "id", "in": "path", "schema": {"type": "string"}}
    doc = document({"/a/{id}": {"get": {"parameters": [parameter], "responses": OK}}})
    assert said(doc) == [("/paths/~1a~1{id}/get/parameters/0", "'required' is a required property")]


def test_keyword_errors_are_located_where_the_node_is_written() -> None:
    pet = {"allOf": [{"type": "object"}], "required": ["nope"], "properties": {"id": {}}}
    ok = {
        "200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
        }
    }
    doc = document(
        {
            "/a": {"get": {"operationId": "same", "responses": ok}},
            "/b": {"get": {"operationId": "same", "responses": OK}},
        },
        schemas={"Pet": pet},
    )
    assert said(doc) == [
        ("/components/schemas/Pet/required", "Required list has not defined properties: ['nope']"),
        ("/paths/~1b/get/operationId", "Operation ID 'same' for 'get' in '/b' is not unique"),
    ]


def test_defaults_are_left_to_the_examples_check() -> None:
    schema = {"type": "integer", "default": "ten"}
    parameter = {"name": "q", "in": "query", "schema": schema}
    assert said(document({"/a": {"get": {"parameters": [parameter], "responses": OK}}})) == []


def test_a_quoted_value_too_long_to_read_is_named_by_its_kind() -> None:
    long_description = {"description": "x" * 100, "content": "not a map"}
    doc = document({"/a": {"get": {"requestBody": long_description, "responses": OK}}})
    [(where, reason)] = said(doc)
    assert where == "/paths/~1a/get/requestBody/content"
    assert reason == "'not a map' is not of type 'object'"
