"""Which operations cannot be served as written, and why; dangling `$ref`s."""

from __future__ import annotations

from typing import Any

import pytest

from ibl_mock.checks.servable import dangling, left_out

OK = {"200": {"description": "ok"}}


def document(operation: Any, **extra: Any) -> dict[str, Any]:
    return {"openapi": "3.0.3", "paths": {"/x": {"get": operation}}, **extra}


def why(doc: dict[str, Any]) -> list[tuple[str, str]]:
    return [(o.why.pointer, o.why.reason) for o in left_out(doc, dangling(doc))]


@pytest.mark.parametrize(
    ("operation", "where", "reason"),
    [
        (12, "", "the operation is not an object"),
        ({}, "/responses", "no responses are documented"),
        ({"responses": {"200": {"description": "", "content": ["json"]}}}, "/responses/200",
         "the response is not an object of media types"),
        ({"parameters": [{"in": "query"}], "responses": OK}, "/parameters/0",
         "the parameter has no name or no place ('in')"),
        ({"parameters": [{"name": "q", "in": "query", "schema": "string"}], "responses": OK},
         "/parameters/0", "the parameter's schema is not a schema object"),
        ({"requestBody": {"required": True}, "responses": OK}, "/requestBody",
         "the request body documents no media types"),
        ({"security": [{"nope": []}], "responses": OK}, "/security/0/nope",
         "security scheme 'nope' is not defined"),
        ({"responses": {"200": {"$ref": "#/nope"}}}, "/responses/200",
         "unresolvable $ref '#/nope'"),
    ],
)  # fmt: skip
def test_an_operation_broken_beyond_use_is_left_out(
    operation: Any, where: str, reason: str
) -> None:
    assert why(document(operation)) == [(f"/paths/~1x/get{where}", reason)]


def test_the_documents_security_is_checked_where_the_operation_inherits_it() -> None:
    doc = document({"responses": OK}, security=[{"key": []}])
    assert why(doc) == [("/security/0/key", "security scheme 'key' is not defined")]
    doc["components"] = {
        "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "K"}}
    }
    assert why(doc) == []


def test_a_dangling_ref_reached_through_others_is_named_at_the_operation() -> None:
    schemas = {"A": {"properties": {"b": {"$ref": "#/components/schemas/B"}}},
               "B": {"items": {"$ref": "#/components/schemas/Gone"}},
               "Loop": {"properties": {"self": {"$ref": "#/components/schemas/Loop"}}}}  # fmt: skip
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}
    loop = {"application/json": {"schema": {"$ref": "#/components/schemas/Loop"}}}
    doc = {
        "paths": {
            "/x": {"get": {"responses": {"200": {"description": "", "content": content}}}},
            "/y": {"get": {"responses": {"200": {"description": "", "content": loop}}}},
        },
        "components": {"schemas": schemas},
    }
    assert [f.pointer for f in dangling(doc)] == ["/components/schemas/B/items"]
    assert why(doc) == [
        (
            "/paths/~1x/get/responses/200/content/application~1json/schema",
            "leads to the unresolvable $ref '#/components/schemas/Gone'",
        )
    ]


def test_a_well_formed_operation_stays() -> None:
    parameter = {"name": "q", "in": "query", "schema": {"type": "string"}}
    assert why(document({"parameters": [parameter], "responses": OK})) == []
