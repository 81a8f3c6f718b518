"""Per-operation behaviour set through the admin API: delays, forced statuses, faults.

`Behaviour.parse` reads and checks what a client sent; `Behaviours` holds them by
operationId; `BehaviourMiddleware` applies them to requests before the spec's pipeline.
A forced status travels as `Prefer: code=N`, so the answer is the documented one.
"""

from __future__ import annotations

import asyncio
import logging
import random
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from ..pipeline.negotiation import success_status
from ..pipeline.statuses import status_key

MAX_DELAY_MS = 60_000
DROP = "drop"


class BehaviourError(ValueError):
    """A behaviour a client sent that cannot be used; names the field."""


class ConnectionDropped(Exception):
    """Raised after the status line: the server closes the connection mid-answer."""


class QuietDrops(logging.Filter):
    """The server's log need not show a traceback for a connection dropped on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], ConnectionDropped))


@dataclass(frozen=True)
class Behaviour:
    delay_min_ms: float = 0
    delay_max_ms: float = 0
    status: int | None = None  # every call answers this documented status
    failure_rate: float = 0  # share of calls that fail, 0..1
    failure: int | str = DROP  # a failing call: this documented status, or a dropped connection
    usual: int | None = None  # the operation's own success status: forcing it changes nothing

    @classmethod
    def parse(cls, data: Any, documented: dict[str, Any]) -> Behaviour:
        """A behaviour from its JSON form; `documented` is the operation's responses."""
        if not isinstance(data, dict):
            raise BehaviourError("the behaviour must be a JSON object")
        unknown = sorted(set(data) - {"delay_ms", "status", "failure_rate", "failure"})
        if unknown:
            raise BehaviourError(f"unknown field {unknown[0]!r}")
        low, high = delay_range(data.get("delay_ms", 0))
        status = data.get("status")
        if status is not None:
            status = documented_status("status", status, documented)
        rate = data.get("failure_rate", 0)
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 <= rate <= 1:
            raise BehaviourError("'failure_rate' must be a number from 0 to 1")
        failure = data.get("failure", DROP)
        if failure != DROP:
            failure = documented_status("failure", failure, documented)
        usual = success_status(documented)[1] if documented else None
        return cls(low, high, status, float(rate), failure, usual)

    def as_json(self) -> dict[str, Any]:
        delay: Any = self.delay_min_ms
        if self.delay_max_ms != self.delay_min_ms:
            delay = {"min": self.delay_min_ms, "max": self.delay_max_ms}
        return {
            "delay_ms": delay,
            "status": self.status,
            "failure_rate": self.failure_rate,
            "failure": self.failure,
        }


def delay_range(value: Any) -> tuple[float, float]:
    if isinstance(value, dict):
        if set(value) != {"min", "max"}:
            raise BehaviourError("'delay_ms' as an object takes exactly 'min' and 'max'")
        low, high = (
            milliseconds("delay_ms.min", value["min"]),
            milliseconds("delay_ms.max", value["max"]),
        )
        if low > high:
            raise BehaviourError("'delay_ms.min' is larger than 'delay_ms.max'")
        return low, high
    fixed = milliseconds("delay_ms", value)
    return fixed, fixed


def milliseconds(field: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BehaviourError(f"{field!r} must be a number of milliseconds")
    if not 0 <= value <= MAX_DELAY_MS:
        raise BehaviourError(f"{field!r} must be from 0 to {MAX_DELAY_MS}")
    return float(value)


def documented_status(field: str, value: Any, documented: dict[str, Any]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 100 <= value <= 599:
        raise BehaviourError(f"{field!r} must be an HTTP status code")
    if status_key(documented, value) is None:
        known = ", ".join(sorted(documented)) or "none"
        raise BehaviourError(
            f"{field!r}: {value} is not documented for this operation (documented: {known})"
        )
    return value


@dataclass(frozen=True)
class Outcome:
    delay_s: float
    status: int | None  # answer with this documented status
    drop: bool


class Behaviours:
    """The behaviour of each operation that has one; random draws from a seeded source."""

    def __init__(self, seed: int = 0) -> None:
        self._by_operation: dict[str, Behaviour] = {}
        self._lock = threading.Lock()
        self._random = random.Random(seed)

    def set(self, operation_id: str, behaviour: Behaviour) -> None:
        with self._lock:
            self._by_operation[operation_id] = behaviour

    def remove(self, operation_id: str) -> bool:
        with self._lock:
            return self._by_operation.pop(operation_id, None) is not None

    @property
    def active(self) -> bool:
        return bool(self._by_operation)

    def get(self, operation_id: str) -> Behaviour | None:
        return self._by_operation.get(operation_id)

    def all(self) -> dict[str, Behaviour]:
        with self._lock:
            return dict(sorted(self._by_operation.items()))

    def clear(self, seed: int | None = None) -> None:
        with self._lock:
            self._by_operation.clear()
            if seed is not None:
                self._random.seed(seed)

    def outcome(self, operation_id: str) -> Outcome | None:
        behaviour = self._by_operation.get(operation_id)
        if behaviour is None:
            return None
        with self._lock:
            delay = self._random.uniform(behaviour.delay_min_ms, behaviour.delay_max_ms)
            fails = behaviour.failure_rate > 0 and self._random.random() < behaviour.failure_rate
        # The usual status needs no forcing: the handler answers it with live data.
        status = None if behaviour.status == behaviour.usual else behaviour.status
        if fails and behaviour.failure != DROP:
            status = int(behaviour.failure)
        return Outcome(delay / 1000, status, fails and behaviour.failure == DROP)


def with_header(headers: Iterable[tuple[bytes, bytes]], name: bytes, value: bytes) -> list[Any]:
    return [*((k, v) for k, v in headers if k.lower() != name), (name, value)]


class BehaviourMiddleware:
    """Delays, forces a status on, or drops the requests of operations with a behaviour."""

    def __init__(
        self, app: ASGIApp, behaviours: Behaviours, locate: Callable[[str, str], str | None]
    ) -> None:
        self.app = app
        self.behaviours = behaviours
        self.locate = locate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        outcome = None
        if scope["type"] == "http" and self.behaviours.active:
            operation_id = self.locate(scope["method"].lower(), scope["path"])
            outcome = self.behaviours.outcome(operation_id) if operation_id else None
        if outcome is None:
            await self.app(scope, receive, send)
            return
        if outcome.delay_s:
            await asyncio.sleep(outcome.delay_s)
        if outcome.drop:
            # An ASGI app cannot close a socket; uvicorn does, when an answer that has
            # started fails. The client sees a status line, then the connection closing.
            headers = [(b"content-length", b"1048576")]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            raise ConnectionDropped(scope["path"])
        if outcome.status is not None:
            prefer = f"code={outcome.status}".encode()
            scope = {**scope, "headers": with_header(scope["headers"], b"prefer", prefer)}
        await self.app(scope, receive, send)
