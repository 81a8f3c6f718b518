"""Error bodies take the documented shape and still fit its schema (responses.ErrorShaper)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ibl_mock.contract.spec import Spec, index_operations
from ibl_mock.serving.responses import BodyMaker, ErrorShaper, read_checker


def shaper_for(
    error_schema: dict[str, Any], media: str = "application/json"
) -> tuple[ErrorShaper, Any]:
    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/x": {
                "get": {
                    "operationId": "get_x",
                    "responses": {
                        "200": {"description": "ok"},
                        "404": {
                            "description": "gone",
                            "content": {media: {"schema": error_schema}},
                        },
                    },
                }
            }
        },
    }
    spec = Spec(path=Path("t.yaml"), document=document, operations=index_operations(document))
    return ErrorShaper(spec, BodyMaker(document, 0)), read_checker(document, error_schema)


def test_the_message_goes_where_the_schema_has_room_for_it() -> None:
    schema = {
        "type": "object",
        "required": ["code", "message"],
        "properties": {"code": {"type": "integer"}, "message": {"type": "string"}},
    }
    shaper, checker = shaper_for(schema)
    body, media = shaper.shape("get_x", 404, "Not found.")
    assert media == "application/json"
    assert body["message"] == "Not found."
    assert checker.is_valid(body)


def test_a_message_the_schema_cannot_hold_is_not_forced_into_it() -> None:
    schema = {
        "type": "object",
        "required": ["code", "message"],
        "properties": {
            "code": {"type": "integer"},
            "message": {"type": "string", "enum": ["NOT_FOUND", "GONE"]},
        },
    }
    shaper, checker = shaper_for(schema)
    body, _ = shaper.shape("get_x", 404, "Not found.")
    assert body["message"] in ("NOT_FOUND", "GONE")
    assert checker.is_valid(body)


def test_an_error_documented_for_any_media_type_is_shaped_and_sent_as_json() -> None:
    schema = {
        "type": "object",
        "required": ["category", "message"],
        "properties": {"category": {"type": "string"}, "message": {"type": "string"}},
    }
    shaper, checker = shaper_for(schema, media="*/*")
    body, media = shaper.shape("get_x", 404, "Not found.")
    assert media == "application/json"
    assert body["message"] == "Not found." and checker.is_valid(body)
