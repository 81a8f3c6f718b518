from __future__ import annotations

import json

import pytest

from ibl_mock.data.store import Collection, DuplicateId, Store


def test_add_assigns_increasing_ids_after_the_largest_seen() -> None:
    things = Collection("things")
    things.add({"id": 7, "name": "seven"})
    added = things.add({"name": "next"})
    assert added["id"] == 8
    assert [r["id"] for r in things] == [7, 8]


def test_add_stores_a_copy() -> None:
    things = Collection("things")
    original = {"name": "a"}
    things.add(original)
    original["name"] = "changed"
    assert things.get(1) == {"id": 1, "name": "a"}


def test_duplicate_id_is_refused() -> None:
    things = Collection("things")
    things.add({"id": 1})
    with pytest.raises(KeyError, match="duplicate id 1"):
        things.add({"id": 1})


def test_remove_and_get() -> None:
    things = Collection("things")
    things.add({"id": 1})
    assert things.remove(1) is True
    assert things.get(1) is None
    assert things.remove(1) is False
    assert len(things) == 0


def test_update_merges_and_keeps_the_id() -> None:
    things = Collection("things")
    things.add({"id": 1, "a": 1, "b": 2})
    assert things.update(1, {"b": 3, "id": 99}) == {"id": 1, "a": 1, "b": 3}
    assert things.update(2, {"b": 3}) is None


def test_find_and_first_match_every_field() -> None:
    things = Collection("things")
    for name, colour in [("a", "red"), ("b", "blue"), ("c", "red")]:
        things.add({"name": name, "colour": colour})
    assert [r["name"] for r in things.find(colour="red")] == ["a", "c"]
    assert things.first(colour="red", name="c") == {"id": 3, "name": "c", "colour": "red"}
    assert things.first(colour="green") is None


def test_iteration_is_safe_while_removing() -> None:
    things = Collection("things")
    for _ in range(3):
        things.add({})
    for record in things:
        things.remove(record["id"])
    assert len(things) == 0


def test_store_creates_collections_on_use_and_dumps_copies() -> None:
    store = Store()
    assert "images" not in store
    store["images"].add({"url": "u"})
    dump = store.dump()
    dump["images"][0]["url"] = "changed"
    assert store["images"].get(1) == {"id": 1, "url": "u"}
    assert store.names() == ["images"]


def test_replace_with_swaps_collections_for_every_holder() -> None:
    store, fresh = Store(), Store()
    store["things"].add({"name": "old"})
    fresh["things"].add({"name": "new"})
    holder = store
    store.replace_with(fresh)
    assert [r["name"] for r in holder["things"]] == ["new"]


def test_export_and_restore_round_trip_with_the_next_id() -> None:
    store = Store()
    books = store.create("books", "isbn")
    books.add({"isbn": "978-0", "title": "Dune"})
    notes = store["notes"]
    for text in ("a", "b", "c"):
        notes.add({"text": text})
    notes.remove(3)  # the next note is still number 4
    exported = store.export()
    assert exported["notes"]["next_id"] == 4 and exported["books"]["id_field"] == "isbn"
    restored = Store.restore(json.loads(json.dumps(exported)))
    assert restored.export() == exported
    assert restored["notes"].add({"text": "d"})["id"] == 4


def test_restore_refuses_duplicate_ids() -> None:
    with pytest.raises(KeyError, match="duplicate id 1"):
        Store.restore(
            {"notes": {"id_field": "id", "next_id": 2, "records": [{"id": 1}, {"id": 1}]}}
        )


def test_a_duplicate_id_is_told_apart_from_other_key_errors() -> None:
    collection = Collection("sizes")
    collection.add({"id": "small"})
    with pytest.raises(DuplicateId, match="sizes: duplicate id 'small'"):
        collection.add({"id": "small"})


def test_an_answer_is_remembered_until_the_collection_changes() -> None:
    things = Collection("things")
    things.add({"name": "a"})
    computed: list[int] = []

    def names() -> list[str]:
        computed.append(1)
        return [t["name"] for t in things]

    assert things.remembered("names", names) == ["a"]
    assert things.remembered("names", names) == ["a"] and len(computed) == 1
    things.add({"name": "b"})
    assert things.remembered("names", names) == ["a", "b"]
    things.update(1, {"name": "z"})
    assert things.remembered("names", names) == ["z", "b"]
    things.remove(2)
    assert things.remembered("names", names) == ["z"] and len(computed) == 4
    assert not things.remove(2)  # nothing removed: nothing forgotten
    assert things.remembered("names", names) == ["z"] and len(computed) == 4


def test_an_answer_computed_while_the_collection_changed_is_not_remembered() -> None:
    things = Collection("things")

    def racing() -> int:
        counted = len(things)
        things.add({"name": "added meanwhile"})  # another request's write, mid-computation
        return counted

    assert things.remembered("count", racing) == 0  # true of the collection it began on
    assert things.remembered("count", lambda: len(things)) == 1  # so computed again


def test_find_looks_up_by_fields_of_any_value_and_sees_changes() -> None:
    users = Collection("users")
    users.add({"username": "amara", "org": "main", "tags": ["a"]})
    users.add({"username": "amara", "org": "acme", "tags": ["b"]})
    assert users.first(username="amara", org="acme")["id"] == 2  # type: ignore[index]
    assert users.find(tags=["a"]) == [users.get(1)]
    assert users.find(username="nobody") == [] and users.first(username="nobody") is None
    users.update(2, {"org": "main"})
    assert [u["id"] for u in users.find(username="amara", org="main")] == [1, 2]
