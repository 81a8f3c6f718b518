from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from ibl_mock.app import create_app
from ibl_mock.serving.resolver import load_handlers
from ibl_mock.settings import Settings
from tests.conftest import SPECS

THINGS = SPECS / "things"


@pytest.fixture
def things() -> Iterator[TestClient]:
    with create_app(
        Settings.build(spec_path=THINGS / "spec" / "openapi.yaml")
    ).app.test_client() as c:
        yield c


def test_functions_named_by_operation_ids_are_found_and_nothing_else() -> None:
    found = load_handlers(THINGS / "handlers", ["things_retrieve", "things_list"])
    assert set(found) == {"things_retrieve"}


def test_a_handler_answers_with_the_fixture_record(things: TestClient) -> None:
    response = things.get("/things/1/?key=any&verbose=true")
    assert response.json() == {
        "id": 1, "name": "kettle", "url": "https://example.org/kettle", "owner": "ann",
    }  # fmt: skip
    assert things.get("/things/1/?key=any").json() == {"id": 1, "name": "kettle"}


def test_an_operation_without_a_handler_answers_from_the_spec(things: TestClient) -> None:
    response = things.get("/things/?key=any")
    assert (response.status_code, response.content) == (200, b"")
