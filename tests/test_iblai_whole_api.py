"""The published `iblai` client judges the mock of the whole API (spec/openapi.yaml).

Every GET operation of the client is called over HTTP with fixture values (`main`,
`amara.okafor`, the platform admin's key); each answer must be a status the contract
documents, and each 2xx body must parse with the client's own model for that status.
"""

from __future__ import annotations

import datetime
import typing
import uuid
from collections import Counter
from typing import Any

import iblai
import pytest
import yaml
from iblai import ApiClient, Configuration
from pydantic import BaseModel

from contractgen.client import load_client
from contractgen.operations import Operation, Parameter, read_operations
from contractgen.types import split_optional
from tests.conftest import MAIN_ADMIN, ROOT, LiveServer

FIXTURE_VALUES = {
    "org": "main",
    "platform_key": "main",
    "user_id": "amara.okafor",
    "username": "amara.okafor",
}
# The same org and user where the API types them as numbers (fixtures/orgs.yaml, users.yaml).
FIXTURE_NUMBERS = {"org": 1, "platform_key": 1, "user_id": 1057, "username": 1057}
A_UUID = uuid.UUID("3fa85f64-5717-4562-b3fc-2c963f66afa6")


@pytest.fixture(scope="module")
def operations() -> list[Operation]:
    return read_operations(load_client().api_classes())


@pytest.fixture(scope="module")
def contract() -> dict[str, Any]:
    text = (ROOT / "spec" / "openapi.yaml").read_text(encoding="utf-8")
    return typing.cast(dict[str, Any], yaml.load(text, Loader=yaml.CSafeLoader))


def api_client(live: LiveServer) -> ApiClient:
    config = Configuration(
        host=live.url,
        api_key={"PlatformApiKeyAuthentication": MAIN_ADMIN},
        api_key_prefix={"PlatformApiKeyAuthentication": "Api-Token"},
    )
    return ApiClient(config)


def sample(parameter: Parameter, schema: dict[str, Any]) -> Any:
    """A value of the parameter's Python type: the fixture org or user where it names one."""
    if "enum" in schema:
        return schema["enum"][0]
    bare, _ = split_optional(parameter.annotation)
    made = value_of(bare)
    if parameter.wire_name in FIXTURE_VALUES:
        numbers = isinstance(made, int) and not isinstance(made, bool)
        return (FIXTURE_NUMBERS if numbers else FIXTURE_VALUES)[parameter.wire_name]
    return made


def value_of(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (list, typing.List):  # noqa: UP006
        return [value_of(typing.get_args(annotation)[0])]
    simple = {
        bool: True,
        int: 1,
        float: 1.0,
        str: "main",
        datetime.date: datetime.date(2026, 1, 1),
        datetime.datetime: datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        uuid.UUID: A_UUID,
    }
    if annotation in simple:
        return simple[annotation]
    raise AssertionError(f"no sample value for {annotation!r}")


def arguments(op: Operation, document_op: dict[str, Any]) -> dict[str, Any]:
    listed = document_op.get("parameters", [])
    schemas = {p["name"]: p.get("schema", {}) for p in listed if "name" in p}  # not $refs
    return {
        p.python_name: sample(p, schemas.get(p.wire_name, {}))
        for p in op.located("path", "query", "header")
        if p.required or p.location == "path"
    }


def documented(status: int, responses: dict[str, Any]) -> bool:
    return str(status) in responses or f"{str(status)[0]}XX" in responses


def test_every_get_answers_as_documented_and_parses_with_the_clients_models(
    whole_api: LiveServer, operations: list[Operation], contract: dict[str, Any]
) -> None:
    client = api_client(whole_api)
    gets = [op for op in operations if op.method == "get"]
    assert len(gets) > 700
    statuses: Counter[int] = Counter()
    wrong: list[str] = []
    for op in gets:
        document_op = contract["paths"][op.path]["get"]
        api = getattr(iblai, op.api_class)(client)
        raw = getattr(api, op.operation_id)(**arguments(op, document_op))
        statuses[raw.status] += 1
        if not documented(raw.status, document_op["responses"]):
            wrong.append(f"{op.operation_id}: {raw.status} is not documented")
            continue
        model = op.responses.get(str(raw.status))
        if 200 <= raw.status < 300 and model is not None:
            parsed = client.deserialize(raw.data.decode(), model, raw.headers["content-type"])
            if isinstance(parsed, BaseModel):
                assert type(parsed).__name__ == model
    assert wrong == []
    assert not [s for s in statuses if s >= 500], statuses
    assert statuses[401] == statuses[403] == 0, statuses  # main's admin, on main's users
    assert statuses[400] == 0, statuses  # what the client sends, the mock reads as DRF does
    # An item path of an id no record has is a documented 404; the rest succeed.
    assert sum(n for s, n in statuses.items() if 200 <= s < 300) >= 0.85 * len(gets), statuses
