"""Swagger 2.0 documents converted to OpenAPI 3.0: each rule, tolerance, and serving."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate
from starlette.testclient import TestClient

from ibl_mock.app import create_app
from ibl_mock.contract.bundle import bundle
from ibl_mock.contract.refs import pointer_get
from ibl_mock.contract.spec import read_document
from ibl_mock.contract.swagger2 import Conversion, Note, is_swagger2, to_openapi30
from ibl_mock.settings import Settings
from tests.conftest import SPECS

SCENARIOS = SPECS / "swagger2"
PETSTORE = SCENARIOS / "petstore.yaml"


def swagger(**fields: Any) -> dict[str, Any]:
    """A minimal 2.0 document with `fields` added."""
    return {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}, **fields}


def operation(op: dict[str, Any], path: str = "/things", **fields: Any) -> dict[str, Any]:
    """The converted form of one GET operation `op` at `path`."""
    op = {"responses": {"200": {"description": "ok"}}, **op}
    document = to_openapi30(swagger(paths={path: {"get": op}}, **fields)).document
    converted: dict[str, Any] = document["paths"][path]["get"]
    return converted


def messages(conversion: Conversion) -> list[str]:
    return [str(note) for note in conversion.notes]


def converted_file(source: Path, folder: Path) -> Path:
    """`source` read, bundled and converted as the loader does, written to `folder`."""
    document = bundle(read_document(source), source, read_document)
    target = folder / "openapi.json"
    target.write_text(json.dumps(to_openapi30(document).document))
    return target


# -- recognising a 2.0 document ---------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"swagger": "2.0"}, True),
        ({"swagger": 2.0}, True),  # unquoted in YAML
        ({"openapi": "3.0.3"}, False),
        ({"swagger": "1.2"}, False),
        (["swagger", "2.0"], False),
    ],
)
def test_is_swagger2(document: Any, expected: bool) -> None:
    assert is_swagger2(document) is expected


# -- servers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "urls"),
    [
        ({}, ["/"]),
        ({"basePath": "/v2"}, ["/v2"]),
        ({"host": "api.example.com"}, ["//api.example.com"]),
        (
            {"host": "api.example.com", "basePath": "/v2/", "schemes": ["https", "http"]},
            ["https://api.example.com/v2", "http://api.example.com/v2"],
        ),
        ({"host": "https://api.example.com/", "schemes": ["https"]}, ["https://api.example.com"]),
    ],
)
def test_host_base_path_and_schemes_become_servers(fields: dict[str, Any], urls: list[str]) -> None:
    document = to_openapi30(swagger(**fields)).document
    assert [server["url"] for server in document["servers"]] == urls


def test_operation_schemes_become_operation_servers() -> None:
    op = operation({"schemes": ["wss"]}, host="h.example.com", basePath="/v1", schemes=["https"])
    assert op["servers"] == [{"url": "wss://h.example.com/v1"}]


# -- components and references ----------------------------------------------------------


def test_definitions_and_refs_move_to_components_at_any_depth() -> None:
    definitions = {
        "a/b": {"type": "string"},
        "t~x": {"type": "integer"},
        "Box": {
            "type": "object",
            "properties": {
                "slash": {"$ref": "#/definitions/a~1b"},
                "tilde": {"type": "array", "items": {"$ref": "#/definitions/t~0x"}},
                "deep": {"allOf": [{"additionalProperties": {"$ref": "#/definitions/Box"}}]},
            },
        },
    }
    document = to_openapi30(swagger(definitions=definitions)).document
    box = document["components"]["schemas"]["Box"]["properties"]
    assert box["slash"] == {"$ref": "#/components/schemas/a~1b"}
    assert box["tilde"]["items"] == {"$ref": "#/components/schemas/t~0x"}
    assert box["deep"]["allOf"][0]["additionalProperties"] == {"$ref": "#/components/schemas/Box"}
    # the escapes still name the same schemas
    assert pointer_get(document, box["slash"]["$ref"]) == {"type": "string"}
    assert pointer_get(document, box["tilde"]["items"]["$ref"]) == {"type": "integer"}


def test_global_parameters_and_responses_move_to_components() -> None:
    document = to_openapi30(
        swagger(
            consumes=["application/json"],
            parameters={
                "limit": {"name": "limit", "in": "query", "type": "integer"},
                "thing": {"name": "thing", "in": "body", "schema": {"type": "object"}},
                "upload": {"name": "upload", "in": "formData", "type": "file"},
            },
            responses={"Gone": {"description": "gone", "schema": {"type": "string"}}},
        )
    ).document
    components = document["components"]
    assert components["parameters"] == {
        "limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}
    }
    assert components["requestBodies"]["thing"]["content"] == {
        "application/json": {"schema": {"type": "object"}}
    }
    assert components["responses"]["Gone"]["content"] == {
        "application/json": {"schema": {"type": "string"}}
    }
    assert "upload" not in components["parameters"]  # inlined where it is used


def test_refs_to_body_and_form_parameters_become_request_bodies() -> None:
    parameters = {
        "thing": {"name": "thing", "in": "body", "schema": {"type": "object"}},
        "caption": {"name": "caption", "in": "formData", "type": "string"},
        "limit": {"name": "limit", "in": "query", "type": "integer"},
    }
    body_ref = operation({"parameters": [{"$ref": "#/parameters/thing"}]}, parameters=parameters)
    assert body_ref["requestBody"] == {"$ref": "#/components/requestBodies/thing"}
    # another media type than the shared body's: a copy with this operation's
    inlined = operation(
        {"consumes": ["application/xml"], "parameters": [{"$ref": "#/parameters/thing"}]},
        parameters=parameters,
    )
    assert list(inlined["requestBody"]["content"]) == ["application/xml"]
    form = operation(
        {"parameters": [{"$ref": "#/parameters/caption"}, {"$ref": "#/parameters/limit"}]},
        parameters=parameters,
    )
    assert form["parameters"] == [{"$ref": "#/components/parameters/limit"}]
    schema = form["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
    assert schema["properties"] == {"caption": {"type": "string"}}


def test_a_ref_into_a_body_parameters_schema_follows_it() -> None:
    document = to_openapi30(
        swagger(
            parameters={"thing": {"name": "thing", "in": "body", "schema": {"type": "object"}}},
            definitions={"Copy": {"$ref": "#/parameters/thing/schema"}},
        )
    ).document
    ref = document["components"]["schemas"]["Copy"]["$ref"]
    assert ref == "#/components/requestBodies/thing/content/application~1json/schema"
    assert pointer_get(document, ref) == {"type": "object"}


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [
        ({"type": "basic"}, {"type": "http", "scheme": "basic"}),
        (
            {"type": "apiKey", "name": "X-Key", "in": "header", "description": "d"},
            {"type": "apiKey", "name": "X-Key", "in": "header", "description": "d"},
        ),
        (
            {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a", "scopes": {}},
            {
                "type": "oauth2",
                "flows": {"implicit": {"authorizationUrl": "https://a", "scopes": {}}},
            },
        ),
        (
            {"type": "oauth2", "flow": "password", "tokenUrl": "https://t", "scopes": {"r": "x"}},
            {
                "type": "oauth2",
                "flows": {"password": {"tokenUrl": "https://t", "scopes": {"r": "x"}}},
            },
        ),
        (
            {"type": "oauth2", "flow": "application", "tokenUrl": "https://t"},
            {
                "type": "oauth2",
                "flows": {"clientCredentials": {"tokenUrl": "https://t", "scopes": {}}},
            },
        ),
        (
            {
                "type": "oauth2",
                "flow": "accessCode",
                "authorizationUrl": "https://a",
                "tokenUrl": "https://t",
                "scopes": {},
                "x-extra": 1,
            },
            {
                "type": "oauth2",
                "flows": {
                    "authorizationCode": {
                        "authorizationUrl": "https://a",
                        "tokenUrl": "https://t",
                        "scopes": {},
                    }
                },
                "x-extra": 1,
            },
        ),
    ],
)
def test_security_definitions_become_security_schemes(
    scheme: dict[str, Any], expected: dict[str, Any]
) -> None:
    document = to_openapi30(swagger(securityDefinitions={"s": scheme})).document
    assert document["components"]["securitySchemes"]["s"] == expected


def test_an_unknown_security_scheme_is_left_out_with_a_note() -> None:
    conversion = to_openapi30(swagger(securityDefinitions={"s": {"type": "magic"}}))
    assert "components" not in conversion.document
    assert messages(conversion) == [
        "/securityDefinitions/s: security scheme type 'magic' has no 3.0 form; left out"
    ]


# -- parameters -------------------------------------------------------------------------


def test_a_plain_parameter_gets_a_schema_from_its_value_fields() -> None:
    param = {
        "name": "size",
        "in": "query",
        "description": "how many",
        "required": False,
        "allowEmptyValue": True,
        "type": "integer",
        "format": "int32",
        "minimum": 1,
        "maximum": 10,
        "default": 5,
        "enum": [1, 5, 10],
        "x-example": 5,
        "x-internal": True,
    }
    assert operation({"parameters": [param]})["parameters"] == [
        {
            "name": "size",
            "in": "query",
            "description": "how many",
            "required": False,
            "allowEmptyValue": True,
            "schema": {
                "type": "integer",
                "format": "int32",
                "minimum": 1,
                "maximum": 10,
                "default": 5,
                "enum": [1, 5, 10],
            },
            "example": 5,
            "x-example": 5,
            "x-internal": True,
        }
    ]


@pytest.mark.parametrize(
    ("location", "form", "style", "explode"),
    [
        ("query", None, "form", False),  # csv is 2.0's default
        ("query", "csv", "form", False),
        ("query", "multi", "form", True),
        ("query", "ssv", "spaceDelimited", False),
        ("query", "pipes", "pipeDelimited", False),
        ("query", "tsv", "spaceDelimited", False),  # approximated, with a note
        ("path", "csv", "simple", False),
        ("header", "csv", "simple", False),
        ("header", "pipes", "simple", False),  # impossible there: csv, with a note
    ],
)
def test_collection_format_becomes_style_and_explode(
    location: str, form: str | None, style: str, explode: bool
) -> None:
    param = {"name": "ids", "in": location, "required": True, "type": "array"}
    param.update({"items": {"type": "string"}}, **({"collectionFormat": form} if form else {}))
    path = "/things/{ids}" if location == "path" else "/things"
    conversion = to_openapi30(swagger(paths={path: {"get": {"parameters": [param]}}}))
    converted = conversion.document["paths"][path]["get"]["parameters"][0]
    assert (converted["style"], converted["explode"]) == (style, explode)
    assert converted["schema"] == {"type": "array", "items": {"type": "string"}}
    notes = [n.message for n in conversion.notes if "collectionFormat" in n.message]
    assert bool(notes) is (form in ("tsv", "pipes") and (form == "tsv" or location == "header"))


def test_path_level_parameters_stay_and_body_ones_go_to_each_operation() -> None:
    item = {
        "parameters": [
            {"name": "id", "in": "path", "required": True, "type": "string"},
            {"name": "note", "in": "body", "schema": {"type": "string"}},
        ],
        "put": {"responses": {"204": {"description": "done"}}},
        "patch": {
            "parameters": [{"name": "note", "in": "body", "schema": {"type": "integer"}}],
            "responses": {"204": {"description": "done"}},
        },
    }
    converted = to_openapi30(swagger(paths={"/things/{id}": item})).document["paths"]
    assert converted["/things/{id}"]["parameters"] == [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    ]
    put, patch = converted["/things/{id}"]["put"], converted["/things/{id}"]["patch"]
    assert put["requestBody"]["content"]["application/json"]["schema"] == {"type": "string"}
    assert patch["requestBody"]["content"]["application/json"]["schema"] == {"type": "integer"}


# -- request bodies ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("global_consumes", "op_consumes", "media"),
    [
        (None, None, ["application/json"]),
        (["application/xml"], None, ["application/xml"]),
        (
            ["application/xml"],
            ["text/plain", "application/json"],
            ["text/plain", "application/json"],
        ),
    ],
)
def test_a_body_parameter_becomes_a_request_body_per_consumed_media_type(
    global_consumes: list[str] | None, op_consumes: list[str] | None, media: list[str]
) -> None:
    body = {
        "name": "pet",
        "in": "body",
        "required": True,
        "description": "the pet",
        "schema": {"$ref": "#/definitions/Pet"},
        "x-examples": {"application/json": {"name": "Rex"}},
    }
    op = {"parameters": [body], **({"consumes": op_consumes} if op_consumes else {})}
    fields: dict[str, Any] = {"consumes": global_consumes} if global_consumes else {}
    request = operation(op, **fields)["requestBody"]
    assert request["description"] == "the pet"
    assert request["required"] is True
    assert request["x-codegen-request-body-name"] == "pet"
    assert [mt for mt in request["content"] if mt != "application/json" or mt in media] == media
    for mt in media:
        assert request["content"][mt]["schema"] == {"$ref": "#/components/schemas/Pet"}
    assert request["content"]["application/json"]["example"] == {"name": "Rex"}


def test_form_parameters_become_a_url_encoded_object() -> None:
    params = [
        {"name": "user", "in": "formData", "type": "string", "required": True, "description": "u"},
        {"name": "tags", "in": "formData", "type": "array", "items": {"type": "string"}},
        {"name": "n", "in": "formData", "type": "integer", "default": 1},
    ]
    request = operation({"parameters": params})["requestBody"]
    assert request == {
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "user": {"type": "string", "description": "u"},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "n": {"type": "integer", "default": 1},
                    },
                    "required": ["user"],
                },
                "encoding": {"tags": {"style": "form", "explode": False}},
            }
        },
        "required": True,
    }


@pytest.mark.parametrize(
    ("consumes", "has_file", "media"),
    [
        (None, True, ["multipart/form-data"]),
        (["multipart/form-data"], False, ["multipart/form-data"]),
        (
            ["application/x-www-form-urlencoded", "multipart/form-data"],
            False,
            ["application/x-www-form-urlencoded", "multipart/form-data"],
        ),
        (["application/x-www-form-urlencoded"], True, ["multipart/form-data"]),
    ],
)
def test_a_file_or_consumes_makes_a_form_multipart(
    consumes: list[str] | None, has_file: bool, media: list[str]
) -> None:
    params: list[dict[str, Any]] = [{"name": "title", "in": "formData", "type": "string"}]
    if has_file:
        params.append({"name": "file", "in": "formData", "type": "file", "required": True})
    op = {"parameters": params, **({"consumes": consumes} if consumes else {})}
    content = operation(op)["requestBody"]["content"]
    assert list(content) == media
    if has_file:
        assert content["multipart/form-data"]["schema"]["properties"]["file"] == {
            "type": "string",
            "format": "binary",
        }


# -- responses --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("global_produces", "op_produces", "media"),
    [
        (None, None, ["application/json"]),
        (["application/xml", "application/json"], None, ["application/xml", "application/json"]),
        (["application/xml"], ["text/csv"], ["text/csv"]),
    ],
)
def test_a_response_schema_becomes_content_per_produced_media_type(
    global_produces: list[str] | None, op_produces: list[str] | None, media: list[str]
) -> None:
    response = {"description": "ok", "schema": {"type": "string"}}
    op = {"responses": {200: response}, **({"produces": op_produces} if op_produces else {})}
    fields: dict[str, Any] = {"produces": global_produces} if global_produces else {}
    converted = operation(op, **fields)["responses"]
    assert list(converted) == ["200"]  # YAML's integer codes become strings
    assert converted["200"]["content"] == {mt: {"schema": {"type": "string"}} for mt in media}


def test_response_examples_headers_and_files() -> None:
    responses = {
        "200": {
            "description": "ok",
            "schema": {"type": "object"},
            "examples": {"application/json": {"a": 1}, "text/plain": "a=1"},
            "headers": {
                "X-Rate": {"type": "integer", "description": "left", "x-example": 3},
                "X-Ids": {"type": "array", "items": {"type": "integer"}},
            },
            "x-note": "kept",
        },
        "201": {"description": "the file", "schema": {"type": "file"}},
        "204": {"description": "nothing"},
    }
    converted = operation({"responses": responses})["responses"]
    assert converted["200"]["content"] == {
        "application/json": {"schema": {"type": "object"}, "example": {"a": 1}},
        "text/plain": {"schema": {"type": "object"}, "example": "a=1"},
    }
    assert converted["200"]["headers"] == {
        "X-Rate": {
            "description": "left",
            "schema": {"type": "integer"},
            "example": 3,
            "x-example": 3,
        },
        "X-Ids": {"schema": {"type": "array", "items": {"type": "integer"}}},
    }
    assert converted["200"]["x-note"] == "kept"
    assert converted["201"]["content"]["application/json"]["schema"] == {
        "type": "string",
        "format": "binary",
    }
    assert converted["204"] == {"description": "nothing"}


def test_a_shared_response_is_referenced_or_copied_for_other_media_types() -> None:
    fields: dict[str, Any] = {
        "responses": {"Gone": {"description": "gone", "schema": {"type": "string"}}}
    }
    referenced = operation({"responses": {"410": {"$ref": "#/responses/Gone"}}}, **fields)
    assert referenced["responses"]["410"] == {"$ref": "#/components/responses/Gone"}
    copied = operation(
        {"produces": ["text/plain"], "responses": {"410": {"$ref": "#/responses/Gone"}}}, **fields
    )
    assert copied["responses"]["410"]["content"] == {"text/plain": {"schema": {"type": "string"}}}


# -- schemas ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string", "x-nullable": True}, {"type": "string", "nullable": True}),
        ({"type": "string", "x-nullable": False}, {"type": "string"}),
        ({"type": "file"}, {"type": "string", "format": "binary"}),
        (
            {"type": "object", "discriminator": "kind", "required": ["kind"]},
            {"type": "object", "discriminator": {"propertyName": "kind"}, "required": ["kind"]},
        ),
        (
            {"type": "string", "example": "x", "x-a": 1},
            {"type": "string", "example": "x", "x-a": 1},
        ),
        ({"type": ["string", "null"]}, {"type": "string", "nullable": True}),
        (
            {"type": "object", "required": ["a"], "properties": {"b": {"required": True}}},
            {"type": "object", "required": ["a", "b"], "properties": {"b": {}}},
        ),
        ({"type": "object", "required": []}, {"type": "object"}),
        (
            {"$ref": "#/definitions/A", "description": "ignored by 3.0"},
            {"$ref": "#/components/schemas/A"},
        ),
        (
            {"type": "object", "additionalProperties": {"type": "file"}},
            {"type": "object", "additionalProperties": {"type": "string", "format": "binary"}},
        ),
        (
            {"type": "object", "additionalProperties": True},
            {"type": "object", "additionalProperties": True},
        ),
    ],
)
def test_schema_rules(schema: dict[str, Any], expected: dict[str, Any]) -> None:
    document = to_openapi30(swagger(definitions={"S": schema})).document
    assert document["components"]["schemas"]["S"] == expected


@pytest.mark.parametrize(
    ("schema", "note"),
    [
        ({"type": "object", "id": "x"}, "/definitions/S/id: 'id' is not a 3.0 schema keyword"),
        ({"type": "date"}, "/definitions/S/type: type 'date' is unknown; left out"),
        ({"items": [{"type": "string"}]}, "/definitions/S/items: a list of item schemas"),
        ({"$ref": "#/definitions/A", "x-nullable": True}, "/definitions/S: x-nullable beside $ref"),
        ({"exclusiveMaximum": True}, "/definitions/S/exclusiveMaximum: exclusiveMaximum without"),
    ],
)
def test_what_a_schema_cannot_keep_is_noted(schema: dict[str, Any], note: str) -> None:
    assert any(
        message.startswith(note)
        for message in messages(to_openapi30(swagger(definitions={"S": schema})))
    )


# -- what is kept -----------------------------------------------------------------------


def test_info_tags_security_docs_extensions_and_operation_fields_are_kept() -> None:
    source = swagger(
        info={"title": "t", "version": 2, "x-logo": "l.png"},
        tags=[{"name": "a"}],
        security=[{"key": []}],
        externalDocs={"url": "https://docs"},
        **{"x-top": {"k": "v"}},
    )
    source["paths"] = {
        "/a": {
            "x-path": 1,
            "get": {
                "operationId": "getA",
                "tags": ["a"],
                "summary": "s",
                "description": "d",
                "deprecated": True,
                "security": [],
                "externalDocs": {"url": "https://op"},
                "x-op": 2,
                "responses": {"200": {"description": "ok"}},
            },
        }
    }
    document = to_openapi30(source).document
    assert document["openapi"] == "3.0.3"
    assert document["info"] == {"title": "t", "version": "2", "x-logo": "l.png"}
    assert document["tags"] == [{"name": "a"}]
    assert document["security"] == [{"key": []}]
    assert document["externalDocs"] == {"url": "https://docs"}
    assert document["x-top"] == {"k": "v"}
    assert document["paths"]["/a"]["x-path"] == 1
    assert document["paths"]["/a"]["get"] == {
        "operationId": "getA",
        "tags": ["a"],
        "summary": "s",
        "description": "d",
        "deprecated": True,
        "security": [],
        "externalDocs": {"url": "https://op"},
        "x-op": 2,
        "responses": {"200": {"description": "ok"}},
    }


def test_the_input_is_not_changed_and_the_output_is_deterministic() -> None:
    source = read_document(PETSTORE)
    before = copy.deepcopy(source)
    first, second = to_openapi30(source), to_openapi30(source)
    assert source == before
    assert json.dumps(first.document) == json.dumps(second.document)
    assert first.notes == second.notes
    first.document["paths"]["/pets"]["get"]["parameters"].clear()
    first.document["components"]["schemas"]["Pet"]["required"].clear()
    assert source == before  # nothing shared


# -- untidy documents -------------------------------------------------------------------


@pytest.mark.parametrize("paths", [None, "nonsense", {}, {"/a": None}, {"/a": []}])
def test_missing_or_broken_paths_convert_to_a_valid_document(paths: Any) -> None:
    source = swagger()
    source["paths"] = paths
    validate(to_openapi30(source).document)
    del source["paths"]
    validate(to_openapi30(source).document)


def test_untidy_parameters_are_kept_where_possible_and_noted() -> None:
    params = [
        {"name": "q", "in": "query", "type": "string"},
        {"name": "q", "in": "query", "type": "integer"},
        {"$ref": "#/parameters/missing"},
        {"name": "other", "in": "path", "required": True, "type": "string"},
        {"name": "body", "in": "body"},
        "nonsense",
    ]
    conversion = to_openapi30(swagger(paths={"/a/{id}": {"get": {"parameters": params}}}))
    op = conversion.document["paths"]["/a/{id}"]["get"]
    assert op["parameters"] == [
        {"name": "q", "in": "query", "schema": {"type": "string"}},
        {"$ref": "#/components/parameters/missing"},  # left for the loader to report
        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
    ]
    assert op["requestBody"]["content"] == {"application/json": {"schema": {}}}
    assert op["responses"] == {"default": {"description": ""}}
    assert messages(conversion) == [
        "/paths/~1a~1{id}/get/parameters/1: a second query parameter 'q'; the first is kept",
        "/paths/~1a~1{id}/get/parameters/2: '#/parameters/missing' does not resolve in this "
        "document",
        "/paths/~1a~1{id}/get/parameters/5: not a parameter object; left out",
        "/paths/~1a~1{id}/get/parameters/3: path parameter 'other' is not in the path; left out",
        "/paths/~1a~1{id}/get: path parameter 'id' is not declared; declared as a string",
        "/paths/~1a~1{id}/get/parameters/4: body parameter without a schema; any body is accepted",
        "/paths/~1a~1{id}/get/responses: no responses; an empty default response is documented",
    ]


def test_refs_to_schemas_or_nameless_parameters_and_odd_media_types_are_left_out() -> None:
    op = {
        "produces": ["bob", "text/plain"],
        "parameters": [
            {"$ref": "#/definitions/Thing"},  # a schema, not a parameter
            {"in": "query", "type": "string"},  # no name
        ],
        "responses": {"200": {"description": "ok", "schema": {"type": "string"}}},
    }
    conversion = to_openapi30(
        swagger(definitions={"Thing": {"type": "string"}}, paths={"/a": {"get": op}})
    )
    converted = conversion.document["paths"]["/a"]["get"]
    assert "parameters" not in converted
    assert list(converted["responses"]["200"]["content"]) == ["text/plain"]
    assert messages(conversion) == [
        "/paths/~1a/get/produces: 'bob' is not a media type; left out",
        "/paths/~1a/get/parameters/0: not a parameter (it has no 'in'); left out",
        "/paths/~1a/get/parameters/1: a parameter without a name; left out",
    ]


def test_schemas_in_an_extension_that_refs_point_into_are_converted() -> None:
    # grpc-gateway writes streamed messages under x-stream-definitions and refers to them.
    source = swagger(
        definitions={"Msg": {"type": "object"}},
        **{
            "x-stream-definitions": {
                "MsgStream": {
                    "type": "object",
                    "properties": {"result": {"$ref": "#/definitions/Msg"}},
                    "x-nullable": True,
                }
            },
            "x-other": {"kept": {"$ref": "#/definitions/Msg"}},
        },
    )
    source["paths"] = {
        "/s": {
            "get": {
                "responses": {
                    "200": {
                        "description": "a stream",
                        "schema": {"$ref": "#/x-stream-definitions/MsgStream"},
                    }
                }
            }
        }
    }
    document = to_openapi30(source).document
    validate(document)
    assert document["x-stream-definitions"]["MsgStream"] == {
        "type": "object",
        "properties": {"result": {"$ref": "#/components/schemas/Msg"}},
        "nullable": True,
    }
    assert document["x-other"] == {"kept": {"$ref": "#/definitions/Msg"}}  # literal: as written


def test_a_dangling_definition_ref_is_moved_and_left_for_the_loader() -> None:
    document = to_openapi30(swagger(definitions={"A": {"$ref": "#/definitions/Nope"}})).document
    assert document["components"]["schemas"]["A"] == {"$ref": "#/components/schemas/Nope"}


@pytest.mark.parametrize(
    "junk",
    [
        {"info": None},
        {"info": "text"},
        {"definitions": None},
        {"definitions": {"A": None, "B": 3}},
        {"parameters": {"p": None, "q": {"in": "body"}, "r": {"$ref": "#/parameters/r"}}},
        {"responses": {"R": None, "S": {"schema": "x"}}},
        {"securityDefinitions": {"a": None, "b": {"type": "oauth2"}, "c": {"type": "apiKey"}}},
        {"paths": {"/a": {"get": None, "put": "x", "post": {"responses": None}}}},
        {"paths": {"/a": {"get": {"parameters": {"not": "a list"}, "responses": []}}}},
        {"paths": {"/a": {"get": {"responses": {"200": None, "abc": {}, 200: "x"}}}}},
        {"consumes": 3, "produces": [None, 1], "schemes": "https", "host": 5},
    ],
)
def test_never_raises_on_junk(junk: dict[str, Any]) -> None:
    conversion = to_openapi30(swagger(**junk))
    assert conversion.document["openapi"] == "3.0.3"
    assert all(isinstance(note, Note) for note in conversion.notes)


JUNK: list[Any] = [None, 0, "", "x", True, [], {}, [None], {"$ref": 3}, {"$ref": "#/nope"},
                   {"$ref": "#/parameters/petBody/schema"}, {"type": "file"}, {"in": "body"},
                   {"type": {"a": 1}}, {"items": "x"}, {"properties": []}, {"allOf": {}},
                   {"required": "a"}, {"examples": {"a/b": 1, 3: 4}}, {1: 2}]  # fmt: skip


def locations(node: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield at
    children = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else []
    )
    for key, value in children:
        yield from locations(value, (*at, key))


def put(document: Any, at: tuple[Any, ...], value: Any) -> None:
    """`value` at `at`, if an earlier change left that place there."""
    try:
        parent = document
        for key in at[:-1]:
            parent = parent[key]
        parent[at[-1]] = value
    except (LookupError, TypeError):
        pass


def test_never_raises_on_a_petstore_with_random_junk_in_it() -> None:
    source = read_document(PETSTORE)
    places = [at for at in locations(source) if at]
    rng = random.Random(0)
    for _ in range(300):
        document = copy.deepcopy(source)
        for at in rng.sample(places, 3):
            put(document, at, copy.deepcopy(rng.choice(JUNK)))
        before = copy.deepcopy(document)
        assert to_openapi30(document).document["openapi"] == "3.0.3"
        assert document == before


def test_the_untidy_scenario_converts_to_a_valid_document() -> None:
    conversion = to_openapi30(read_document(SCENARIOS / "untidy.yaml"))
    validate(conversion.document)
    assert "/paths/noslash: a path must start with '/'; left out" in messages(conversion)


# -- end to end -------------------------------------------------------------------------


def test_the_petstore_converts_to_valid_openapi_30_without_notes() -> None:
    conversion = to_openapi30(read_document(PETSTORE))
    validate(conversion.document)
    assert conversion.notes == ()
    document = conversion.document
    assert [s["url"] for s in document["servers"]] == [
        "https://petstore.example.com/v2",
        "http://petstore.example.com/v2",
    ]
    assert document["paths"]["/pets"]["get"]["parameters"][0] == {
        "$ref": "#/components/parameters/limit"
    }
    assert document["paths"]["/pets"]["post"]["requestBody"] == {
        "$ref": "#/components/requestBodies/petBody"
    }


@pytest.fixture
def petstore(tmp_path: Path) -> Iterator[TestClient]:
    spec = converted_file(PETSTORE, tmp_path)
    with TestClient(create_app(Settings.build(spec_path=spec)).app) as client:
        client.headers["X-Api-Key"] = "any"
        yield client


def test_the_converted_petstore_is_served_under_its_base_path(petstore: TestClient) -> None:
    listed = petstore.get("/v2/pets", params={"limit": 5, "status": ["available", "sold"]})
    assert listed.status_code == 200
    assert isinstance(listed.json(), list)
    too_few = petstore.get("/v2/pets", params={"limit": 0})
    assert (too_few.status_code, too_few.json()["detail"]) == (
        400,
        "Query parameter 'limit': 0 is less than the minimum of 1",
    )
    unknown = petstore.get("/v2/pets", params={"status": "lost"})  # multi: an enum per item
    assert unknown.status_code == 400
    # The shared NotFound response documents an Error body, so the 404 has its shape.
    missing = petstore.get("/v2/pets/99999")
    assert (missing.status_code, set(missing.json())) == (404, {"code", "message"})
    assert petstore.get("/v2/pets", headers={"X-Api-Key": ""}).status_code == 401
    photo = petstore.get("/v2/pets/1/photo.png")
    assert (photo.status_code, photo.headers["content-type"]) == (200, "image/png")
    assert petstore.get("/pets").status_code == 404  # only under basePath


def test_the_converted_petstore_takes_bodies_forms_and_files(petstore: TestClient) -> None:
    created = petstore.post("/v2/pets", json={"name": "Rex", "petType": "Dog"})
    assert created.status_code == 201
    assert created.json()["name"] == "Rex"
    nameless = petstore.post("/v2/pets", json={"petType": "Dog"})
    assert nameless.json()["detail"] == "'name' is a required property"
    upload = petstore.post(
        "/v2/pets/1/photo", data={"caption": "hi"}, files={"file": ("a.png", b"\x89PNG")}
    )
    assert upload.status_code == 200
    no_file = petstore.post("/v2/pets/1/photo", files={"caption": (None, b"no file")})
    assert (no_file.status_code, no_file.json()["detail"]) == (400, "'file' is a required property")
    assert petstore.post("/v2/pets/1/photo", data={"caption": "a"}).status_code == 415
    login = petstore.post("/v2/login", data={"username": "a", "password": "b"})
    assert login.status_code == 200
    no_password = petstore.post("/v2/login", data={"username": "a"})
    assert no_password.json()["detail"] == "'password' is a required property"


def test_a_multi_file_document_is_bundled_then_converted(tmp_path: Path) -> None:
    spec = converted_file(SCENARIOS / "multi-file" / "swagger.yaml", tmp_path)
    document = json.loads(spec.read_text())
    validate(document)
    page = document["paths"]["/notes"]["get"]["parameters"][0]
    assert page == {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}}
    with TestClient(create_app(Settings.build(spec_path=spec)).app) as client:
        created = client.post("/api/notes", json={"text": "hello", "author": None})
        assert created.status_code == 201
        assert client.get("/api/notes", params={"page": 1}).status_code == 200
