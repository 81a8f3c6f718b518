"""What the admin API controls, kept in Redis beside a shared store: whichever worker
answers the admin API, every worker of that store (on any machine) journals into the same
journal, applies the same behaviours and serves the same seed. Knows nothing of HTTP.

Keys, under the store's namespace:

    NS:journal        list    entries as "ID JSON", newest first, trimmed to the size
    NS:journal:ids    string  the last id given (ids never repeat across workers)
    NS:behaviours     hash    operationId -> behaviour (JSON of its fields)
    NS:seed           string  the seed of the world the store holds

Behaviours and the seed count their changes as a collection does (`@behaviours`,
`@seed`), so a worker reads them again only when they changed, and learns that from the
change counts every request reads at once (`RedisStore.request_scope`): no round trip
per request for either. A journal entry is one round trip (a script: number, push, trim).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from ..data.redis_store import RedisStore
from .behaviour import Behaviour, Behaviours, Outcome
from .journal import Entry, Journal

BEHAVIOURS = "@behaviours"  # counted like a collection's changes; never a collection
SEED = "@seed"

KEEP = """
local id = redis.call('INCR', KEYS[1])
redis.call('LPUSH', KEYS[2], id .. ' ' .. ARGV[1])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[2]) - 1)
return id
"""
TAKE_ALL = """
local count = redis.call('LLEN', KEYS[1])
redis.call('DEL', KEYS[1])
return count
"""


class RedisJournal(Journal):
    """The last `size` requests any worker of the store answered."""

    def __init__(self, store: RedisStore, size: int) -> None:
        super().__init__(size)  # its lock and count go unused: Redis numbers and keeps
        self._client: Any = store.client
        self._size = size
        self._ids = f"{store.namespace}:journal:ids"
        self._list = f"{store.namespace}:journal"
        self._keep = store.client.register_script(KEEP)
        self._take_all = store.client.register_script(TAKE_ALL)

    def add(self, entry: Entry) -> Entry:
        fields = entry.as_json()
        del fields["id"]
        given = self._keep(keys=[self._ids, self._list], args=[json.dumps(fields), self._size])
        return Entry(id=int(given), **fields)

    def entries(
        self, operation_id: str | None = None, status: int | None = None, limit: int | None = None
    ) -> list[Entry]:
        found = []
        for kept in self._client.lrange(self._list, 0, -1):
            given, _, text = kept.partition(b" ")
            entry = Entry(id=int(given), **json.loads(text))
            if (operation_id is None or entry.operation_id == operation_id) and (
                status is None or entry.status == status
            ):
                found.append(entry)
        return found if limit is None else found[:limit]

    def clear(self) -> int:
        return int(self._take_all(keys=[self._list]))


class RedisBehaviours(Behaviours):
    """The behaviours every worker of the store applies; each worker draws its own random
    delays and failures (from the seed), reading the behaviours again when they change."""

    def __init__(self, store: RedisStore, seed: int = 0) -> None:
        super().__init__(seed)
        self._store = store
        self._key = f"{store.namespace}:behaviours"
        self._seen = -1  # the change count of what `_by_operation` holds

    def _fresh(self) -> None:
        version = self._store.version_of(BEHAVIOURS)
        if version == self._seen:
            return
        found = self._store.client.hgetall(self._key)
        kept = {op.decode(): Behaviour(**json.loads(text)) for op, text in found.items()}
        with self._lock:
            self._by_operation, self._seen = kept, version

    def _write(self, *commands: tuple[str, tuple[Any, ...]]) -> list[Any]:
        """Run `commands` and count a change, in one transaction."""
        with self._store.client.pipeline(transaction=True) as pipe:
            for name, args in commands:
                getattr(pipe, name)(*args)
            pipe.incr(self._store.version_key(BEHAVIOURS))
            done: list[Any] = pipe.execute()
        self._store.changed(BEHAVIOURS)
        return done

    def set(self, operation_id: str, behaviour: Behaviour) -> None:
        self._write(("hset", (self._key, operation_id, json.dumps(asdict(behaviour)))))

    def remove(self, operation_id: str) -> bool:
        return bool(self._write(("hdel", (self._key, operation_id)))[0])

    @property
    def active(self) -> bool:
        self._fresh()
        return bool(self._by_operation)

    def get(self, operation_id: str) -> Behaviour | None:
        self._fresh()
        return super().get(operation_id)

    def all(self) -> dict[str, Behaviour]:
        self._fresh()
        return super().all()

    def clear(self, seed: int | None = None) -> None:
        self._write(("delete", (self._key,)))
        super().clear(seed)

    def outcome(self, operation_id: str) -> Outcome | None:
        self._fresh()
        return super().outcome(operation_id)


class SharedSeed:
    """The seed of the world in the store: a worker reseeding publishes it, the others
    rebuild with it when they see it changed (`MockServer.follow`)."""

    def __init__(self, store: RedisStore) -> None:
        self._store = store
        self._key = f"{store.namespace}:seed"

    def publish(self, seed: int) -> None:
        with self._store.client.pipeline(transaction=True) as pipe:
            pipe.set(self._key, seed)
            pipe.incr(self._store.version_key(SEED))
            pipe.execute()
        self._store.changed(SEED)

    def version(self) -> int:
        return self._store.version_of(SEED)

    def seed(self) -> int | None:
        found = self._store.client.get(self._key)
        return None if found is None else int(found)
