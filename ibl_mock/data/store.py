"""In-memory collections of records. Knows nothing of HTTP, Connexion or Faker."""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

Record = dict[str, Any]
T = TypeVar("T")


def hashable(value: Any) -> Any:
    """`value` as a key equal where the values are equal (lists and objects as JSON)."""
    if isinstance(value, (list, dict)):
        return ("json", json.dumps(value, sort_keys=True, default=str))
    return value


class DuplicateId(KeyError):
    """A record whose id another record of the collection holds already."""


MEMO_LIMIT = 256  # answers remembered per collection; more are forgotten all at once


class Changes:
    """Counts every change of every store in memory of this process: what was answered
    over a store (`answer_cache`) holds while the count stays. One count for all stores is
    coarse (a change of one forgets what was answered over the others) and cheap."""

    def __init__(self) -> None:
        self._count = 0
        self._lock = threading.Lock()

    def count(self) -> int:
        return self._count

    def bump(self) -> None:
        with self._lock:  # two changes are two counts, whichever threads make them
            self._count += 1


CHANGES = Changes()


class Collection:
    """Records of one kind, keyed by their id field, in insertion order.

    Readers get the stored dicts themselves (the request path stays copy-free);
    every change goes through `add`, `update` and `remove`, under a lock, and makes the
    collection forget what was `remembered` of it.
    """

    def __init__(self, name: str, id_field: str = "id") -> None:
        self.name = name
        self.id_field = id_field
        self._records: dict[Any, Record] = {}
        self._next_id = 1
        self._lock = threading.Lock()
        self._version = 0  # counts changes: a remembered answer is of one version
        self._memo: dict[Hashable, tuple[int, Any]] = {}

    def remembered(self, key: Hashable, compute: Callable[[], T]) -> T:
        """What `compute` gives over this collection, computed once until it changes: a
        list view filters and sorts every record, and asked again for its next page (or
        by a load test) it would do so for every request. What it gives is shared: its
        callers must not change it."""
        version = self._version
        found = self._memo.get(key)
        if found is not None and found[0] == version:
            return cast(T, found[1])
        value = compute()
        with self._lock:
            if self._version == version:  # else it changed meanwhile: not remembered
                if len(self._memo) >= MEMO_LIMIT:
                    self._memo.clear()
                self._memo[key] = (version, value)
        return value

    def version(self) -> int:
        """How many times the collection changed."""
        return self._version

    def _changed(self) -> None:
        """Under the lock, after every change."""
        self._version += 1
        self._memo.clear()
        CHANGES.bump()

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[Record]:
        return iter(list(self._records.values()))

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._records

    def get(self, record_id: Any) -> Record | None:
        return self._records.get(record_id)

    def find(self, **equals: Any) -> list[Record]:
        """Records whose fields equal every given value, through an index on those fields
        remembered until the collection changes (a user looked up by username and org
        per request is not a scan of the users)."""
        fields = tuple(sorted(equals))
        index = self.remembered(("index", *fields), lambda: self.index_on(fields))
        return list(index.get(tuple(hashable(equals[f]) for f in fields), ()))

    def first(self, **equals: Any) -> Record | None:
        found = self.find(**equals)
        return found[0] if found else None

    def index_on(self, fields: tuple[str, ...]) -> dict[tuple[Any, ...], list[Record]]:
        index: dict[tuple[Any, ...], list[Record]] = {}
        for record in self:
            key = tuple(hashable(record.get(f)) for f in fields)
            index.setdefault(key, []).append(record)
        return index

    def add(self, record: Record) -> Record:
        """Store a copy of `record`, assigning the next integer id if it has none."""
        with self._lock:
            stored = dict(record)
            if stored.get(self.id_field) is None:
                stored[self.id_field] = self._next_id
            record_id = stored[self.id_field]
            if record_id in self._records:
                raise DuplicateId(f"{self.name}: duplicate {self.id_field} {record_id!r}")
            if isinstance(record_id, int) and record_id >= self._next_id:
                self._next_id = record_id + 1
            self._records[record_id] = stored
            self._changed()
            return stored

    def update(self, record_id: Any, changes: Record) -> Record | None:
        with self._lock:
            current = self._records.get(record_id)
            if current is None:
                return None
            updated = {**current, **changes, self.id_field: record_id}
            self._records[record_id] = updated
            self._changed()
            return updated

    def remove(self, record_id: Any) -> bool:
        with self._lock:
            removed = self._records.pop(record_id, None) is not None
            if removed:
                self._changed()
            return removed

    def export(self) -> dict[str, Any]:
        with self._lock:
            records = copy.deepcopy(list(self._records.values()))
            return {"id_field": self.id_field, "next_id": self._next_id, "records": records}

    @classmethod
    def restore(cls, name: str, exported: dict[str, Any]) -> Collection:
        """A collection from `export`'s form; duplicate ids raise KeyError."""
        collection = cls(name, str(exported.get("id_field", "id")))
        for record in exported.get("records", []):
            collection.add(record)
        collection._next_id = max(collection._next_id, int(exported.get("next_id", 1)))
        return collection


class Store:
    """Named collections, created on first use."""

    def __init__(self) -> None:
        self._collections: dict[str, Collection] = {}

    def __getitem__(self, name: str) -> Collection:
        found = self._collections.get(name)
        if found is None:
            found = self._collections[name] = Collection(name)
            CHANGES.bump()
        return found

    def __contains__(self, name: object) -> bool:
        return name in self._collections

    def create(self, name: str, id_field: str) -> Collection:
        """A new, empty collection keyed by `id_field`, replacing any of that name."""
        created = self._collections[name] = Collection(name, id_field)
        CHANGES.bump()
        return created

    def generation(self) -> int:
        """A number that changes whenever anything in the store changes: an answer made
        over the store holds while it is the same."""
        return CHANGES.count()

    def names(self) -> list[str]:
        return sorted(self._collections)

    @contextmanager
    def request_scope(self) -> Iterator[None]:
        """Around one request: a store that reads over a network reads its state once per
        request here (see `redis_store`); one in memory has nothing to do."""
        yield

    def replace_with(self, other: Store) -> None:
        """Take over `other`'s collections; everyone holding this store sees the change."""
        self._collections = other._collections
        CHANGES.bump()

    def with_collection(self, collection: Collection) -> Store:
        """A new store holding this one's collections, with `collection` in place of its
        namesake: to check a change before making it."""
        trial = Store()
        trial._collections = {**self._collections, collection.name: collection}
        return trial

    def put(self, collection: Collection) -> None:
        """Store `collection` under its name, replacing any there."""
        self._collections[collection.name] = collection
        CHANGES.bump()

    def put_if_absent(self, collection: Collection) -> Collection:
        """Store `collection` unless one of its name is there; the one stored either way."""
        found = self._collections.setdefault(collection.name, collection)
        if found is collection:
            CHANGES.bump()
        return found

    def export(self) -> dict[str, dict[str, Any]]:
        """Every collection with its id field and next id: `restore` gives it back exactly."""
        return {name: self._collections[name].export() for name in self.names()}

    @classmethod
    def restore(cls, exported: dict[str, dict[str, Any]]) -> Store:
        store = cls()
        for name, collection in exported.items():
            store.put(Collection.restore(name, collection))
        return store

    def dump(self) -> dict[str, list[Record]]:
        """A deep copy of every collection, for snapshots and tests."""
        return {name: copy.deepcopy(list(self._collections[name])) for name in self.names()}
