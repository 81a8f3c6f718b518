"""The quick reader says yes only where the strict reader does, and fast."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from ibl_mock.contract import quick_reader
from ibl_mock.contract.quick_reader import QuickReader, plain
from ibl_mock.contract.refs import deref
from ibl_mock.contract.spec import load_spec
from ibl_mock.data.faking import SchemaFaker, make_faker
from ibl_mock.serving.responses import read_checker

SPECS = Path(__file__).parent / "specs"
DOCUMENT = yaml.safe_load((SPECS / "quick-reader" / "openapi.yaml").read_text())
ACCOUNT = {"$ref": "#/components/schemas/Account"}
GOOD = {"id": 7, "name": None, "balance": 0.5, "avatar": "aGk=", "owner": {"email": "a@b.io"}}


def reader(schema: Any) -> QuickReader:
    found = read_checker(DOCUMENT, schema)
    assert isinstance(found, QuickReader)
    return found


def test_a_good_body_is_accepted_by_the_quick_path() -> None:
    assert reader(ACCOUNT).accepts(GOOD)
    assert reader(ACCOUNT).is_valid(GOOD)
    assert list(reader(ACCOUNT).iter_errors(GOOD)) == []


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"id": 2**31}, "int32 is its range"),
        ({"id": 0}, "minimum"),
        ({"balance": 0}, "a boolean exclusiveMinimum"),
        ({"password": "x"}, "a write-only property is never read"),
        ({"avatar": "not base64!"}, "format byte"),
        ({"owner": {"email": "nobody"}}, "format email, through a reference"),
        ({"owner": {"email": "a@b.io", "born": "2024-13-40"}}, "format date"),
        ({"nullable": None}, "a property named nullable is not the keyword"),
        ({"name": 5}, "type"),
    ],
)
def test_what_the_reader_refuses_the_quick_path_refuses(change: dict[str, Any], why: str) -> None:
    body = {**GOOD, **change}
    quick = reader(ACCOUNT)
    assert not quick.accepts(body), why
    assert not quick.is_valid(body), why
    assert list(quick.iter_errors(body)), why


def test_a_missing_required_property_is_named_by_the_reader() -> None:
    errors = list(reader(ACCOUNT).iter_errors({"id": 1}))
    assert [e.validator for e in errors] == ["required"]


def test_a_schema_it_cannot_compile_is_left_to_the_reader() -> None:
    schema = {"type": "string", "pattern": "(?P<x>a)(?P=x)"}  # a backreference Rust refuses
    quick = reader(schema)
    assert not quick.accepts("aa")
    assert quick.is_valid("aa")


def test_plain_translates_only_keywords() -> None:
    schema = {
        "type": "object",
        "nullable": True,
        "properties": {"nullable": {"type": "boolean"}, "format": {"type": "string"}},
    }
    assert plain(schema, legacy=True) == {**schema, "type": ["object", "null"]}
    assert plain({"type": "string", "nullable": True}, legacy=False)["type"] == "string"


def corpus_documents() -> list[Path]:
    return sorted(p for p in (SPECS / "corpus").glob("*/openapi.*"))


def variants(value: Any) -> list[Any]:
    """`value` and values near it that are often wrong: null, a key dropped, a type changed."""
    out = [value, None, "text", 12345678901234567890]
    if isinstance(value, dict):
        for key in list(value)[:4]:
            dropped = copy.deepcopy(value)
            del dropped[key]
            changed = {**value, key: None if value[key] is not None else 1}
            out += [dropped, changed]
    if isinstance(value, list) and value:
        out += [[None], value[:1] * 3]
    return out


def response_schemas(document: dict[str, Any]) -> list[Any]:
    """Every response body schema of the document, as the server would check its bodies."""
    found = []
    for item in (document.get("paths") or {}).values():
        for operation in item.values() if isinstance(item, dict) else ():
            responses = operation.get("responses") if isinstance(operation, dict) else None
            for response in (responses or {}).values():
                response = deref(document, response)
                for media in (response.get("content") or {}).values():
                    if isinstance(media, dict) and "schema" in media:
                        found.append(media["schema"])
    return found


@pytest.mark.parametrize("path", corpus_documents(), ids=lambda p: p.parent.name)
def test_on_real_documents_the_quick_yes_is_the_readers_yes(path: Path) -> None:
    document = load_spec(path).document
    quick_yes = 0
    for index, schema in enumerate(response_schemas(document)[:60]):
        checker = read_checker(document, schema)
        made = SchemaFaker(document, make_faker(index), use_examples=False).value(schema)
        for value in variants(made):
            if checker.accepts(value):
                quick_yes += 1
                assert checker.slow.is_valid(value), (schema, value)
    assert quick_yes > 0


SPARSE = {
    "openapi": "3.0.3",
    "paths": {
        "/a/{id}": {"get": {"responses": {"200": {"content": {"application/json": {
            "schema": {"type": "object", "properties": {"n": {"type": "integer"}}}
        }}}}}},
    },
    "components": {"schemas": {
        "Pair": {"allOf": [{"$ref": "#/components/schemas/Named"}, {"required": ["n"]}]},
        "Named": {"type": "object", "required": ["name"],
                  "properties": {"name": {"type": "string", "nullable": True}}},
        "Unused": {"type": "object", "properties": {"x": {"type": "string"}}},
    }},
}  # fmt: skip


def test_a_schema_is_read_with_only_what_its_references_reach() -> None:
    sparse = quick_reader.sparse_registry(SPARSE, {"$ref": "#/components/schemas/Pair"})
    assert sparse is not None
    reach = quick_reader.reached(SPARSE, {"$ref": "#/components/schemas/Pair"})
    assert reach is not None
    assert sorted(keys for keys, _ in reach) == [
        ("components", "schemas", "Named"),
        ("components", "schemas", "Pair"),
    ]
    quick = quick_reader.QuickReader(SPARSE, {"$ref": "#/components/schemas/Pair"}, None)
    assert quick.accepts({"name": None, "n": 1})  # nullable translated in the reached node
    assert not quick.accepts({"name": 3, "n": 1}) and not quick.accepts({"name": "a"})
    assert SPARSE not in quick_reader._REGISTRIES  # never read whole


def test_a_reference_into_a_list_or_an_escaped_path_reaches_its_owner() -> None:
    schema = {
        "allOf": [
            {"$ref": "#/components/schemas/Pair/allOf/1"},
            {"$ref": "#/paths/~1a~1%7Bid%7D/get/responses/200/content/application~1json/schema"},
        ]
    }
    reach = quick_reader.reached(SPARSE, schema)
    assert reach is not None  # Pair (the owner of its list), Named through it, the path
    assert sorted(keys[:3] for keys, _ in reach) == [
        ("components", "schemas", "Named"),
        ("components", "schemas", "Pair"),
        ("paths", "/a/{id}", "get"),
    ]
    quick = quick_reader.QuickReader(SPARSE, schema, None)
    assert quick.accepts({"n": 2})
    assert not quick.accepts({"n": "two"}) and not quick.accepts({})


@pytest.mark.parametrize(
    "schema",
    [
        {"$ref": "other.yaml#/x"},  # not within the document
        {"$ref": "#/components/schemas/Missing"},
        {"$id": "urn:x", "type": "string"},  # named: references may use the name
    ],
)
def test_what_cannot_be_followed_by_pointer_is_read_whole(schema: Any) -> None:
    assert quick_reader.reached(SPARSE, schema) is None
    assert quick_reader.sparse_registry(SPARSE, schema) is None
