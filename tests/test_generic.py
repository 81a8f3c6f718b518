"""Operations without a hand-written handler answer from the spec; `Prefer` and `Accept`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from ibl_mock.app import create_app
from ibl_mock.settings import Settings
from tests.conftest import MAIN_ADMIN, SPECS, auth, images_url

from .conftest import SEED_SPEC


@pytest.fixture
def client() -> Iterator[TestClient]:
    spec = SPECS / "responses" / "openapi.yaml"
    with create_app(Settings.build(spec_path=spec)).app.test_client() as c:
        yield c


def test_the_first_example_answers_with_required_headers(client: TestClient) -> None:
    response = client.get("/report")
    assert response.status_code == 200
    assert response.json() == {"title": "Quarterly", "rows": 3}
    assert 1 <= int(response.headers["x-rate-limit"]) <= 100
    assert "x-optional" not in response.headers


def test_a_media_type_of_no_schema_is_answered_with_its_type(client: TestClient) -> None:
    untyped = client.get("/untyped")
    assert (untyped.status_code, untyped.json()) == (200, {})
    assert untyped.headers["content-type"] == "application/json"
    tile = client.get("/tiles/3.pbf")
    assert (tile.status_code, tile.content) == (200, b"")  # an empty message
    assert tile.headers["content-type"] == "application/x-protobuf"
    assert "content-type" not in client.post("/created").headers  # nothing documented
    empty = client.get("/hyponyms")  # an empty example: still the documented type
    assert (empty.status_code, empty.content) == (200, b"")
    assert empty.headers["content-type"].startswith("text/plain")
    blank = client.get("/antonyms")  # in JSON, the empty string is `""`
    assert (blank.status_code, blank.json()) == (200, "")
    assert blank.headers["content-type"] == "application/json"


def test_prefer_example_picks_a_named_example(client: TestClient) -> None:
    response = client.get("/report", headers={"Prefer": "example=empty"})
    assert response.json() == {"title": "Nothing", "rows": 0}
    unknown = client.get("/report", headers={"Prefer": "example=nope"})
    assert unknown.status_code == 400
    assert unknown.json()["detail"] == (
        "Prefer: example='nope' is not an example of this response (examples: full, empty)."
    )


def test_prefer_code_picks_a_documented_status(client: TestClient) -> None:
    missing = client.get("/report", headers={"Prefer": "code=404"})
    assert missing.status_code == 404
    assert set(missing.json()) == {"code", "message"}
    unavailable = client.get("/report", headers={"Prefer": "code=503"})  # documented as 5XX
    assert (unavailable.status_code, unavailable.content) == (503, b"")
    assert "content-type" not in unavailable.headers
    undocumented = client.get("/generated", headers={"Prefer": "code=418"})
    assert undocumented.status_code == 400
    assert "code=418 is not documented" in undocumented.json()["detail"]
    assert client.get("/report", headers={"Prefer": "code=abc"}).status_code == 400


def test_schema_made_bodies_are_stable_unless_dynamic(client: TestClient) -> None:
    first = client.get("/generated").json()
    assert first == client.get("/generated").json()
    assert isinstance(first["title"], str) and first["rows"] >= 0
    dynamic = [
        client.get("/generated", headers={"Prefer": "dynamic=true"}).json() for _ in range(5)
    ]
    assert len({str(d) for d in dynamic}) > 1


def test_accept_chooses_the_media_type(client: TestClient) -> None:
    csv = client.get("/report", headers={"Accept": "text/csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text == "title,rows\nQuarterly,3\n"
    best = client.get("/report", headers={"Accept": "text/csv;q=0.5, application/json"})
    assert best.headers["content-type"].startswith("application/json")
    refused = client.get("/report", headers={"Accept": "image/png"})
    assert refused.status_code == 406
    assert "application/json, text/csv" in refused.json()["detail"]


def test_operations_without_an_id_are_served(client: TestClient) -> None:
    assert client.post("/created").status_code == 201


def test_prefer_reaches_past_hand_written_handlers() -> None:
    with create_app(Settings.build(spec_path=SEED_SPEC)).app.test_client() as c:
        response = c.get(images_url(), headers={**auth(MAIN_ADMIN), "Prefer": "code=404"})
        assert response.status_code == 404 and set(response.json()) == {"detail"}
        normal = c.get(images_url(), headers=auth(MAIN_ADMIN))
        assert normal.json()["count"] >= 12
