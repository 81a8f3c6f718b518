"""Answers are valid against their schemas by construction: every way a body is made
(examples, schema-made data, seeded records, error bodies) is checked against its schema,
over every scenario and corpus document of the suite and the default spec."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator

from ibl_mock.app import MockServer, create_app
from ibl_mock.contract.spec import read_document
from ibl_mock.pipeline.negotiation import NO_PREFERENCE
from ibl_mock.serving.responses import read_checker
from ibl_mock.settings import Settings
from tests.conftest import ROOT, SPECS

DOCUMENTS = [
    ROOT / "spec" / "openapi.yaml",
    *sorted((SPECS / "corpus").glob("*/openapi.*")),
    SPECS / "statuses" / "openapi.yaml",
    SPECS / "responses" / "openapi.yaml",
    SPECS / "schemas" / "openapi.yaml",
]


def json_responses(server: MockServer) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(operationId, status key, media type, media object) of every JSON response."""
    spec, found = server.spec, []
    for operation in spec.operations.values():
        responses = spec.operation_object(operation).get("responses") or {}
        for key, response in responses.items():
            for media, media_object in (spec.resolve(response).get("content") or {}).items():
                media_object = spec.resolve(media_object) or {}
                if "json" in media and "schema" in media_object:
                    found.append((operation.operation_id, str(key), media, media_object))
    return found


def failures(checker: Any, body: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message[:120]}" for e in checker.iter_errors(body)]


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.parent.name or p.name for p in DOCUMENTS])
def test_made_bodies_and_error_bodies_fit_their_schemas(path: Path) -> None:
    server = create_app(Settings.build(spec_path=path))
    maker, shaper = server.crud.maker, server.crud.errors
    wrong = []
    for operation_id, key, media, media_object in json_responses(server):
        checker = read_checker(server.spec.document, media_object["schema"])
        body = maker.body(operation_id, key, media, media_object, NO_PREFERENCE)
        wrong += [f"{operation_id} {key} body {f}" for f in failures(checker, body)]
        if key.startswith("4"):
            error, _ = shaper.shape(operation_id, int(key), "Something was wrong.")
            wrong += [f"{operation_id} {key} error {f}" for f in failures(checker, error)]
    assert not wrong, "\n".join(wrong[:20])


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.parent.name or p.name for p in DOCUMENTS])
def test_seeded_records_fit_their_schemas(path: Path) -> None:
    server = create_app(Settings.build(spec_path=path))
    server.materialize()
    for name in server.store.names():
        if server.catalog.knows(name):
            server.catalog.check(name, list(server.store[name]))  # raises, naming the record


def test_overlapping_variants_fit_without_their_discriminator() -> None:
    # A client's JSON Schema validator ignores the discriminator: exactly one option of
    # the `oneOf` must match, however the record is tagged.
    spec = SPECS / "responses" / "openapi.yaml"
    with create_app(Settings.build(spec_path=spec)).app.test_client() as client:
        records = client.get("/detail-records").json()
    document = {"components": read_document(spec)["components"]}
    plain = Draft4Validator({**document, "items": {"$ref": "#/components/schemas/DetailRecord"}})
    assert records and [e.message for e in plain.iter_errors(records)] == []
