from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from ibl_mock.app import create_app
from ibl_mock.contract.bundle import bundle, refers_into_paths, refers_only_within
from ibl_mock.contract.spec import SpecError, load_spec, read_document
from ibl_mock.settings import Settings
from tests.conftest import SPECS


def refs(document: object) -> list[str]:
    return re.findall(r'"\$ref": "([^"]+)"', json.dumps(document))


def test_references_to_neighbouring_files_are_inlined() -> None:
    spec = load_spec(SPECS / "corpus" / "external-refs" / "openapi.yaml")
    assert all(ref.startswith("#") for ref in refs(spec.document))
    validate(spec.document)
    ops = spec.document["paths"]["/orders"]["get"]
    assert ops["parameters"][0]["name"] == "limit"  # from parameters/pagination.yaml


def test_a_recursive_schema_in_another_file_is_hoisted_into_components() -> None:
    spec = load_spec(SPECS / "external-recursive" / "openapi.yaml")
    schemas = spec.document["components"]["schemas"]
    (name,) = list(schemas)
    assert schemas[name]["properties"]["children"]["items"] == {
        "$ref": f"#/components/schemas/{name}"
    }
    validate(spec.document)
    with create_app(Settings.build(spec_path=spec.path)).app.test_client() as client:
        tree = client.get("/tree").json()
        assert isinstance(tree["name"], str) and isinstance(tree["children"], list)


def test_a_reference_to_a_missing_file_is_refused() -> None:
    with pytest.raises(SpecError, match=r"nowhere\.yaml"):
        load_spec(SPECS / "missing-ref" / "openapi.yaml")


@pytest.mark.parametrize(
    "text",
    [
        "$ref: other.yaml#/components/schemas/Thing",
        "{$ref: './other.yaml'}",
        '"$ref":\n  "https://example.com/thing.json"',
        "$ref: >-\n  other.yaml",
        '"\\u0024ref": "other.json"',
    ],
)
def test_a_text_that_may_refer_elsewhere_is_walked(text: str) -> None:
    assert not refers_only_within(text)


def test_a_text_whose_references_are_all_local_is_not_walked() -> None:
    text = "a:\n  $ref: '#/components/schemas/A'\nb: {\"$ref\": \"#/b\"}\nc:\n  $ref:\n    '#/c'"
    assert refers_only_within(text)
    document = {"a": {"$ref": "elsewhere.yaml"}}  # what the text says wins: no walk
    assert bundle(document, Path("openapi.yaml"), read_document, text) is document


@pytest.mark.parametrize(
    ("text", "into"),
    [
        ("$ref: '#/paths/~1a/parameters/0'", True),
        ('{"$ref":"#/paths/~1a/get"}', True),
        ("$ref: '#/components/parameters/a'", False),
        ("paths:\n  /a: {}  # see #/paths/ below", False),
    ],
)
def test_a_reference_into_the_paths_is_seen_in_the_text(text: str, into: bool) -> None:
    assert refers_into_paths(text) is into
