"""control/redis_controls: journal, behaviours and seed kept in Redis, so that mocks
sharing a store (workers, machines) share them, whichever answers the admin API."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace

import pytest
from starlette.testclient import TestClient

from ibl_mock.app import MockServer, create_app
from ibl_mock.control.behaviour import Behaviour
from ibl_mock.control.journal import Entry
from ibl_mock.control.redis_controls import RedisBehaviours, RedisJournal, SharedSeed
from ibl_mock.data.redis_store import RedisStore
from ibl_mock.settings import Settings
from tests.conftest import SPECS

WORLD = SPECS / "shared-world" / "openapi.yaml"


@pytest.fixture
def namespace(redis_url: str) -> Iterator[str]:
    name = f"test-{uuid.uuid4().hex[:12]}"
    yield name
    client = RedisStore.connect(redis_url, name).client
    for key in client.scan_iter(f"{name}:*"):
        client.delete(key)


def entry(path: str, status: int = 200, operation_id: str = "op") -> Entry:
    return Entry(
        0, "2026-01-01T00:00:00Z", "GET", path, "", {}, None, None, False, status, 1.0, operation_id
    )


def test_journals_of_one_store_are_one_journal(redis_url: str, namespace: str) -> None:
    one = RedisJournal(RedisStore.connect(redis_url, namespace), size=3)
    other = RedisJournal(RedisStore.connect(redis_url, namespace), size=3)
    kept = [one.add(entry("/a")), other.add(entry("/b", 404)), one.add(entry("/c", 500, "x"))]
    assert [e.id for e in kept] == [1, 2, 3]  # numbered once across both
    assert kept[1] == replace(entry("/b", 404), id=2)
    other.add(entry("/d"))
    assert [e.path for e in one.entries()] == ["/d", "/c", "/b"]  # newest first, bounded
    assert [e.path for e in other.entries(status=404)] == ["/b"]
    assert [e.path for e in other.entries(operation_id="x")] == ["/c"]
    assert [e.path for e in one.entries(limit=1)] == ["/d"]
    assert other.clear() == 3 and one.entries() == []
    assert one.add(entry("/e")).id == 5  # ids never repeat


def test_behaviours_set_on_one_mock_are_read_by_the_other(redis_url: str, namespace: str) -> None:
    one = RedisBehaviours(RedisStore.connect(redis_url, namespace))
    other = RedisBehaviours(RedisStore.connect(redis_url, namespace))
    assert not other.active
    one.set("op", Behaviour(status=503))
    assert other.active and other.get("op") == Behaviour(status=503)
    outcome = other.outcome("op")
    assert outcome is not None and outcome.status == 503
    assert other.remove("op") and not one.remove("op")
    assert not one.active and one.get("op") is None
    one.set("a", Behaviour(delay_min_ms=5, delay_max_ms=5))
    one.set("b", Behaviour(failure_rate=0.5))
    assert list(other.all()) == ["a", "b"]
    other.clear()
    assert one.all() == {}


def test_a_published_seed_is_seen_with_its_change(redis_url: str, namespace: str) -> None:
    one = SharedSeed(RedisStore.connect(redis_url, namespace))
    other = SharedSeed(RedisStore.connect(redis_url, namespace))
    assert other.seed() is None
    before = other.version()
    one.publish(42)
    assert other.seed() == 42 and other.version() == before + 1


def mock(redis_url: str, namespace: str) -> MockServer:
    return create_app(
        Settings.build(spec_path=WORLD, admin=True, store_url=redis_url, store_namespace=namespace)
    )


def test_two_mocks_of_one_store_share_journal_behaviours_and_seed(
    redis_url: str, namespace: str
) -> None:
    with (
        TestClient(mock(redis_url, namespace)) as one,
        TestClient(mock(redis_url, namespace)) as other,
    ):
        assert one.get("/forecast").json() == other.get("/forecast").json()
        journal = other.get("/__mock__/journal").json()
        assert [e["path"] for e in journal] == ["/forecast", "/forecast"]
        assert sorted(e["id"] for e in journal) == [1, 2]

        assert one.put("/__mock__/behaviours/getForecast", json={"status": 503}).status_code == 200
        assert other.get("/forecast").status_code == 503
        assert other.delete("/__mock__/behaviours/getForecast").status_code == 204
        assert one.get("/forecast").status_code == 200

        first = one.get("/forecast").json()
        assert one.post("/__mock__/reset", json={"seed": 7}).json()["seed"] == 7
        reseeded = one.get("/forecast").json()
        assert reseeded != first  # another seed, another forecast
        assert other.get("/forecast").json() == reseeded  # the other follows at once
        assert other.get("/__mock__/").json()["seed"] == 7
        after = other.get("/__mock__/journal").json()  # the reset cleared it for both
        assert [e["id"] for e in after] == [journal[0]["id"] + 5, journal[0]["id"] + 4]


def test_a_mock_joining_after_a_reseed_serves_the_shared_seed(
    redis_url: str, namespace: str
) -> None:
    with TestClient(mock(redis_url, namespace)) as first:
        first.post("/__mock__/reset", json={"seed": 9})
        with TestClient(mock(redis_url, namespace)) as late:  # started with seed 0
            assert late.get("/forecast").json() == first.get("/forecast").json()
            assert late.get("/__mock__/").json()["seed"] == 9
