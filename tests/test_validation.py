from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from ibl_mock.app import create_app
from ibl_mock.settings import Settings
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
