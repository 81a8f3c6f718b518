"""Answers to repeated reads, given again while the store is unchanged.

A GET is answered by a function of the request and the store: the same request (method,
path, query, every header) over the same state gets the same answer, byte for byte (bodies
made from schemas are seeded per operation; lists come from the store). So an answer is
kept with the store's generation (`Store.generation`) and given again to the same request
while the generation holds: authentication, validation and the handler gave it once and
would give it again. Any write to the store, by any worker sharing it, changes the
generation, and every kept answer is made afresh when next asked for.

Not kept: the admin API's answers (made over the journal and behaviours), requests
with a body or a `Prefer` header (`dynamic=true` asks for fresh data, and a behaviour's
forced status travels in it), answers of 500 and above or larger than `MAX_BODY`,
answers of operations whose handler is `volatile`, and answers during whose making the
store changed. Outer layers (the journal, CORS, behaviours) see every request.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 1024 * 1024  # bytes of one kept answer
MAX_ANSWERS = 4096
MAX_BYTES = 64 * 1024 * 1024  # of all kept answers together
READS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True)
class Kept:
    generation: int
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes


def request_key(scope: Scope) -> tuple[Any, ...] | None:
    """What the answer may depend on, or None for a request whose answer is not kept."""
    if scope["method"] not in READS:
        return None
    headers = tuple((bytes(name), bytes(value)) for name, value in scope["headers"])
    for name, value in headers:
        if name == b"prefer" or name == b"transfer-encoding":
            return None
        if name == b"content-length" and value.strip() not in (b"", b"0"):
            return None
    return (
        scope["method"],
        scope["path"],
        scope.get("query_string", b""),
        scope.get("scheme"),
        tuple(scope.get("server") or ()),
        scope.get("root_path", ""),
        headers,
    )


class AnswerCache:
    """Middleware: a read answered before is answered again while the store is as it was."""

    def __init__(
        self,
        app: ASGIApp,
        generation: Callable[[], int],
        volatile: Collection[str] = (),
        skip: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.generation = generation
        self.volatile = volatile
        self.skip = skip  # path prefixes answered over more than the store (the admin API)
        self.kept: OrderedDict[tuple[Any, ...], Kept] = OrderedDict()
        self.kept_bytes = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = None
        if scope["type"] == "http" and not scope["path"].startswith(self.skip):
            key = request_key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        generation = self.generation()
        found = self.kept.get(key)
        if found is not None and found.generation == generation:
            self.kept.move_to_end(key)
            await replay(found, send)
            return
        sent: list[Message] = []

        async def send_and_keep(message: Message) -> None:
            sent.append(copied(message))
            await send(message)

        await self.app(scope, receive, send_and_keep)
        answer = self.answer_of(sent, generation)
        if answer is not None and self.generation() == generation and not self.of_volatile(scope):
            self.keep(key, answer)

    def of_volatile(self, scope: Scope) -> bool:
        routed = scope.get("extensions", {}).get("connexion_routing", {})
        return routed.get("operation_id") in self.volatile

    def answer_of(self, sent: list[Message], generation: int) -> Kept | None:
        if not sent or sent[0]["type"] != "http.response.start" or sent[0]["status"] >= 500:
            return None
        bodies = sent[1:]
        if not bodies or any(m["type"] != "http.response.body" for m in bodies):
            return None
        if bodies[-1].get("more_body"):
            return None  # the answer did not finish
        body = b"".join(m.get("body", b"") for m in bodies)
        if len(body) > MAX_BODY:
            return None
        headers = tuple((bytes(n), bytes(v)) for n, v in sent[0].get("headers", ()))
        return Kept(generation, int(sent[0]["status"]), headers, body)

    def keep(self, key: tuple[Any, ...], answer: Kept) -> None:
        previous = self.kept.pop(key, None)
        if previous is not None:
            self.kept_bytes -= len(previous.body)
        self.kept[key] = answer
        self.kept_bytes += len(answer.body)
        while len(self.kept) > MAX_ANSWERS or self.kept_bytes > MAX_BYTES:
            _, oldest = self.kept.popitem(last=False)
            self.kept_bytes -= len(oldest.body)


def copied(message: Message) -> Message:
    """The message as sent now: outer layers may change its headers in place afterwards."""
    if message["type"] == "http.response.start":
        return {**message, "headers": list(message.get("headers", ()))}
    return message


async def replay(answer: Kept, send: Send) -> None:
    # Fresh messages each time: outer layers (CORS) add to the headers they are given.
    await send(
        {"type": "http.response.start", "status": answer.status, "headers": list(answer.headers)}
    )
    await send({"type": "http.response.body", "body": answer.body, "more_body": False})
