"""The published `iblai` client creates, reads, lists, updates and deletes every resource
of the whole API it can create (spec/openapi.yaml), over HTTP, and sees the 404 after.

The resources are those the engine recognises (contract/resources): a collection path
with a create and an item path with a retrieve and a delete. Each request body is made
from the request schema by the engine's own Faker-seeded maker, turned into the client's
model, and sent by the client's own method.
"""

from __future__ import annotations

import json
from typing import Any

import iblai
import pytest
from iblai import ApiClient
from pydantic import BaseModel

from contractgen.client import load_client
from contractgen.operations import Operation, read_operations
from contractgen.types import split_optional
from ibl_mock.contract.resources import Action, recognise
from ibl_mock.contract.spec import Spec, load_spec
from ibl_mock.serving.responses import BodyMaker
from tests.conftest import ROOT, LiveServer
from tests.test_iblai_whole_api import FIXTURE_VALUES, api_client, arguments, value_of

SPEC = load_spec(ROOT / "spec" / "openapi.yaml")
CLIENT_OPERATIONS = {op.operation_id: op for op in read_operations(load_client().api_classes())}


def resources(spec: Spec) -> dict[str, dict[str, tuple[str, Action]]]:
    """Collection key -> kind -> (operationId, action), for the creatable resources."""
    found: dict[str, dict[str, tuple[str, Action]]] = {}
    for operation_id, action in recognise(spec).items():
        if action.view is None:
            found.setdefault(action.resource.key, {})[action.kind] = (operation_id, action)
    return {
        key: kinds
        for key, kinds in found.items()
        if {"create", "retrieve", "destroy"} <= set(kinds)
        and all(succeeds(spec, kinds[k][0]) for k in ("create", "retrieve", "destroy"))
    }


def succeeds(spec: Spec, operation_id: str) -> bool:
    """Whether the operation documents a success at all (SCIM documents only 405 for
    deleting a user: the client cannot)."""
    op = spec.operations[operation_id]
    responses = spec.document["paths"][op.path][op.method]["responses"]
    return any(status.startswith("2") for status in responses)


CREATABLE = resources(SPEC)


def path_values(op: Operation) -> dict[str, Any]:
    """The fixture org and user in the path, samples of the required query parameters."""
    return arguments(op, SPEC.document["paths"][op.path][op.method])


def made(schema: Any, maker: BodyMaker, *key: str) -> Any:
    """A request value of `schema`. The client's models insist on their read-only fields
    too, and leave them out when they send: the value holds some, as a record read back
    would; and fields naming the org or user hold the fixture's."""
    with maker.faker("client-crud", *key) as faker:
        sent = faker.value(schema, direction="request")
        read = faker.value(schema, direction="response")
    value = merged(read, sent)
    if isinstance(value, dict):
        for name, fixture in FIXTURE_VALUES.items():
            if isinstance(value.get(name), str):
                value[name] = fixture
    return value


def merged(read: Any, sent: Any) -> Any:
    if isinstance(read, dict) and isinstance(sent, dict):
        return {**read, **{k: merged(read.get(k), v) for k, v in sent.items()}}
    if isinstance(read, list) and isinstance(sent, list):
        return [merged(r, s) for r, s in zip(read, sent, strict=False)] + sent[len(read) :]
    return sent


def body_argument(op: Operation, maker: BodyMaker) -> dict[str, Any]:
    """The request body as the client takes it: its model, or its form fields."""
    written = SPEC.document["paths"][op.path][op.method]["requestBody"]["content"]
    fields = op.located("form", "file")
    if fields:
        schema = next(iter(written.values()))["schema"]
        value = made(schema, maker, op.operation_id)
        found = {f.python_name: value.get(f.wire_name) for f in fields}
        files = {f.python_name: b"a file" for f in op.located("file")}
        # The client picks JSON when it may, and then sends its form fields nowhere.
        chosen = {"_content_type": "multipart/form-data"}
        return {k: v for k, v in {**found, **files, **chosen}.items() if v is not None}
    [body] = op.located("body")
    value = made(written["application/json"]["schema"], maker, op.operation_id)
    model = split_optional(body.annotation)[0]
    while hasattr(model, "__metadata__"):
        model = model.__origin__
    assert isinstance(model, type) and issubclass(model, BaseModel), body.annotation
    from_dict = model.from_dict  # type: ignore[attr-defined]  # every model of the client's
    return {body.python_name: from_dict(value)}


