"""data/redis_store: the store kept in Redis behaves as the one in memory, and several
clients of one Redis (workers, machines) share it whole."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from ibl_mock.data.redis_store import GENERATION, HOT_COLLECTIONS, WORLDS, RedisStore
from ibl_mock.data.store import Collection, DuplicateId, Store


@pytest.fixture
def namespace() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture(params=["memory", "redis"])
def store(request: pytest.FixtureRequest, namespace: str) -> Iterator[Store]:
    if request.param == "memory":
        yield Store()
        return
    shared = RedisStore.connect(request.getfixturevalue("redis_url"), namespace)
    yield shared
    for key in shared.client.scan_iter(f"{namespace}:*"):
        shared.client.delete(key)


def test_records_keep_their_order_ids_and_changes(store: Store) -> None:
    things = store["things"]
    assert [things.add({"name": n})["id"] for n in "abc"] == [1, 2, 3]
    assert things.add({"id": 10, "name": "ten"})["id"] == 10
    assert things.add({"name": "next"})["id"] == 11  # after the largest given
    with pytest.raises(DuplicateId):
        things.add({"id": 2, "name": "again"})
    assert things.update(2, {"name": "B"}) == {"id": 2, "name": "B"}
    assert things.update(99, {"name": "none"}) is None
    assert things.remove(1) and not things.remove(1)
    assert [t["name"] for t in things] == ["B", "c", "ten", "next"]
    assert len(things) == 4 and 3 in things and 1 not in things
    assert things.get(10) == {"id": 10, "name": "ten"} and things.get(1) is None
    assert things.find(name="c") == [{"id": 3, "name": "c"}]


def test_ids_of_any_json_type_are_told_apart(store: Store) -> None:
    skus = store.create("skus", "sku")
    skus.add({"sku": "1", "what": "text"})
    skus.add({"sku": 1, "what": "number"})
    assert skus.get("1") == {"sku": "1", "what": "text"}
    assert skus.get(1) == {"sku": 1, "what": "number"}


def test_a_whole_store_is_replaced_and_exported(store: Store) -> None:
    store["old"].add({"name": "gone"})
    fresh = Store()
    fresh.put(Collection.restore("books", {"id_field": "id", "next_id": 5, "records": [
        {"id": 1, "title": "Dune"}, {"id": 4, "title": "Emma"}]}))  # fmt: skip
    store.replace_with(fresh)
    assert store.names() == ["books"]
    assert store.export() == fresh.export()
    assert store["books"].add({"title": "next"})["id"] == 5


def test_what_a_collection_remembers_is_forgotten_when_it_changes(store: Store) -> None:
    things = store["things"]
    things.add({"name": "a"})
    names = things.remembered("names", lambda: [t["name"] for t in things])
    assert things.remembered("names", lambda: ["stale"]) == names == ["a"]
    things.add({"name": "b"})
    assert things.remembered("names", lambda: [t["name"] for t in things]) == ["a", "b"]


def test_a_collection_is_put_only_if_absent(store: Store) -> None:
    first = Collection("seeded")
    first.add({"name": "first"})
    second = Collection("seeded")
    second.add({"name": "second"})
    assert [r["name"] for r in store.put_if_absent(first)] == ["first"]
    assert [r["name"] for r in store.put_if_absent(second)] == ["first"]


def test_workers_of_one_redis_see_each_others_changes(redis_url: str, namespace: str) -> None:
    one = RedisStore.connect(redis_url, namespace)
    other = RedisStore.connect(redis_url, namespace)
    one["images"].add({"name": "a"})
    listed = other["images"].remembered("all", lambda: list(other["images"]))
    assert [r["name"] for r in listed] == ["a"]
    one["images"].remove(1)  # a delete through one is seen by the other
    assert other["images"].remembered("all", lambda: list(other["images"])) == []
    assert "images" in other and other["images"].get(1) is None


def test_racing_creates_and_deletes_lose_and_duplicate_nothing(
    redis_url: str, namespace: str
) -> None:
    clients = [RedisStore.connect(redis_url, namespace) for _ in range(4)]
    made: list[int] = []

    def create(store: RedisStore) -> None:
        for n in range(50):
            made.append(store["orders"].add({"n": n})["id"])

    threads = [threading.Thread(target=create, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(made) == list(range(1, 201))  # every id once
    assert len(clients[0]["orders"]) == 200
    removed: list[bool] = []
    threads = [
        threading.Thread(target=lambda c=c: removed.extend(c["orders"].remove(i) for i in made))
        for c in clients
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert removed.count(True) == 200 and len(clients[1]["orders"]) == 0  # each delete once


def test_the_first_worker_fills_the_namespace_the_others_find_it(
    redis_url: str, namespace: str
) -> None:
    world = Store()
    world["users"].add({"username": "amara"})
    first, later = (RedisStore.connect(redis_url, namespace) for _ in range(2))
    assert first.initialize(world)
    first["users"].add({"username": "ben"})
    assert not later.initialize(world)  # a worker starting later keeps what is there
    assert [u["username"] for u in later["users"]] == ["amara", "ben"]


def test_an_unreachable_redis_is_named() -> None:
    with pytest.raises(ConnectionError, match=r"redis://127\.0\.0\.1:1/0: Redis does not answer"):
        RedisStore.connect("redis://127.0.0.1:1/0", "x")


def test_a_request_reads_the_change_counts_of_its_collections_at_once(
    redis_url: str, namespace: str
) -> None:
    shared = RedisStore.connect(redis_url, namespace)
    for name in ("tokens", "users", "images"):
        shared[name].add({"name": name})
    with shared.request_scope():  # a first request learns which collections it reads
        counts = [shared[name].version() for name in ("tokens", "users", "images")]
    sent: list[str] = []
    execute = shared.client.execute_command

    def counted(*args: Any, **options: Any) -> Any:
        sent.append(args[0])
        return execute(*args, **options)

    shared.client.execute_command = counted
    with shared.request_scope():
        again = [shared[name].version() for name in ("tokens", "users", "images")]
        assert again == counts and sent == ["MGET"]  # one round trip for the three
        shared["images"].add({"name": "new"})  # a write of this request...
        assert shared["images"].version() == counts[2] + 1  # ...is read again


def test_counts_kept_beside_the_collections_are_read_with_every_request(
    redis_url: str, namespace: str
) -> None:
    """The store's generation stays among the counts each request reads at once, however
    many collections requests read: read later than those it covers, it would tag an
    answer made of old records as new."""
    shared = RedisStore.connect(redis_url, namespace)
    try:
        with shared.request_scope():
            shared.generation()
            for n in range(3 * HOT_COLLECTIONS):
                shared.version_of(f"things-{n}")
        assert GENERATION in shared._hot and len(shared._hot) <= HOT_COLLECTIONS + 1
    finally:
        for key in shared.client.scan_iter(f"{namespace}:*"):
            shared.client.delete(key)


def test_a_request_begun_before_a_new_world_does_not_seed_it(
    redis_url: str, namespace: str
) -> None:
    """A worker's request in flight while another reseeds keeps the collection it seeds
    from the old seed to itself: the new world gets its own."""
    one = RedisStore.connect(redis_url, namespace)
    other = RedisStore.connect(redis_url, namespace)
    try:
        with other.request_scope():
            other.version_of(WORLDS)  # the request begins
            # meanwhile, a reseed on another worker (a thread: a context of its own)
            reseed = threading.Thread(target=one.replace_with, args=(Store(),))
            reseed.start()
            reseed.join()
            old = Collection.restore("books", {"records": [{"id": 1, "title": "old seed"}]})
            answered = other.put_if_absent(old)
        assert list(answered) == [{"id": 1, "title": "old seed"}]  # its own answer
        assert "books" not in one
        fresh = Collection.restore("books", {"records": [{"id": 1, "title": "new seed"}]})
        assert list(other.put_if_absent(fresh)) == [{"id": 1, "title": "new seed"}]
        assert list(one["books"]) == [{"id": 1, "title": "new seed"}]
    finally:
        for key in one.client.scan_iter(f"{namespace}:*"):
            one.client.delete(key)
