"""Documents with errors are served around them; each error is named where it is written.

One scenario document per kind of error (tests/specs/lenient-*/): its finding (line,
JSON pointer, reason), the mock serving it, the bad value never served, `strict` refusing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openapi_schema_validator import OAS30ReadValidator, OAS31Validator
from starlette.testclient import TestClient

from ibl_mock.app import create_app
from ibl_mock.refs import pointer_get
from ibl_mock.settings import Settings
from ibl_mock.spec import InvalidDocument, Spec, SpecError, load_spec
from tests.conftest import SPECS


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def scenario(name: str) -> Path:
    return next((SPECS / name).glob("openapi.*"))


def located(spec: Spec) -> list[tuple[int | None, str, str]]:
    return [(f.line, f.pointer, f.reason) for f in spec.findings]


@pytest.fixture
def serve() -> Iterator[Any]:
    clients: list[TestClient] = []

    def client_for(name: str) -> TestClient:
        client: TestClient = create_app(Settings.build(spec_path=scenario(name))).app.test_client()
        clients.append(client.__enter__())
        return client

    yield client_for
    for client in clients:
        client.__exit__(None, None, None)


def fits(spec: Spec, schema: Any, body: Any) -> bool:
    checker = OAS31Validator if spec.document["openapi"].startswith("3.1") else OAS30ReadValidator
    return bool(checker(spec.document).evolve(schema=schema).is_valid(body))


def test_a_response_example_breaking_its_schema_is_named_and_not_served(serve: Any) -> None:
    spec = load_spec(scenario("lenient-response-example"))
    example = "/paths/~1pet-of-the-day/get/responses/200/content/application~1json/example"
    assert located(spec)[0] == (
        16,
        example + "/name",
        "example does not fit its schema, not used: 123456789 is not of type 'string'",
    )
    body = serve("lenient-response-example").get("/pet-of-the-day").json()
    assert body != {"id": 1, "name": 123456789}
    assert fits(spec, spec.schemas["Pet"], body)


def test_a_named_example_breaking_its_schema_gives_way_to_the_next(serve: Any) -> None:
    spec = load_spec(scenario("lenient-response-example"))
    assert located(spec)[1][:2] == (
        28,
        "/paths/~1pet-of-the-week/get/responses/200/content/application~1json/examples/stringly"
        "/value/id",
    )
    client = serve("lenient-response-example")
    assert client.get("/pet-of-the-week").json() == {"id": 7, "name": "Rex"}
    refused = client.get("/pet-of-the-week", headers={"Prefer": "example=stringly"})
    assert refused.status_code == 400 and "(examples: good)" in refused.json()["detail"]


def test_a_parameter_default_breaking_its_schema_is_not_applied(serve: Any) -> None:
    spec = load_spec(scenario("lenient-parameter-default"))
    assert located(spec) == [
        (
            14,
            "/paths/~1reports/get/parameters/0/schema/default",
            "default does not fit its schema, not used: 'ten' is not of type 'integer'",
        )
    ]
    client = serve("lenient-parameter-default")
    assert client.get("/reports").json() == {"limit": None}  # not "ten"
    assert client.get("/reports?limit=3").json() == {"limit": 3}


def test_schema_examples_breaking_their_schema_are_not_made_into_bodies(serve: Any) -> None:
    spec = load_spec(scenario("lenient-schema-example"))
    assert [(line, reason.rsplit(": ", 1)[-1]) for line, _, reason in located(spec)] == [
        (24, "123456789 is not of type 'string'"),
        (28, "'far too long for it' is too long"),
    ]
    voucher = spec.schemas["Voucher"]["properties"]
    assert "example" not in voucher["code"] and "example" not in voucher["label"]
    body = serve("lenient-schema-example").get("/voucher-of-the-day").json()
    assert body["code"] != 123456789 and body["label"] != "far too long for it"
    assert fits(spec, spec.schemas["Voucher"], body)


def test_a_null_example_for_what_is_not_nullable_is_not_served(serve: Any) -> None:
    spec = load_spec(scenario("lenient-null-example"))
    assert located(spec) == [
        (
            23,
            "/paths/~1me/get/responses/200/content/application~1json/example/nickname",
            "example does not fit its schema, not used: None for not nullable",
        )
    ]
    body = serve("lenient-null-example").get("/me").json()
    assert isinstance(body["nickname"], str)


def test_a_property_named_ref_is_a_property_not_a_reference(serve: Any) -> None:
    spec = load_spec(scenario("lenient-ref-property"))
    assert spec.findings == ()
    stored = spec.schemas["Stored"]
    assert set(stored["properties"]) == {"$ref", "title"}
    body = serve("lenient-ref-property").get("/schema-of-the-day").json()
    assert body == {"$ref": "#/definitions/address", "title": "Address"}


def test_an_operation_reaching_a_dangling_ref_is_left_out_the_rest_served(serve: Any) -> None:
    spec = load_spec(scenario("lenient-broken-operation"))
    assert located(spec) == [
        (
            30,
            "/components/schemas/Summary/properties/total",
            "unresolvable $ref '#/components/schemas/Money'",
        )
    ]
    [left_out] = spec.left_out
    assert left_out.describe() == (
        "GET /orders-summary (/paths/~1orders-summary/get/responses/200/content/"
        "application~1json/schema: leads to the unresolvable $ref '#/components/schemas/Money')"
    )
    assert set(spec.operations) == {"health"}
    assert pointer_get(spec.document, "#/components/schemas/Summary/properties/total") == {}
    client = serve("lenient-broken-operation")
    assert client.get("/health").status_code == 200
    assert client.get("/orders-summary").status_code == 404


def test_a_json_document_is_located_by_line_too(serve: Any) -> None:
    spec = load_spec(scenario("lenient-json"))
    assert located(spec) == [
        (
            18,
            "/paths/~1time/get/responses/200/content/application~1json/example/hour",
            "example does not fit its schema, not used: 25 is greater than the maximum of 23",
        )
    ]
    body = serve("lenient-json").get("/time").json()
    assert body["hour"] <= 23


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("lenient-response-example", "openapi.yaml:16: /paths/~1pet-of-the-day/get/responses/200"),
        ("lenient-parameter-default", "openapi.yaml:14: /paths/~1reports/get/parameters/0/schema"),
        ("lenient-schema-example", "openapi.yaml:24: /components/schemas/Voucher/properties/code"),
        ("lenient-null-example", "openapi.yaml:23: /paths/~1me/get/responses/200/content/"),
        ("lenient-broken-operation", "openapi.yaml:30: /components/schemas/Summary/properties"),
        ("lenient-json", "openapi.json:18: /paths/~1time/get/responses/200/content/"),
    ],
)
def test_strict_refuses_the_document_with_its_located_findings(name: str, says: str) -> None:
    with pytest.raises(InvalidDocument, match="refused \\(--strict\\)") as refused:
        create_app(Settings.build(spec_path=scenario(name), strict=True))
    assert says in str(refused.value)


def test_strict_serves_a_document_without_findings() -> None:
    server = create_app(Settings.build(spec_path=scenario("lenient-ref-property"), strict=True))
    assert set(server.spec.operations) == {"schemaOfTheDay"}


@pytest.mark.parametrize(
    ("file", "text", "says"),
    [
        ("list.yaml", "- a\n- b\n", "expected a mapping at the top level, got list"),
        ("random.json", '{"hello": [1, 2]}', "not an OpenAPI 3.0 or 3.1 document"),
        ("plain.yaml", "name: a shopping list\nitems: [eggs]\n", "not an OpenAPI 3.0 or 3.1"),
        ("garbage.yaml", "openapi: [3.0\n  : :\n", "invalid YAML"),
        ("scalar.json", "42", "expected a mapping at the top level, got int"),
    ],
)
@pytest.mark.parametrize("strict", [False, True])
def test_what_is_not_openapi_is_refused_strict_or_not(
    tmp_path: Path, file: str, text: str, says: str, strict: bool
) -> None:
    path = tmp_path / file
    path.write_text(text)
    with pytest.raises(SpecError, match=says):
        load_spec(path, strict=strict)