def call(client: ApiClient, operation_id: str, **arguments: Any) -> Any:
    op = CLIENT_OPERATIONS[operation_id]
    return getattr(getattr(iblai, op.api_class)(client), operation_id)(**arguments)


def text(raw: Any) -> str:
    return bytes(raw.data).decode()


def test_there_are_creatable_resources_in_every_corner_of_the_api() -> None:
    assert len(CREATABLE) >= 40
    assert any("/ai-mentor/" in key for key in CREATABLE)
    assert any("/scim/" in key for key in CREATABLE)


@pytest.mark.parametrize("key", sorted(CREATABLE))
def test_the_client_creates_reads_lists_updates_deletes(whole_api: LiveServer, key: str) -> None:
    kinds = CREATABLE[key]
    client = api_client(whole_api)
    maker = BodyMaker(SPEC.document, seed=1)
    create_id, action = kinds["create"]
    create = CLIENT_OPERATIONS[create_id]
    arguments = path_values(create)
    if create.located("body", "form", "file"):
        arguments.update(body_argument(create, maker))
    created = call(client, create_id, **arguments)
    assert created.status in (200, 201), (create_id, created.status, text(created))
    record = json.loads(text(created))
    id_field = action.resource.id_field
    assert id_field and id_field in record, (create_id, record)

    def at_item(kind: str) -> dict[str, Any]:
        """The arguments of the item operation `kind` for the created record."""
        operation_id, item_action = kinds[kind]
        op = CLIENT_OPERATIONS[operation_id]
        return {**path_values(op), **item_id(op, item_action, record)}

    retrieve_id, _ = kinds["retrieve"]
    retrieve = CLIENT_OPERATIONS[retrieve_id]
    read = call(client, retrieve_id, **at_item("retrieve"))
    assert read.status == 200, (retrieve_id, read.status, text(read))
    assert json.loads(text(read))[id_field] == record[id_field]
    model = retrieve.responses.get("200")
    if model:
        client.deserialize(text(read), model, read.headers["content-type"])

    if "list" in kinds:
        list_id, _ = kinds["list"]
        listing = CLIENT_OPERATIONS[list_id]
        everything = {p.python_name: 1000 for p in listing.parameters if p.wire_name == "page_size"}
        listed = call(client, list_id, **path_values(listing), **everything)
        assert listed.status == 200, (list_id, listed.status)
        assert str(record[id_field]) in text(listed)

    if "update" in kinds and CLIENT_OPERATIONS[kinds["update"][0]].located("body", "form"):
        update_id, _ = kinds["update"]
        update = CLIENT_OPERATIONS[update_id]
        arguments = {**at_item("update"), **body_argument(update, maker)}
        updated = call(client, update_id, **arguments)
        assert updated.status == 200, (update_id, updated.status, text(updated))

    destroy_id, _ = kinds["destroy"]
    gone = call(client, destroy_id, **at_item("destroy"))
    assert gone.status in (200, 204), (destroy_id, gone.status, text(gone))
    after = call(client, retrieve_id, **at_item("retrieve"))
    assert after.status == 404, (retrieve_id, after.status, text(after))


def item_id(op: Operation, action: Action, record: dict[str, Any]) -> dict[str, Any]:
    """The item path's own parameter, holding the created record's id."""
    name = action.resource.id_param
    [parameter] = [p for p in op.located("path") if p.wire_name == name]
    value = record[str(action.resource.id_field)]
    wanted = split_optional(parameter.annotation)[0]
    return {parameter.python_name: value if not isinstance(value_of(wanted), str) else str(value)}
