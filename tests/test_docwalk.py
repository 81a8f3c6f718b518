"""Structure, names and literal JSON: a `$ref` in an example or a property named `$ref`
is no reference, to any walker of the document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ibl_mock.contract.bundle import bundle, has_external_refs
from ibl_mock.contract.docwalk import reference, sharing_walks, walk, walked
from ibl_mock.contract.spec import read_document

DOCUMENT: dict[str, Any] = {
    "paths": {
        "/s": {
            "get": {
                "responses": {
                    "200": {
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/S"},
                                "example": {"$ref": "other.json#/x"},
                                "examples": {"a": {"$ref": "#/components/examples/A"}},
                            }
                        }
                    }
                }
            }
        }
    },
    "components": {
        "schemas": {
            "S": {
                "type": "object",
                "properties": {"$ref": {"type": "string"}, "default": {"type": "boolean"}},
                "default": {"$ref": "elsewhere.json"},
                "x-origin": {"$ref": "vendor.json"},
            }
        }
    },
}


def test_only_references_are_references() -> None:
    refs = {
        "/".join(parts): ref
        for parts, node, context in walk(DOCUMENT)
        if (ref := reference(node, context)) is not None
    }
    media = "paths//s/get/responses/200/content/application/json"
    assert refs == {
        f"{media}/schema": "#/components/schemas/S",
        f"{media}/examples/a": "#/components/examples/A",
    }


def test_properties_named_like_keywords_are_schemas() -> None:
    schemas = {"/".join(parts) for parts, _, context in walk(DOCUMENT) if context == "schema"}
    assert "components/schemas/S/properties/$ref" in schemas
    assert "components/schemas/S/properties/default" in schemas


def test_bundling_follows_no_ref_held_in_literal_json(tmp_path: Path) -> None:
    assert not has_external_refs(DOCUMENT)
    assert bundle(DOCUMENT, tmp_path / "openapi.yaml", read_document) is DOCUMENT


def test_walks_are_shared_only_within_sharing_walks() -> None:
    document: dict[str, Any] = {"paths": {"/a": {"get": {"responses": {}}}}}
    assert walked(document) is not walked(document)  # outside: walked every time
    with sharing_walks():
        first = walked(document)
        assert walked(document) is first
    document["paths"]["/b"] = {"get": {"responses": {}}}  # changed in place, after
    assert ("paths", "/b", "get") in [parts for parts, _, _ in walked(document)]
