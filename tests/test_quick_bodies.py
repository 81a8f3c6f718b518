"""Quick verdicts on request bodies agree with the lenient reader (pipeline/quick_bodies)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from connexion.json_schema import resolve_refs

from ibl_mock.contract.downgrade import document_30
from ibl_mock.contract.refs import deref
from ibl_mock.contract.spec import load_spec
from ibl_mock.data.faking import SchemaFaker, make_faker
from ibl_mock.pipeline.keywords import LENIENT_WRITE_VALIDATOR, REQUEST_FORMATS
from ibl_mock.pipeline.quick_bodies import QuickBodies, acyclic
from tests.test_quick_reader import variants

SPECS = Path(__file__).parent / "specs"


def body_schemas(document: dict[str, Any]) -> list[Any]:
    """Each operation's JSON request body schema, as Connexion holds it (resolved, from
    the 3.0 view of a 3.1 document)."""
    resolved = resolve_refs(document_30(document))
    found = []
    for item in (resolved.get("paths") or {}).values():
        for operation in item.values() if isinstance(item, dict) else ():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            media = ((body or {}).get("content") or {}).get("application/json")
            if isinstance(media, dict) and isinstance(media.get("schema"), dict):
                found.append(media["schema"])
    return found


PETS = yaml.safe_load((SPECS / "quick-bodies" / "openapi.yaml").read_text())
PET = body_schemas(PETS)[0]
GOOD = {"name": "Rex", "kind": "dog", "nickname": None, "toy": {"squeaks": True}}


def verdicts(body: Any) -> tuple[bool | None, bool]:
    quick = QuickBodies(PET, REQUEST_FORMATS, legacy=True).verdict(body)
    reader = LENIENT_WRITE_VALIDATOR(PET, format_checker=REQUEST_FORMATS)
    return quick.accepted, reader.is_valid(body)


def test_a_recursive_schema_is_made_acyclic_with_defs() -> None:
    made = acyclic(PET)
    friend = made["properties"]["friend"]  # Pet holds a Pet
    assert friend["$ref"].startswith("#/$defs/")
    assert made["$defs"][friend["$ref"][8:]]["properties"]["friend"] == friend


def test_a_good_body_is_accepted_quickly() -> None:
    assert verdicts(GOOD) == (True, True)
    assert verdicts({**GOOD, "friend": GOOD}) == (True, True)


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "fish"},  # enum
        {"name": ""},  # minLength
        {"weight": 0},  # a boolean exclusiveMinimum
        {"nickname": 5},  # type
        {"friend": {"name": "Tom"}},  # required, one level down a recursion
    ],
)
def test_a_bad_body_is_refused_quickly_in_the_readers_words(change: dict[str, Any]) -> None:
    quick = QuickBodies(PET, REQUEST_FORMATS, legacy=True).verdict({**GOOD, **change})
    assert quick.accepted is False
    reader = LENIENT_WRITE_VALIDATOR(PET, format_checker=REQUEST_FORMATS)
    assert not reader.is_valid({**GOOD, **change})
    words = {e.message for e in reader.iter_errors({**GOOD, **change})}
    words |= {e.message for error in reader.iter_errors({**GOOD, **change}) for e in error.context}
    assert quick.message.split(" - ")[0] in words


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"name": "rex"}, "a pattern: the loose reading has none, the reader refuses"),
        ({"born": "yesterday"}, "a format: likewise"),
        ({"toy": {"squeaks": True, "colour": "red"}}, "fits both oneOf options: loosely, any"),
        ({"shape": {"form": "Ball"}}, "discriminated: the reader judges by Ball alone"),
    ],
)
def test_what_only_the_reader_can_tell_is_left_to_it(change: dict[str, Any], why: str) -> None:
    quick, _reader = verdicts({**GOOD, **change})
    assert quick is None, why


def corpus_documents() -> list[Path]:
    return sorted((SPECS / "corpus").glob("*/openapi.*"))


@pytest.mark.parametrize("path", corpus_documents(), ids=lambda p: p.parent.name)
def test_on_real_documents_quick_verdicts_are_the_readers(path: Path) -> None:
    spec = load_spec(path)
    originals = body_schemas_unresolved(spec.document)
    told = 0
    for index, (schema, original) in enumerate(
        zip(body_schemas(spec.document), originals, strict=True)
    ):
        quick = QuickBodies(schema, REQUEST_FORMATS, legacy=True)
        reader = LENIENT_WRITE_VALIDATOR(schema, format_checker=REQUEST_FORMATS)
        made = SchemaFaker(spec.document, make_faker(index), use_examples=False).value(
            original, direction="request"
        )
        for body in variants(made):
            verdict = quick.verdict(body)
            if verdict.accepted is None:
                continue
            told += 1
            assert verdict.accepted == reader.is_valid(body), (schema, body, verdict)
    assert told > 0 or not originals


def body_schemas_unresolved(document: dict[str, Any]) -> list[Any]:
    found = []
    for item in (document.get("paths") or {}).values():
        for operation in item.values() if isinstance(item, dict) else ():
            body = (
                deref(document, operation.get("requestBody"))
                if isinstance(operation, dict)
                else None
            )
            media = ((body or {}).get("content") or {}).get("application/json")
            if isinstance(media, dict) and isinstance(media.get("schema"), dict):
                found.append(media["schema"])
    return found


def test_the_documents_components_beside_a_body_schema_are_not_translated() -> None:
    # Connexion hands a body validator its resolved schema with the document's
    # `components` beside it (OpenAPIOperation.with_definitions); on the ibl API they are
    # 700,000 values, which `acyclic` copied for every operation's first body.
    document = yaml.safe_load((SPECS / "body-beside-components" / "openapi.yaml").read_text())
    resolved = resolve_refs(document)
    (schema,) = body_schemas(document)
    beside = {**schema, "components": resolved["components"]}
    assert acyclic(beside) == acyclic(schema)
    assert "components" not in acyclic(beside)
    quick = QuickBodies(beside, REQUEST_FORMATS, legacy=True)
    assert quick.verdict({"text": "a", "tags": [{"name": "b"}]}).accepted is True
    assert quick.verdict({"text": ""}).accepted is False
    # A `$ref` left unresolved may point into them: they stay.
    pointing = {"$ref": "#/components/schemas/Tag", "components": resolved["components"]}
    assert "components" in acyclic(pointing)
