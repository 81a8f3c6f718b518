"""Values made once per object, found by the object's identity.

Schemas and parameter lists are mappings and lists (not hashable), and equal ones need
not be the same: what is built from one (a compiled validator, a translated copy) is
kept by `id`. Each entry holds its object, so its id is not reused while the entry
lives; past `limit` entries the oldest go, so that a process serving reloaded documents,
or a test session building thousands of apps, does not keep them all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

V = TypeVar("V")


class IdentityCache(Generic[V]):
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._entries: dict[int, tuple[Any, V]] = {}
        self._lock = threading.Lock()

    def __contains__(self, key: Any) -> bool:
        with self._lock:
            found = self._entries.get(id(key))
        return found is not None and found[0] is key

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def get(self, key: Any, make: Callable[[], V]) -> V:
        """The value made for `key`, made by `make()` the first time (outside the lock:
        two threads may both make it; the last one made is kept)."""
        with self._lock:
            found = self._entries.get(id(key))
        if found is not None and found[0] is key:
            return found[1]
        value = make()
        with self._lock:
            while len(self._entries) >= self.limit:
                del self._entries[next(iter(self._entries))]  # the oldest
            self._entries[id(key)] = (key, value)
        return value
