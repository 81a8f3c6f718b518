"""contract/connexion_spec: the Specification Connexion is given, built of a prepared
copy without Connexion's checks and copies, resolved in place as Connexion resolves."""

from __future__ import annotations

import copy
from typing import Any

from connexion.json_schema import resolve_refs

from ibl_mock.contract.connexion_copy import prepared
from ibl_mock.contract.connexion_spec import TrustedSpecification, resolved

DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/docs": {
            "get": {
                "parameters": [{"$ref": "#/components/parameters/Page"}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/Doc",
                                    "description": "beside the reference",
                                }
                            }
                        },
                    }
                },
            }
        }
    },
    "components": {
        "parameters": {"Page": {"name": "page", "in": "query", "schema": {"type": "integer"}}},
        "schemas": {
            "Doc": {
                "type": "object",
                "description": "the target's",
                "properties": {
                    "$ref": {"type": "string"},
                    "next": {"$ref": "#/components/schemas/Doc"},
                    "alias": {"$ref": "#/components/schemas/Alias"},
                },
            },
            "Alias": {"$ref": "#/components/schemas/Doc"},
        },
    },
}


def operation(spec: dict[str, Any]) -> dict[str, Any]:
    return spec["paths"]["/docs"]["get"]  # type: ignore[no-any-return]


def test_references_are_replaced_by_their_targets_as_connexion_does() -> None:
    ours = resolved(prepared(DOCUMENT))
    theirs = resolve_refs(prepared(DOCUMENT))
    assert operation(ours)["parameters"] == operation(theirs)["parameters"]
    schema = operation(ours)["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["description"] == "the target's"  # the target's keys win, as in Connexion
    assert schema["type"] == "object" and "$ref" not in schema


def test_a_recursive_schema_refers_to_itself() -> None:
    doc = resolved(prepared(DOCUMENT))["components"]["schemas"]["Doc"]
    assert doc["properties"]["next"] is doc
    assert doc["properties"]["alias"]["properties"]["next"] is doc  # through a reference


def test_escaped_keys_get_their_name_back() -> None:
    doc = resolved(prepared(DOCUMENT))["components"]["schemas"]["Doc"]
    assert list(doc["properties"]) == ["$ref", "next", "alias"]
    assert doc["properties"]["$ref"] == {"type": "string"}


def test_a_pointer_to_nothing_is_left_as_written() -> None:
    assert resolved({"a": {"$ref": "#/nowhere"}}) == {"a": {"$ref": "#/nowhere"}}


def test_the_specification_leaves_the_document_as_it_is_and_clones_itself() -> None:
    kept = copy.deepcopy(DOCUMENT)
    spec = TrustedSpecification.of_document(DOCUMENT)
    clone = spec.with_base_path("/v2")
    assert clone.base_path == "/v2" and spec.base_path != "/v2"
    assert operation(clone.spec)["parameters"][0]["name"] == "page"
    assert operation(spec.spec)["parameters"][0] is spec.spec["components"]["parameters"]["Page"]
    assert kept == DOCUMENT  # neither resolving nor the clone's base path touched it
