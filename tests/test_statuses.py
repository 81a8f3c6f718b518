"""The contract decides the status: documented statuses, substitutes, and behaving so that a
documented status is right (tests/specs/statuses)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from ibl_mock.app import create_app
from ibl_mock.pipeline.negotiation import success_status
from ibl_mock.pipeline.statuses import answer_status, documented_status
from ibl_mock.settings import Settings
from tests.conftest import SPECS, serve_spec

KEY = {"X-Key": "anything"}


@pytest.fixture
def client() -> Iterator[TestClient]:
    yield from serve_spec(SPECS / "statuses" / "openapi.yaml")


@pytest.mark.parametrize(
    ("responses", "natural", "sent"),
    [
        ({"200": {}, "404": {}}, 404, 404),
        ({"200": {}, "4XX": {}}, 404, 404),
        ({"200": {}, "default": {}}, 401, 401),
        ({"200": {}, "410": {}}, 404, 410),
        ({"200": {}, "403": {}}, 401, 403),
        ({"200": {}, "401": {}}, 403, 401),
        ({"200": {}, "422": {}}, 400, 422),
        ({"200": {}, "400": {}}, 409, 400),
        ({"200": {}}, 404, None),
        ({"200": {}, "400": {}}, 415, None),  # protocol statuses are never swapped
        ({"200": {}, "480": {"description": "ValidationException"}}, 400, 480),
        ({"200": {}, "482": {"description": "ResourceNotFoundException"}}, 404, 482),
        ({"200": {}, "483": {"description": "AccessDeniedException"}}, 401, 483),
        ({"200": {}, "480": {"description": "InternalServerException"}}, 400, None),
    ],
)
def test_a_documented_status_or_its_closest_substitute(
    responses: dict[str, object], natural: int, sent: int | None
) -> None:
    assert documented_status(responses, natural) == sent
    assert answer_status(responses, natural) == (sent or natural)


def test_an_unknown_operation_keeps_the_natural_status() -> None:
    assert answer_status(None, 404) == 404


def test_a_missing_key_is_403_where_only_403_is_documented(client: TestClient) -> None:
    response = client.get("/notes")
    assert response.status_code == 403
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_a_bad_body_is_422_where_only_422_is_documented(client: TestClient) -> None:
    response = client.post("/notes", headers=KEY, json={"text": 5})
    assert response.status_code == 422
    assert "text" in response.json()["detail"]


def test_an_unknown_id_is_answered_as_if_it_existed_without_a_404(client: TestClient) -> None:
    first = client.get("/notes/987654", headers=KEY)
    assert first.status_code == 200
    assert first.json()["id"] == 987654
    assert client.get("/notes/987654", headers=KEY).json() == first.json()  # same every time
    ids = [note["id"] for note in client.get("/notes", headers=KEY).json()]
    assert 987654 not in ids  # a read does not create it


def test_an_update_of_an_unknown_id_answers_with_what_was_sent(client: TestClient) -> None:
    response = client.put("/notes/987654", headers=KEY, json={"text": "hello"})
    assert response.status_code == 200
    assert response.json()["id"] == 987654
    assert response.json()["text"] == "hello"


def test_a_delete_is_done_once_and_stays_done(client: TestClient) -> None:
    note = client.get("/notes", headers=KEY).json()[0]
    assert client.delete(f"/notes/{note['id']}", headers=KEY).status_code == 204
    listed = [n["id"] for n in client.get("/notes", headers=KEY).json()]
    assert note["id"] not in listed
    assert client.delete(f"/notes/{note['id']}", headers=KEY).status_code == 204


def test_a_gone_record_is_410_where_410_stands_for_404(client: TestClient) -> None:
    response = client.get("/archives/987654", headers=KEY)
    assert response.status_code == 410
    assert response.content == b""  # the 410 documents no body


@pytest.fixture(params=["async", "flask"])
def untidy(request: pytest.FixtureRequest) -> Iterator[TestClient]:
    yield from serve_spec(SPECS / "statuses-untidy" / "openapi.yaml", request.param)


def test_a_bodiless_404_beside_several_success_media_types(untidy: TestClient) -> None:
    response = untidy.get("/users/nobody")
    assert response.status_code == 404
    assert response.content == b""
    assert "content-type" not in response.headers


def test_an_informational_status_is_never_the_answer(untidy: TestClient) -> None:
    assert untidy.post("/session").status_code == 400  # 101 cannot be sent; 400 is documented


def test_accept_documented_as_a_parameter_is_not_negotiated_on() -> None:
    spec = SPECS / "accept-parameter" / "openapi.yaml"
    with create_app(Settings.build(spec_path=spec)).app.test_client() as client:
        taken = client.get("/ratings", headers={"Accept": "G"})
        assert taken.status_code == 200
        assert taken.headers["content-type"] == "application/json"
        assert client.get("/plain", headers={"Accept": "text/csv"}).status_code == 406
        review = client.get("/reviews", headers={"Accept": "N"}).json()[0]
        assert client.get(f"/reviews/{review['id']}", headers={"Accept": "N"}).status_code == 200


def test_a_bad_request_takes_the_status_whose_description_names_it(client: TestClient) -> None:
    response = client.post("/suggesters", headers=KEY)  # `Name` is missing
    assert response.status_code == 481, response.text  # described `ValidationException`
    assert "Name" in response.json()["detail"]


def test_an_update_documenting_no_success_answers_a_documented_body(client: TestClient) -> None:
    before = client.get("/notes/1", headers=KEY).json()
    response = client.patch("/notes/1", json={"text": "changed"}, headers=KEY)
    assert response.status_code == 400
    body = response.json()
    assert isinstance(body, list) and all(set(item) >= {"detail"} for item in body)
    assert client.get("/notes/1", headers=KEY).json() == before  # nothing was stored


def test_with_no_success_documented_no_status_blames_a_valid_request() -> None:
    # SCIM documents only 405 for deleting a user: that, not its 400 or 403, is the answer
    documented: dict[str, Any] = {"400": {}, "401": {}, "403": {}, "404": {}, "405": {}}
    assert success_status(documented) == ("404", 404)
    assert success_status({"400": {}, "403": {}, "405": {}}) == ("405", 405)
    assert success_status({"400": {}, "422": {}}) == ("400", 400)  # nothing else to say
