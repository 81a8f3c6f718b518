from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from ibl_mock.app import create_app
from ibl_mock.settings import Settings
from ibl_mock.validation import simple_style
from tests.conftest import SPECS


@pytest.fixture
def things() -> Iterator[TestClient]:
    spec = SPECS / "things" / "spec" / "openapi.yaml"
    with create_app(Settings.build(spec_path=spec)).app.test_client() as c:
        yield c


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("verbose=maybe", "Query parameter 'verbose': 'maybe' is not of type 'boolean'"),
        ("limit=9", "Query parameter 'limit': 9 is greater than the maximum of 5"),
        ("limit=0", "Query parameter 'limit': 0 is less than the minimum of 1"),
    ],
)
def test_one_line_errors_name_the_parameter(things: TestClient, query: str, detail: str) -> None:
    response = things.get(f"/things/1/?key=k&{query}")
    assert (response.status_code, response.json()) == (400, {"detail": detail})


def test_a_huge_value_is_not_echoed_whole(things: TestClient) -> None:
    response = things.get("/things/1/?key=k&limit=" + "x" * 50_000)
    detail = response.json()["detail"]
    assert response.status_code == 400
    assert detail.startswith("Query parameter 'limit': ") and len(detail) <= 250


def test_valid_parameters_pass(things: TestClient) -> None:
    assert things.get("/things/2/?key=k&limit=5&verbose=false").status_code == 200


@pytest.fixture
def formats() -> Iterator[TestClient]:
    spec = SPECS / "formats" / "openapi.yaml"
    with create_app(Settings.build(spec_path=spec)).app.test_client() as c:
        yield c


METER = "/meters/6f1c2a4e-8d3b-4f7a-9c2e-1b5d7e9a0c3f"


@pytest.mark.parametrize(
    ("url", "detail"),
    [
        ("/meters/not-a-uuid", "Path parameter 'meterId': 'not-a-uuid' is not a 'uuid'"),
        (f"{METER}?day=31/12/2025", "Query parameter 'day': '31/12/2025' is not a 'date'"),
    ],
)
def test_parameters_are_checked_for_openapi_formats(
    formats: TestClient, url: str, detail: str
) -> None:
    response = formats.get(url)
    assert (response.status_code, response.json()) == (400, {"detail": detail})
    assert formats.get(f"{METER}?day=2025-12-31").status_code == 200


def test_form_fields_are_checked_for_openapi_formats(formats: TestClient) -> None:
    bad = formats.post("/readings", data={"taken_on": "yesterday"})
    assert bad.status_code == 400 and "'yesterday' is not a 'date'" in bad.json()["detail"]
    assert formats.post("/readings", data={"taken_on": "2025-12-31"}).status_code == 201


def test_a_required_raw_body_must_be_sent_but_may_be_empty(formats: TestClient) -> None:
    missing = formats.put("/firmware")
    assert (missing.status_code, missing.json()) == (400, {"detail": "Request body is required."})
    empty_file = formats.put(
        "/firmware", content=b"", headers={"Content-Type": "application/octet-stream"}
    )
    assert empty_file.status_code == 202
    assert (
        formats.put(
            "/firmware", content=b"\x00\x01", headers={"Content-Type": "application/octet-stream"}
        ).status_code
        == 202
    )


def test_a_raw_body_over_the_limit_is_413(formats: TestClient) -> None:
    huge = formats.put(
        "/firmware", content=b"\x00" * (10 * 1024 * 1024 + 1),
        headers={"Content-Type": "application/octet-stream"},
    )  # fmt: skip
    assert huge.status_code == 413


INTEGER, BOOLEAN = {"type": "integer"}, {"type": "boolean"}


@pytest.mark.parametrize(
    ("value", "explode", "schema", "read"),
    [
        ("app=cli,version=2", True, {"type": "object", "properties": {"version": INTEGER}},
         {"app": "cli", "version": 2}),
        ("app,cli,debug,true", False, {"type": "object", "properties": {"debug": BOOLEAN}},
         {"app": "cli", "debug": True}),
        ("", True, {"type": "object"}, {}),
        ("1,2,x", False, {"type": "array", "items": {"type": "integer"}}, [1, 2, "x"]),
        ("12", False, {"type": "integer"}, 12),
        ("inf", False, {"type": "number"}, "inf"),
    ],
)  # fmt: skip
def test_headers_are_read_in_simple_style(
    value: str, explode: bool, schema: dict[str, Any], read: Any
) -> None:
    assert simple_style(value, {"schema": schema, "explode": explode}) == read


def test_a_body_against_its_schema_is_422_where_422_is_documented(formats: TestClient) -> None:
    wrong = formats.post("/gauges", json={"unit": "kPa"})
    assert wrong.status_code == 422 and "'kPa' is not one of" in wrong.json()["detail"]
    malformed = formats.post("/gauges", content=b"{", headers={"Content-Type": "application/json"})
    assert malformed.status_code == 400  # not JSON at all: a bad request still
    assert formats.post("/gauges", json={"unit": "bar"}).status_code == 201


def test_a_body_against_its_schema_is_400_where_only_400_is_documented(formats: TestClient) -> None:
    assert formats.post("/readings", data={}).status_code == 400


def test_a_form_body_over_the_limit_is_413(formats: TestClient) -> None:
    huge = b"taken_on=" + b"2" * (10 * 1024 * 1024)
    answer = formats.post(
        "/readings", content=huge, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert answer.status_code == 413


def test_a_huge_body_value_is_not_echoed_whole(formats: TestClient) -> None:
    answer = formats.post("/gauges", json={"unit": "k" * 100_000})
    detail = answer.json()["detail"]
    assert answer.status_code == 422 and len(detail) < 300 and detail.endswith(" - 'unit'")
    form = formats.post("/readings", data={"taken_on": "9" * 100_000})
    assert form.status_code == 400 and len(form.json()["detail"]) < 300


def test_a_form_field_may_be_as_large_as_a_body(formats: TestClient) -> None:
    big = formats.post("/readings", data={"taken_on": "2" * (2 * 1024 * 1024)})
    assert big.status_code == 400 and "is not a 'date'" in big.json()["detail"]  # read whole
