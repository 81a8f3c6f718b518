"""control/heap: a served mock's state left out of garbage collection after it is written."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from ibl_mock.app import create_app
from ibl_mock.control.heap import building, settle
from ibl_mock.settings import Settings
from tests.conftest import SEED_SPEC

TOKEN = {"X-Mock-Admin-Token": "t"}


@pytest.fixture
def thawed() -> Iterator[None]:
    yield
    gc.unfreeze()  # the test process is shared: leave it as it was


def test_settling_freezes_what_lives(thawed: None) -> None:
    kept = [{"id": n} for n in range(1000)]
    settle()
    assert gc.get_freeze_count() >= len(kept)


def test_the_admin_api_settles_the_heap_after_each_write_of_the_state() -> None:
    server = create_app(Settings.build(spec_path=SEED_SPEC, admin=True, admin_token="t"))
    settled: list[str] = []
    server.controls.settle = lambda: settled.append("settled")
    with TestClient(server) as client:
        images = client.get("/__mock__/records?collection=images", headers=TOKEN).json()
        client.put("/__mock__/records?collection=images", headers=TOKEN, json=images[:3])
        assert settled == ["settled"]
        client.post("/__mock__/reset", headers=TOKEN)
        client.post("/__mock__/reset", headers=TOKEN, json={"seed": 5})  # a reseed: twice
        state = client.get("/__mock__/state", headers=TOKEN).json()
        client.put("/__mock__/state", headers=TOKEN, json=state)
    assert len(settled) == 5


def test_an_embedded_mock_leaves_the_heap_alone() -> None:
    frozen = gc.get_freeze_count()
    server = create_app(Settings.build(spec_path=SEED_SPEC, admin=True))
    with TestClient(server) as client:
        client.post("/__mock__/reset")
    assert gc.get_freeze_count() == frozen


def test_the_collector_is_off_while_building_until_settled(thawed: None) -> None:
    with building():
        assert not gc.isenabled()
        settle()
        assert gc.isenabled()  # serving: on again, the build frozen
    assert gc.isenabled()


def test_a_build_that_fails_leaves_the_collector_on() -> None:
    with pytest.raises(RuntimeError), building():
        raise RuntimeError("a broken document")
    assert gc.isenabled()
