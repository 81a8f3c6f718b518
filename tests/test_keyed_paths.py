"""Path keys written with a query or fragment are served, each request routed to its key
by the parameters the key names (tests/specs/keyed-paths)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from ibl_mock.contract.keyed_paths import split_key
from tests.conftest import SPECS, serve_spec


@pytest.fixture(params=["async", "flask"])
def client(request: pytest.FixtureRequest) -> Iterator[TestClient]:
    yield from serve_spec(SPECS / "keyed-paths" / "openapi.yaml", request.param)


def test_a_key_splits_into_its_path_and_conditions() -> None:
    assert split_key("/#Action=Send") == ("/", (("Action", "Send"),))
    assert split_key("/entity#catalog&entityId") == (
        "/entity",
        (("catalog", None), ("entityId", None)),
    )
    assert split_key("/things?kind=a") == ("/things", (("kind", "a"),))
    assert split_key("/plain/{id}") == ("/plain/{id}", ())


def test_operations_sharing_a_path_are_told_apart_by_a_query_value(client: TestClient) -> None:
    sent = client.post("/?Action=Send&Body=hi")
    assert sent.status_code == 200 and sent.json() == {"sent": sent.json()["sent"]}
    received = client.post("/?Action=Receive")
    assert received.status_code == 200 and "messages" in received.json()


def test_operations_sharing_a_path_are_told_apart_by_a_header(client: TestClient) -> None:
    assert "table" in client.post("/tables", headers={"X-Target": "Tables.Get"}).json()
    assert client.post("/tables", headers={"X-Target": "Tables.Drop"}).status_code == 204


def test_a_request_meeting_no_key_is_told_what_is_missing(client: TestClient) -> None:
    missing = client.post("/?Body=hi")
    assert missing.status_code == 400
    assert missing.json() == {"detail": "Missing query parameter 'Action'"}
    wrong = client.post("/tables", headers={"X-Target": "Tables.Nope"})
    assert wrong.status_code == 400 and "X-Target" in wrong.json()["detail"]


def test_a_key_alone_on_its_path_is_served_at_the_path(client: TestClient) -> None:
    response = client.get("/entity?catalog=c&entityId=e")
    assert response.status_code == 200 and "name" in response.json()
    assert client.get("/entity?catalog=c").status_code == 400


def test_a_method_no_key_serves_is_405(client: TestClient) -> None:
    response = client.get("/tables")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


def test_the_document_shown_keeps_the_keys_as_written(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths) == {
        "/#Action=Send",
        "/#Action=Receive",
        "/tables#X-Target=Tables.Get",
        "/tables#X-Target=Tables.Drop",
        "/entity#catalog&entityId",
        "/send/#env/v1/partners/{partnerId}/transfer",
        "/maps/wms/",
        "/maps/wms//",
        "/thumbnails",
        "/thumbnails#overload=stream",
        "/records?view=all",
        "/records/{id}",
    }


def test_a_path_parameter_written_in_the_fragment_is_not_asked_for(client: TestClient) -> None:
    # `/send/#env/v1/partners/{partnerId}/transfer`: no request can carry `partnerId`
    done = client.post("/send/")
    assert done.status_code == 200, done.text
    assert isinstance(done.json()["done"], bool)


def test_keys_differing_by_a_repeated_slash_are_told_apart_by_fixed_values(
    client: TestClient,
) -> None:
    assert "map" in client.get("/maps/wms/?request=GetMap").json()
    for path in ("/maps/wms/", "/maps/wms//"):  # clients send `//` as `/`; some do not
        answer = client.get(f"{path}?request=GetCapabilities")
        assert answer.status_code == 200, answer.text
        assert "layers" in answer.json()


def test_keys_sharing_a_path_are_told_apart_by_the_body_type(client: TestClient) -> None:
    by_url = client.post("/thumbnails", json={"url": "https://x.example/a.png"})
    assert (by_url.status_code, by_url.json()) == (200, {"from": "url"})
    raw = {"Content-Type": "application/octet-stream"}
    by_bytes = client.post("/thumbnails", content=b"\x89PNG", headers=raw)
    assert (by_bytes.status_code, by_bytes.json()) == (200, {"from": "bytes"})


def test_a_parameter_shared_by_reference_through_a_keyed_path_is_served(
    client: TestClient,
) -> None:
    # `$ref: '#/paths/~1records?view=all/get/parameters/1'`: that key is rewritten when served
    assert client.get("/records/5?limit=2").status_code == 200
    refused = client.get("/records/5?limit=many")
    assert refused.status_code == 400, refused.text
    assert "limit" in refused.json()["detail"]


@pytest.fixture(params=["async", "flask"])
def named_apart(request: pytest.FixtureRequest) -> Iterator[TestClient]:
    yield from serve_spec(SPECS / "named-apart" / "openapi.yaml", request.param)


UUID = "4f1c2a9e-0b7d-4e5a-9c3f-2d6e8a1b7c05"


def test_templates_named_apart_route_by_which_parameters_the_values_fit(
    named_apart: TestClient,
) -> None:
    assert named_apart.get(f"/files/{UUID}").json() == {"by": "id"}
    assert named_apart.get("/files/report.pdf").json() == {"by": "name"}


def test_the_template_taking_any_text_is_tried_last_wherever_it_is_listed(
    named_apart: TestClient,
) -> None:
    assert named_apart.get("/counts/42").json() == {"kind": "count"}
    assert named_apart.get("/counts/420").json() == {"kind": "label"}  # over the maximum
    assert named_apart.get("/counts/x").json() == {"kind": "label"}


def test_a_method_only_one_template_serves_goes_there(named_apart: TestClient) -> None:
    assert named_apart.put(f"/files/{UUID}").status_code == 204
    assert named_apart.delete("/files/x").status_code == 405


def test_a_method_no_template_serves_is_the_405_of_the_one_the_values_fit(
    named_apart: TestClient,
) -> None:
    # the integer template is listed first; `abc` fits only the other, whose route answers
    refused = named_apart.delete("/things/abc")
    assert refused.status_code == 405, refused.text
    assert refused.headers["allow"] == "GET, HEAD"
