"""ibl-mock's changes to Connexion stay within ibl-mock's own apps: a user's Connexion app
in the same process (the pytest plugin loads ibl-mock into every session) keeps its
document validation and its parameter casting."""

from __future__ import annotations

import logging
import sys
import types
from typing import Any

import pytest
from connexion import AsyncApp
from connexion.exceptions import InvalidSpecification
from starlette.testclient import TestClient

from ibl_mock.app import create_app
from ibl_mock.scoped_patches import QUIETED, SERVING, WhileServing
from ibl_mock.settings import Settings
from tests.conftest import SPECS

USER_DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "a user's own app", "version": "1"},
    "paths": {
        "/double": {
            "get": {
                "operationId": "user_handlers.double",
                "parameters": [
                    {"name": "n", "in": "query", "required": True, "schema": {"type": "integer"}}
                ],
                "responses": {"200": {"description": "twice n"}},
            }
        }
    },
}


@pytest.fixture(autouse=True)
def an_ibl_mock_app_is_built() -> None:
    create_app(Settings.build(spec_path=SPECS / "keyed-paths" / "openapi.yaml"))


@pytest.fixture
def user_handlers() -> Any:
    module = types.ModuleType("user_handlers")

    def double(n: Any) -> Any:
        return {"n": n * 2, "type": type(n).__name__}

    module.double = double  # type: ignore[attr-defined]
    sys.modules["user_handlers"] = module
    yield module
    del sys.modules["user_handlers"]


def test_a_users_app_still_has_its_document_validated() -> None:
    broken = {**USER_DOCUMENT, "paths": {"/x": {"get": {"responses": "not a mapping"}}}}
    with pytest.raises(InvalidSpecification):
        AsyncApp(__name__).add_api(broken)


def test_a_users_app_still_gets_its_parameters_cast(user_handlers: Any) -> None:
    app = AsyncApp(__name__)
    app.add_api(USER_DOCUMENT)
    with TestClient(app) as client:
        assert client.get("/double?n=21").json() == {"n": 42, "type": "int"}


def test_connexion_log_lines_are_quieted_only_while_ibl_mock_answers() -> None:
    logger = logging.getLogger(next(iter(QUIETED)))
    found = [f for f in logger.filters if isinstance(f, WhileServing)]
    assert len(found) == 1
    record = logger.makeRecord(logger.name, logging.ERROR, __file__, 1, "x", (), None)
    assert found[0].filter(record)  # a user's app: kept
    token = SERVING.set(True)
    try:
        assert not found[0].filter(record)
    finally:
        SERVING.reset(token)
