"""The store kept in Redis, so that every worker and every machine pointed at the same
Redis serves the same records. Knows nothing of HTTP, Connexion or Faker.

The same interface as `store` (a `RedisStore` is a `Store`, its collections
`Collection`s), over these keys, all under one namespace:

    NS:names          set     the collections' names
    NS:meta:NAME      hash    id_field, next_id (the next number to give), seq
    NS:rec:NAME       hash    id (as JSON) -> record (as JSON)
    NS:ord:NAME       zset    id (as JSON) scored by seq: the order records were added
    NS:ver:NAME       string  counts the collection's changes
    NS:ver:@store     string  counts every change of the store
    NS:ver:@worlds    string  counts the whole worlds it took (resets, reseeds)

Every change is one Lua script (atomic in Redis: racing creates and deletes from many
workers lose and duplicate nothing; a number id is given once) and counts a change, so
that what each worker `remembered` of a collection (a list's sorted records) is used
only while the collection is as it was: one GET per list request, one HGET per read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar, cast

import redis

from .store import MEMO_LIMIT, Collection, DuplicateId, Record, Store

T = TypeVar("T")
# The change counts one request read of collections, read together (`request_scope`).
SNAPSHOT: ContextVar[dict[str, int] | None] = ContextVar("ibl_mock_store_snapshot", default=None)
HOT_COLLECTIONS = 32
GENERATION = "@store"  # the count of every change of the store
WORLDS = "@worlds"  # the count of whole worlds the store took (`replace_with`)
READ_BATCH = 1000  # ids per HMGET inside the script that reads a collection in order

ADD = """
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], redis.call('HINCRBY', KEYS[1], 'seq', 1), ARGV[1])
if ARGV[3] ~= '' then
  local given = tonumber(ARGV[3])
  local next_id = tonumber(redis.call('HGET', KEYS[1], 'next_id') or '1')
  if given >= next_id then redis.call('HSET', KEYS[1], 'next_id', given + 1) end
