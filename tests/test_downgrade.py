from __future__ import annotations

from typing import Any

import pytest
from openapi_spec_validator import validate

from ibl_mock.app import create_app
from ibl_mock.contract.downgrade import document_30, schema_30
from ibl_mock.contract.spec import load_spec
from ibl_mock.settings import Settings
from tests.conftest import SPECS

INVENTORY = SPECS / "corpus" / "openapi31-inventory" / "openapi.yaml"


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": ["string", "null"]}, {"type": "string", "nullable": True}),
        ({"type": ["string", "integer"]}, {"anyOf": [{"type": "string"}, {"type": "integer"}]}),
        ({"type": "null"}, {"nullable": True, "enum": [None]}),
        ({"const": "x"}, {"enum": ["x"]}),
        (
            {"type": "number", "exclusiveMinimum": 0},
            {"type": "number", "minimum": 0, "exclusiveMinimum": True},
        ),
        ({"type": "string", "examples": ["a", "b"]}, {"type": "string", "example": "a"}),
        (
            {"$ref": "#/components/schemas/A", "description": "sibling"},
            {"$ref": "#/components/schemas/A"},
        ),
        ({"prefixItems": [{}], "type": "array", "$comment": "c"}, {"type": "array"}),
        (
            {"type": "object", "properties": {"a": {"type": ["integer", "null"]}}},
            {"type": "object", "properties": {"a": {"type": "integer", "nullable": True}}},
        ),
        (  # referenced into, so kept, and translated
            {"$defs": {"a": {"type": ["integer", "null"]}}, "definitions": {"b": {"const": 1}}},
            {
                "$defs": {"a": {"type": "integer", "nullable": True}},
                "definitions": {"b": {"enum": [1]}},
            },
        ),
    ],
)
def test_schema_keywords_are_translated_or_dropped(
    schema: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert schema_30(schema) == expected


def test_a_31_document_gets_a_valid_30_view_and_is_served() -> None:
    spec = load_spec(INVENTORY)
    view = document_30(spec.document)
    assert view["openapi"] == "3.0.3" and "webhooks" not in view
    validate(view)
    assert spec.document["openapi"] == "3.1.0"  # the original is untouched
    with create_app(Settings.build(spec_path=INVENTORY)).app.test_client() as client:
        items = client.get("/items?api_key=stock-key-0001")
        assert items.status_code == 200 and isinstance(items.json(), list)
        assert client.get("/items").status_code == 401


def test_30_documents_pass_through() -> None:
    document = {"openapi": "3.0.3", "info": {}, "paths": {}}
    assert document_30(document) is document
