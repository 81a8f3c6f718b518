from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from ibl_mock.app import create_app
from ibl_mock.pipeline.auth import Credentials, Principal, principals
from ibl_mock.pipeline.problems import AuthenticationFailed, NotAuthenticated
from ibl_mock.settings import Settings
from tests.conftest import SPECS

ANN = Principal(key="a" * 64, username="ann", org="o", role="student", user_id=5)


def test_tokens_join_their_users() -> None:
    users = [{"id": 5, "username": "ann", "org": "o", "role": "student"}]
    tokens = [{"key": "a" * 64, "username": "ann", "org": "o"}]
    assert principals(tokens, users) == [ANN]


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_no_credential_is_not_authenticated(raw: str | None) -> None:
    with pytest.raises(NotAuthenticated) as caught:
        Credentials([ANN], "Api-Token").authenticate(raw)
    assert caught.value.detail == "Authentication credentials were not provided."
    assert caught.value.headers == {"WWW-Authenticate": "Api-Token"}


@pytest.mark.parametrize(
    "raw", ["Api-Token " + "b" * 64, "a" * 64, "Bearer " + "a" * 64, "Api-Token", "Api-Token a b"]
)
def test_unknown_or_malformed_credentials_fail(raw: str) -> None:
    with pytest.raises(AuthenticationFailed, match=r"Invalid token\."):
        Credentials([ANN], "Api-Token").authenticate(raw)


def test_known_key_with_prefix_in_any_case() -> None:
    credentials = Credentials([ANN], "Api-Token")
    assert credentials.authenticate("Api-Token " + "a" * 64) == ANN
    assert credentials.authenticate("API-TOKEN " + "a" * 64) == ANN


def test_without_tokens_any_well_formed_credential_is_accepted() -> None:
    credentials = Credentials([], "")
    assert credentials.is_open
    assert credentials.authenticate("whatever").key == "whatever"
    with pytest.raises(NotAuthenticated):
        credentials.authenticate(None)


@pytest.fixture
def things() -> Iterator[TestClient]:
    spec = SPECS / "things" / "spec" / "openapi.yaml"
    with create_app(Settings.build(spec_path=spec)).app.test_client() as c:
        yield c


def test_an_api_key_in_the_query_is_read_from_there(things: TestClient) -> None:
    assert things.get("/things/1/?key=anything").status_code == 200
    missing = things.get("/things/1/")
    assert (missing.status_code, missing.json()) == (
        401, {"detail": "Authentication credentials were not provided."},
    )  # fmt: skip