end
redis.call('HSETNX', KEYS[1], 'id_field', ARGV[5])
redis.call('SADD', KEYS[5], ARGV[4])
redis.call('INCR', KEYS[4])
redis.call('INCR', KEYS[6])
return 1
"""
NEXT_ID = """
local next_id = tonumber(redis.call('HGET', KEYS[1], 'next_id') or '1')
redis.call('HSET', KEYS[1], 'next_id', next_id + 1)
return next_id
"""
REPLACE = """
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then return -1 end
if current ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('INCR', KEYS[2])
redis.call('INCR', KEYS[3])
return 1
"""
REMOVE = """
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('INCR', KEYS[3])
redis.call('INCR', KEYS[4])
return 1
"""
READ_ALL = f"""
local ids = redis.call('ZRANGE', KEYS[2], 0, -1)
local found = {{}}
for start = 1, #ids, {READ_BATCH} do
  local last = math.min(start + {READ_BATCH} - 1, #ids)
  local batch = redis.call('HMGET', KEYS[1], unpack(ids, start, last))
  for i = 1, #batch do found[#found + 1] = batch[i] end
end
return found
"""


def id_key(record_id: Any) -> str:
    return json.dumps(record_id, sort_keys=True)


class RedisCollection(Collection):
    """A collection whose records live in Redis; what it remembers lives in this process."""

    def __init__(self, store: RedisStore, name: str) -> None:
        self.name = name
        self._store = store
        self._memo: dict[Hashable, tuple[int, Any]] = {}
        self._meta, self._rec, self._ord, self._ver = store.keys_of(name)
        found = store.client.hget(self._meta, "id_field")  # a store's `put` makes a new one
        self.id_field = found.decode() if isinstance(found, bytes) else "id"

    def __len__(self) -> int:
        return int(self._store.client.hlen(self._rec))

    def __iter__(self) -> Iterator[Record]:
        found = self._store.scripts["read_all"](keys=[self._rec, self._ord])
        return iter([json.loads(text) for text in found if text is not None])

    def __contains__(self, record_id: object) -> bool:
        return bool(self._store.client.hexists(self._rec, id_key(record_id)))

    def get(self, record_id: Any) -> Record | None:
        text = self._store.client.hget(self._rec, id_key(record_id))
        return None if text is None else cast(Record, json.loads(text))

    def add(self, record: Record) -> Record:
        """Store `record`, giving it the next integer id if it has none."""
        stored = dict(record)
        if stored.get(self.id_field) is None:
            stored[self.id_field] = int(self._store.scripts["next_id"](keys=[self._meta]))
        record_id = stored[self.id_field]
        given = str(record_id) if isinstance(record_id, int) and record_id >= 0 else ""
        added = self._store.scripts["add"](
            keys=[
                *(self._meta, self._rec, self._ord, self._ver),
                *(self._store.names_key, self._store.generation_key),
            ],
            args=[id_key(record_id), json.dumps(stored), given, self.name, self.id_field],
        )
        self._store.changed(self.name)
        if not added:
            raise DuplicateId(f"{self.name}: duplicate {self.id_field} {record_id!r}")
        return stored

    def update(self, record_id: Any, changes: Record) -> Record | None:
        key = id_key(record_id)
        while True:  # compare and set: another worker's update in between is read again
            text = self._store.client.hget(self._rec, key)
            if text is None:
                return None
            updated = {**json.loads(text), **changes, self.id_field: record_id}
            done = self._store.scripts["replace"](
                keys=[self._rec, self._ver, self._store.generation_key],
                args=[key, text, json.dumps(updated)],
            )
            if done == 1:
                self._store.changed(self.name)
                return updated
            if done == -1:
                return None  # removed meanwhile

    def remove(self, record_id: Any) -> bool:
        removed = self._store.scripts["remove"](
            keys=[self._rec, self._ord, self._ver, self._store.generation_key],
            args=[id_key(record_id)],
        )
        self._store.changed(self.name)
        return bool(removed)

    def version(self) -> int:
        return self._store.version_of(self.name)

    def remembered(self, key: Hashable, compute: Callable[[], T]) -> T:
        version = self.version()
        found = self._memo.get(key)
        if found is not None and found[0] == version:
            return cast(T, found[1])
        value = compute()
        if self.version() == version:  # else it changed meanwhile: not remembered
            if len(self._memo) >= MEMO_LIMIT:
                self._memo.clear()
            self._memo[key] = (version, value)
        return value

    def export(self) -> dict[str, Any]:
        next_id = int(self._store.client.hget(self._meta, "next_id") or 1)
        return {"id_field": self.id_field, "next_id": next_id, "records": list(self)}


def next_id_of(collection: Collection) -> int:
    return int(getattr(collection, "_next_id", 1))


class RedisStore(Store):
    """Named collections in Redis under `namespace`."""

    def __init__(self, client: redis.Redis, namespace: str) -> None:
        # redis-py's annotations cover its sync and async clients at once: read as Any.
        self.client: Any = client
        self.namespace = namespace
        self.names_key = f"{namespace}:names"
        self.generation_key = self.version_key(GENERATION)
        self.scripts = {
            "add": client.register_script(ADD),
            "next_id": client.register_script(NEXT_ID),
            "replace": client.register_script(REPLACE),
            "remove": client.register_script(REMOVE),
            "read_all": client.register_script(READ_ALL),
        }
        self._collections: dict[str, Collection] = {}  # RedisCollections, made once each
        self._hot: dict[str, None] = {}  # the collections recent requests read, in order

    @classmethod
    def connect(cls, url: str, namespace: str) -> RedisStore:
        """A store at `url` (`redis://host:port/db`, `unix:///path?db=0`); a Redis that
        does not answer is a ConnectionError naming it."""
        client = redis.Redis.from_url(url, socket_connect_timeout=5)
        try:
            client.ping()
        except redis.RedisError as exc:
            raise ConnectionError(f"{url}: Redis does not answer ({exc})") from exc
        return cls(client, namespace)

    @contextmanager
    def request_scope(self) -> Iterator[None]:
        """The change counts of the collections a request reads, read at once when it
        first asks for one: the key table, the caller's user and org, and the list it asks
        for were four round trips to Redis, now one (an MGET of the collections recent
        requests read)."""
        token = SNAPSHOT.set({})
        try:
            yield
        finally:
            SNAPSHOT.reset(token)

    def version_of(self, name: str) -> int:
        """The collection's change count: from the request's snapshot when in one."""
        snapshot = SNAPSHOT.get()
        if snapshot is None:
            return int(self.client.get(self.version_key(name)) or 0)
        if name not in snapshot:
            self._hot.pop(name, None)
            self._hot[name] = None  # most recent last
            while len(self._hot) > HOT_COLLECTIONS:
                # Counts kept beside the collections (`@store`, behaviours, seed) stay: the
                # store's generation read later than the counts it covers would tag an
                # answer made of old records as new.
                oldest = next((n for n in self._hot if not n.startswith("@")), None)
                if oldest is None:
                    break
                del self._hot[oldest]
            wanted = [n for n in self._hot if n not in snapshot]
            counts = self.client.mget([self.version_key(n) for n in wanted])
            snapshot.update({n: int(c or 0) for n, c in zip(wanted, counts, strict=True)})
        return snapshot[name]

    def changed(self, name: str) -> None:
        """A write of this request: its snapshot of the collection is read again."""
        snapshot = SNAPSHOT.get()
        if snapshot is not None:
            snapshot.pop(name, None)
            snapshot.pop(GENERATION, None)

    def generation(self) -> int:
        """Counts every change of the store, by any worker (read with the request's)."""
        return self.version_of(GENERATION)

    def keys_of(self, name: str) -> tuple[str, str, str, str]:
        prefix = self.namespace
        return (f"{prefix}:meta:{name}", f"{prefix}:rec:{name}", f"{prefix}:ord:{name}",
                self.version_key(name))  # fmt: skip

    def version_key(self, name: str) -> str:
        """The key counting the changes of `name`: a collection, or anything else kept
        beside them whose changes every request should learn at once (behaviours)."""
        return f"{self.namespace}:ver:{name}"

    def __getitem__(self, name: str) -> Collection:
        found = self._collections.get(name)
        if found is None:
            found = self._collections[name] = RedisCollection(self, name)
        return found

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and bool(self.client.sismember(self.names_key, name))

    def names(self) -> list[str]:
        return sorted(n.decode() for n in self.client.smembers(self.names_key))

    def create(self, name: str, id_field: str) -> Collection:
        self.put(Collection(name, id_field))
        return self[name]

    def put(self, collection: Collection) -> None:
        """Store `collection` under its name, replacing any there, in one transaction."""
        with self.client.pipeline(transaction=True) as pipe:
            self.write(pipe, collection)
            pipe.execute()
        self._collections.pop(collection.name, None)
        self.changed(collection.name)

    def put_if_absent(self, collection: Collection) -> Collection:
        """Store `collection` unless another worker stored one of its name first, or the
        store took a whole new world (a reseed) since this request began: a collection
        seeded from the old world's seed is then this request's alone."""
        seen = self.version_of(WORLDS)  # as the request saw it when it began
        installed = False

        def install(pipe: Any) -> None:  # run again if a watched key changed meanwhile
            nonlocal installed
            installed = False
            if pipe.sismember(self.names_key, collection.name):
                return
            if int(pipe.get(self.version_key(WORLDS)) or 0) != seen:
                return
            pipe.multi()
            self.write(pipe, collection)
            installed = True

        self.client.transaction(install, self.names_key, self.version_key(WORLDS))
        self.changed(collection.name)
        if not installed and collection.name not in self:
            return collection
        return self[collection.name]

    def replace_with(self, other: Store) -> None:
        """Take over `other`'s collections, in one transaction: every worker sees the
        change whole."""
        names = self.names()
        with self.client.pipeline(transaction=True) as pipe:
            for name in names:
                meta, rec, order, version = self.keys_of(name)
                pipe.delete(meta, rec, order)
                pipe.incr(version)
            pipe.delete(self.names_key)
            for name in other.names():
                self.write(pipe, other[name])
            pipe.incr(self.generation_key)
            pipe.incr(self.version_key(WORLDS))
            pipe.execute()
        self._collections.clear()
        self.changed(GENERATION)
        self.changed(WORLDS)

    def write(self, pipe: Any, collection: Collection) -> None:
        """Commands writing `collection` whole, replacing any of its name."""
        meta, rec, order, version = self.keys_of(collection.name)
        records = list(collection)
        pipe.delete(meta, rec, order)
        pipe.hset(
            meta,
            mapping={
                "id_field": collection.id_field,
                "next_id": next_id_of(collection),
                "seq": len(records),
            },
        )
        if records:
            by_id = {id_key(r[collection.id_field]): json.dumps(r) for r in records}
            pipe.hset(rec, mapping=by_id)
            pipe.zadd(order, {key: seq for seq, key in enumerate(by_id, start=1)})
        pipe.incr(version)
        pipe.incr(self.generation_key)
        pipe.sadd(self.names_key, collection.name)

    def with_collection(self, collection: Collection) -> Store:
        trial = Store()
        for name in self.names():
            trial.put(self[name])
        trial.put(collection)
        return trial

    def initialize(self, first: Store) -> bool:
        """Fill the namespace with `first` if no one did yet (the first worker to start);
        whether this one did."""
        if not self.client.set(f"{self.namespace}:initialized", "1", nx=True):
            return False
        self.replace_with(first)
        return True

    def export(self) -> dict[str, dict[str, Any]]:
        return {name: self[name].export() for name in self.names()}

    def dump(self) -> dict[str, list[Record]]:
        return {name: list(self[name]) for name in self.names()}
