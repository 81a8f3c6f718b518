"""The request journal: the last N requests the mock answered, credentials masked.

`Journal` numbers and holds entries and knows nothing of ASGI (`redis_controls` has
one every worker shares); `JournalRecorder` is the middleware that measures each request,
has the journal number its `Entry` and hands it to every listener (the access log).
"""

from __future__ import annotations

import base64
import itertools
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..data.moments import drf_datetime
from ..settings import DEFAULT_JOURNAL_SIZE
from .masking import MASK, masked_text

BODY_LIMIT = 64 * 1024  # bytes of a request body kept per entry
ALWAYS_SECRET = ("authorization", "proxy-authorization", "cookie", "x-mock-admin-token")
VIOLATIONS = "ibl_mock.violations"  # a scope extension: what a request broke, for its entry


@dataclass(frozen=True)
class Entry:
    id: int
    time: str  # ISO 8601, UTC, when the request arrived
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: str | None
    body_encoding: str | None  # "utf-8", "base64", or None without a body
    body_truncated: bool
    status: int | None  # None: the connection was dropped before an answer
    duration_ms: float
    operation_id: str | None
    # A callback the mock sent (`serving.callbacks`): name, expression, the receiver's answer
    callback: dict[str, Any] | None = None
    # What the proxy found against the contract (`proxy.conformance`), as JSON
    violations: list[dict[str, Any]] | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class Masker:
    """Hides credentials: secret headers keep their scheme word (`Bearer ***`), cookies
    keep their names, secret query parameters keep their names."""

    def __init__(self, headers: Iterable[str] = (), query: Iterable[str] = ()) -> None:
        self.headers = {*ALWAYS_SECRET, *(h.lower() for h in headers)}
        self.query = set(query)

    def header(self, name: str, value: str) -> str:
        lowered = name.lower()
        if lowered == "cookie":
            names = [part.split("=", 1)[0].strip() for part in value.split(";") if part.strip()]
            return "; ".join(f"{n}={MASK}" for n in names)
        if lowered not in self.headers:
            return value
        scheme, space, _ = value.strip().partition(" ")
        return f"{scheme} {MASK}" if space else MASK

    def query_string(self, query: str) -> str:
        if not self.query or not query:
            return query
        pairs = parse_qsl(query, keep_blank_values=True)
        return urlencode([(k, MASK if k in self.query else v) for k, v in pairs])


class Journal:
    """A bounded, thread-safe list of entries, newest last."""

    def __init__(self, size: int = DEFAULT_JOURNAL_SIZE) -> None:
        self._entries: deque[Entry] = deque(maxlen=size)
        self._lock = threading.Lock()
        self.ids = itertools.count(1)  # never repeated, across rebuilds and clears

    def add(self, entry: Entry) -> Entry:
        """Keep `entry` under the next id; the entry as kept."""
        with self._lock:
            numbered = replace(entry, id=next(self.ids))
            self._entries.append(numbered)
        return numbered

    def entries(
        self, operation_id: str | None = None, status: int | None = None, limit: int | None = None
    ) -> list[Entry]:
        """Matching entries, newest first."""
        with self._lock:
            found = [
                e
                for e in reversed(self._entries)
                if (operation_id is None or e.operation_id == operation_id)
                and (status is None or e.status == status)
            ]
        return found if limit is None else found[:limit]

    def clear(self) -> int:
        with self._lock:
            count = len(self._entries)
            self._entries.clear()
            return count


def encoded_body(raw: bytes) -> tuple[str | None, str | None]:
    if not raw:
        return None, None
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return base64.b64encode(raw).decode(), "base64"


Listener = Callable[[Entry], None]


class JournalRecorder:
    """Middleware: one `Entry` per HTTP request outside `skip` prefixes, kept in `journal`
    (which numbers it), then to each listener."""

    def __init__(
        self,
        app: ASGIApp,
        masker: Masker,
        locate: Callable[[str, str], str | None],
        journal: Journal | None = None,
        listeners: tuple[Listener, ...] = (),
        skip: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.journal = journal
        self.ids = itertools.count(1)  # without a journal; next() on a count is atomic
        self.masker = masker
        self.locate = locate
        self.listeners = listeners
        self.skip = skip

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (self.skip and scope["path"].startswith(self.skip)):
            await self.app(scope, receive, send)
            return
        scope.setdefault("extensions", {})  # Connexion's router notes the operation in it
        arrived = datetime.now(UTC)
        started = time.perf_counter()
        # Read the start of the body now: an answer given before the body was read (a 405,
        # a 401) must still show what was sent. The rest streams on untouched.
        kept: list[Message] = []
        body = bytearray()
        while not kept or (kept[-1].get("more_body") and len(body) <= BODY_LIMIT):
            message = await receive()
            kept.append(message)
            if message["type"] != "http.request":
                break
            body.extend(message.get("body", b""))
        replay = iter(kept)
        status: list[int] = []

        async def replayed_then_live() -> Message:
            return next(replay, None) or await receive()

        async def send_and_note(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(int(message["status"]))
            await send(message)

        try:
            await self.app(scope, replayed_then_live, send_and_note)
        except BaseException:
            status.clear()  # the answer never completed: the connection is dropped
            raise
        finally:
            self.note(scope, arrived, started, bytes(body), status[0] if status else None)

    def note(
        self, scope: Scope, arrived: datetime, started: float, raw: bytes, status: int | None
    ) -> None:
        text, encoding = encoded_body(raw[:BODY_LIMIT])
        if encoding == "utf-8" and text is not None:
            text = masked_text(text)  # a password in a login body stays out of the journal
        headers = {
            name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]
        }
        entry = Entry(
            id=0,  # numbered below
            time=drf_datetime(arrived),
            method=scope["method"],
            path=scope["path"],
            query=self.masker.query_string(scope.get("query_string", b"").decode("latin-1")),
            headers={k: self.masker.header(k, v) for k, v in headers.items()},
            body=text,
            body_encoding=encoding,
            body_truncated=len(raw) > BODY_LIMIT,
            status=status,
            duration_ms=round((time.perf_counter() - started) * 1000, 3),
            operation_id=scope["extensions"].get("connexion_routing", {}).get("operation_id")
            or self.locate(scope["method"].lower(), scope["path"]),
            violations=scope["extensions"].get(VIOLATIONS),
        )
        if self.journal is not None:
            entry = self.journal.add(entry)
        else:
            entry = replace(entry, id=next(self.ids))
        for listener in self.listeners:
            listener(entry)
