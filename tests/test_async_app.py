"""serving/async_app: each handler decorated once, each request still read on its own."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from ibl_mock.app import create_app
from ibl_mock.serving import async_app
from ibl_mock.settings import Settings
from tests.conftest import MAIN_ADMIN, SEED_SPEC, images_url

HEADERS = {"Authorization": f"Api-Token {MAIN_ADMIN}"}


def test_a_handler_is_decorated_once_and_reads_each_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    decorations: list[Any] = []
    original = async_app.DecoratedOnce.decorate

    def counted(self: async_app.DecoratedOnce, function: Any) -> Any:
        decorations.append(function)
        return original(self, function)

    monkeypatch.setattr(async_app.DecoratedOnce, "decorate", counted)
    server = create_app(Settings.build(spec_path=SEED_SPEC))
    with TestClient(server) as client:
        pages = [
            client.get(images_url() + f"?page_size={size}", headers=HEADERS).json()
            for size in (1, 2, 3, 2)
        ]
        refused = client.get(images_url() + "?page_size=many", headers=HEADERS)
    assert len(decorations) == 1  # four answers (and a refusal) of one decorated handler
    assert [len(page["results"]) for page in pages] == [1, 2, 3, 2]
    assert refused.status_code == 400
