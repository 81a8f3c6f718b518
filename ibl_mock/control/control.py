"""What outlives a rebuild of the mock (a reseed, a reload): the request journal, the
behaviours set through the admin API, how the admin API is guarded, and the shared store
with what it shares besides records."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .behaviour import Behaviours
from .heap import leave
from .journal import Journal

if TYPE_CHECKING:  # redis is imported only where a store is named (--store)
    from ..data.redis_store import RedisStore
    from .redis_controls import SharedSeed

ADMIN_PREFIX = "/__mock__"
ADMIN_TOKEN_HEADER = "X-Mock-Admin-Token"


@dataclass
class Controls:
    admin: bool = False  # the admin API is served
    admin_token: str | None = None  # ...and, if set, only to callers sending it
    journal: Journal = field(default_factory=Journal)
    behaviours: Behaviours = field(default_factory=Behaviours)
    server: Any = None  # the MockServer the admin API acts on (the one being served)
    settle: Callable[[], None] = leave  # after the state is written: see `heap`
    shared: RedisStore | None = None  # `--store`: the store every build serves
    seeds: SharedSeed | None = None  # ...and the seed of its world

    def admits(self, token: str | None) -> bool:
        """Whether an admin call with this token may go on (compared in constant time)."""
        if self.admin_token is None:
            return True
        return token is not None and hmac.compare_digest(token.encode(), self.admin_token.encode())
