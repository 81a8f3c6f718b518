"""Connexion's copy of the document: `$ref` keys that are not references (a property named
`$ref`, an example pointing nowhere) no longer crash its loader, and its validators see
them under their own name."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from ibl_mock.app import create_app
from ibl_mock.contract.connexion_copy import ESCAPED, prepared
from ibl_mock.settings import Settings
from tests.conftest import SPECS, serve_spec


@pytest.fixture(params=["async", "flask"])
def registry(request: pytest.FixtureRequest) -> Iterator[TestClient]:
    yield from serve_spec(SPECS / "ref-property" / "openapi.yaml", request.param)


def test_a_document_with_a_property_named_ref_is_served(registry: TestClient) -> None:
    sent = {"$ref": "#/definitions/address", "title": "Address"}
    answer = registry.post("/schemas", json=sent)
    assert answer.status_code == 201, answer.text


def test_the_property_named_ref_is_validated_by_its_schema(registry: TestClient) -> None:
    answer = registry.post("/schemas", json={"$ref": 5, "title": "Address"})
    assert answer.status_code == 400
    assert answer.json()["detail"] == "5 is not of type 'string' - '$ref'"


DOCUMENT: dict[str, Any] = {
    "paths": {},
    "components": {
        "schemas": {
            "Doc": {
                "type": "object",
                "properties": {
                    "$ref": {"type": "string"},
                    "next": {"$ref": "#/components/schemas/Doc"},
                },
                "example": {"$ref": "#/definitions/nowhere"},
            }
        }
    },
}


def test_only_references_keep_their_key_for_connexion() -> None:
    kept = copy.deepcopy(DOCUMENT)
    document = prepared(DOCUMENT)
    doc = document["components"]["schemas"]["Doc"]
    assert list(doc["properties"]) == [ESCAPED, "next"]  # in its place among the keys
    assert doc["properties"]["next"] == {"$ref": "#/components/schemas/Doc"}
    assert doc["example"] == {ESCAPED: "#/definitions/nowhere"}
    assert kept == DOCUMENT  # a copy was prepared


def test_a_parameter_described_with_content_gets_its_schema_for_routing() -> None:
    schema = {"type": "object"}
    parameter = {"name": "q", "in": "path", "content": {"application/json": {"schema": schema}}}
    document = prepared({"paths": {"/x/{q}": {"parameters": [parameter]}}})
    assert document["paths"]["/x/{q}"]["parameters"][0]["schema"] == schema


@pytest.fixture(params=["async", "flask"])
def names(request: pytest.FixtureRequest) -> Iterator[TestClient]:
    yield from serve_spec(SPECS / "path-names" / "openapi.yaml", request.param)


def test_path_parameters_named_with_hyphens_dots_or_digits_route(names: TestClient) -> None:
    assert names.get("/energy-types/fire").status_code == 200
    assert names.get("/energy-types/air").status_code == 400  # still validated
    assert names.get("/items/3/tags/a").status_code == 200
    assert names.get("/items/three/tags/a").status_code in (400, 404)
    assert names.get("/projects/p1.json").status_code == 200  # no operationId: not a 501
    shown = names.get("/openapi.json").json()["paths"]
    assert set(shown) == {
        "/energy-types/{energy-type}",
        "/items/{item.id}/tags/{1st}",
        "/projects/{id}{.format}",
    }


@pytest.fixture(params=["async", "flask"])
def ranges(request: pytest.FixtureRequest) -> Iterator[TestClient]:
    yield from serve_spec(SPECS / "media-ranges" / "openapi.yaml", request.param)


@pytest.mark.parametrize(
    ("path", "sent_as"),
    [
        ("/a", "application/vnd.acme+json"),  # documented as the range application/*+json
        ("/e", "application/vnd.acme.cards.v1+json"),  # one structured type
        ("/d", "application/json;version=2018-01-01"),  # a type with parameters
    ],
)
def test_a_json_body_type_takes_its_base_type(ranges: TestClient, path: str, sent_as: str) -> None:
    for media in ("application/json", sent_as):
        sent = ranges.post(path, content=b'{"n": 1}', headers={"Content-Type": media})
        assert sent.status_code == 200, (media, sent.text)
    wrong = ranges.post(path, content=b'{"n": "x"}', headers={"Content-Type": "application/json"})
    assert wrong.status_code == 400  # validated all the same
    other = ranges.post(path, content=b"n", headers={"Content-Type": "text/plain"})
    assert other.status_code == 415


def test_the_document_shown_keeps_the_range_as_written(ranges: TestClient) -> None:
    shown = ranges.get("/openapi.json").json()["paths"]["/a"]["post"]["requestBody"]["content"]
    assert list(shown) == ["application/*+json"]


@pytest.fixture(params=["async", "flask"])
def heads(request: pytest.FixtureRequest) -> Iterator[TestClient]:
    yield from serve_spec(SPECS / "head-operations" / "openapi.yaml", request.param)


def test_a_head_operation_listed_after_get_is_reached(heads: TestClient) -> None:
    assert heads.head("/", headers={"accessToken": "k"}).status_code == 204  # its own
    assert heads.get("/?accessToken=k").status_code == 200
    assert heads.head("/?accessToken=k").status_code == 401  # not GET's security


def test_a_mutual_tls_scheme_is_left_to_the_transport() -> None:
    spec = SPECS / "mutual-tls" / "openapi.yaml"
    with create_app(Settings.build(spec_path=spec)).app.test_client() as client:
        assert client.post("/anything/mutualTLS").status_code == 200  # 401 before
        assert client.post("/anything/both").status_code == 401  # the key is still wanted
        assert client.post("/anything/both", headers={"X-Key": "k"}).status_code == 200


def test_two_oauth2_schemes_required_together_take_the_bearer_token() -> None:
    spec = SPECS / "oauth2-and" / "openapi.yaml"
    with create_app(Settings.build(spec_path=spec)).app.test_client() as client:
        assert client.get("/tasks", headers={"Authorization": "Bearer t"}).status_code == 200
        assert client.get("/tasks").status_code == 401
        shown = client.get("/openapi.json").json()["paths"]["/tasks"]["get"]["security"]
    assert shown == [{"implicit": ["tasks"], "code": ["tasks"]}]  # shown as written


def test_an_answer_documented_for_any_media_type_goes_out_as_json(ranges: TestClient) -> None:
    answer = ranges.get("/c")
    assert answer.status_code == 200, answer.text  # Connexion's produces takes the JSON
    assert answer.headers["content-type"] == "application/json"
    assert isinstance(answer.json()["n"], int)


def test_a_pointer_written_with_escapes_to_a_recursive_schema_is_served() -> None:
    # Connexion looked `#/paths/~1things/...` up without unescaping it: a RecursionError
    for client in serve_spec(SPECS / "path-pointer-refs" / "openapi.yaml"):
        answer = client.get("/things")
        assert answer.status_code == 200, answer.text
        assert isinstance(answer.json()["node"], dict)
        assert "x-ibl-mock-targets" not in client.get("/openapi.json").json()  # as written
        assert client.post("/things", json={"node": {"id": 7}}).status_code == 400


def test_a_ref_to_a_list_in_an_extension_is_left_as_written() -> None:
    for client in serve_spec(SPECS / "path-pointer-refs" / "openapi.yaml"):
        shown = client.get("/openapi.json").json()["paths"]["/things"]["get"]
        assert shown["x-policies"] == {"$ref": "#/components/x-policy-lists/player"}


def test_a_path_with_text_after_its_parameter_is_routed_before_a_bare_one() -> None:
    spec = SPECS / "overlapping-paths" / "openapi.yaml"
    with create_app(Settings.build(spec_path=spec)).app.test_client() as client:
        download = client.get("/models/m1:download")  # no key: downloadModel asks none
        assert download.status_code == 200, download.text
        assert set(download.json()) <= {"url"}
        assert client.get("/models/m1").status_code == 401  # getModel still asks its key


def test_an_operations_own_parameter_overrides_its_paths() -> None:
    # rawg: `/creators/{id}` an integer for the path, a string for its `get`
    spec = SPECS / "overriding-parameters" / "openapi.yaml"
    with create_app(Settings.build(spec_path=spec)).app.test_client() as client:
        assert client.get("/things/abc").status_code == 200
        assert client.get("/things/abcdef").status_code == 400  # its own maxLength
        assert client.get("/things/abc?verbose=maybe").status_code == 400  # the path's too
        assert client.delete("/things/7").status_code == 204  # the path's integer, routed


def test_parameters_shared_by_pointers_into_the_paths_are_followed() -> None:
    uuid = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    for client in serve_spec(SPECS / "path-parameter-refs" / "openapi.yaml"):
        assert client.get(f"/companies/{uuid}/sync?page=2").status_code == 200
        refused = client.get(f"/companies/{uuid}/sync?page=0")  # the shared `page`
        assert refused.status_code == 400 and "page" in refused.text
        assert client.get("/companies/not-a-uuid/sync").status_code == 400  # the path's
        assert client.get(f"/companies/{uuid}/connections").status_code == 200
