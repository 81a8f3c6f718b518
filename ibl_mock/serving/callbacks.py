"""OpenAPI callbacks: after an operation with `callbacks` answers with success, the mock
sends each callback request the document describes, to the URL its runtime expression
names (`{$request.body#/callbackUrl}`), with a body from its example or made from its
schema, and journals it with the receiver's answer.

`runtime_value` evaluates the expressions; `CallbackSender` is the middleware that notes
what a request sent and was answered, and sends the callbacks once the answer is out.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

import httpx2
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..contract.path_index import path_values
from ..contract.refs import RefError, pointer_get
from ..contract.spec import Spec
from ..control.journal import Entry, Journal, encoded_body
from ..data.moments import drf_datetime
from ..pipeline.context import header_map
from ..pipeline.negotiation import NO_PREFERENCE
from .responses import BodyMaker

LOG = logging.getLogger("ibl_mock.callbacks")
EMBEDDED = re.compile(r"\{(\$[^}]+)\}")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Exchange:
    """What a runtime expression can read: the request and the answer that went out."""

    url: str
    method: str
    path: dict[str, str]
    query: dict[str, str]
    headers: dict[str, str]  # lower-cased names
    body: Any  # JSON, or None
    status: int
    response_headers: dict[str, str]
    response_body: Any


def runtime_value(expression: str, exchange: Exchange) -> Any:
    """The value of one runtime expression (`$request.query.id`), or None."""
    if expression == "$url":
        return exchange.url
    if expression == "$method":
        return exchange.method.upper()
    if expression == "$statusCode":
        return exchange.status
    source, _, rest = expression.partition(".")
    place, _, name = rest.partition(".")
    if source == "$request":
        if place.startswith("body"):
            return body_value(exchange.body, rest[len("body") :])
        places = {"path": exchange.path, "query": exchange.query, "header": exchange.headers}
        table = places.get(place, {})
        return table.get(name.lower() if place == "header" else name)
    if source == "$response":
        if place.startswith("body"):
            return body_value(exchange.response_body, rest[len("body") :])
        if place == "header":
            return exchange.response_headers.get(name.lower())
    return None


def body_value(body: Any, fragment: str) -> Any:
    if not fragment:
        return body
    if not fragment.startswith("#"):
        return None
    try:
        return pointer_get(body, fragment)
    except (RefError, TypeError, KeyError, IndexError):
        return None


def expanded(template: str, exchange: Exchange) -> str | None:
    """A callback URL with its embedded expressions replaced; None if one has no value."""
    if template.startswith("$"):  # the whole key is one expression
        whole = runtime_value(template, exchange)
        return None if whole is None else str(whole)
    missing = False

    def value(match: re.Match[str]) -> str:
        nonlocal missing
        found = runtime_value(match.group(1), exchange)
        missing = missing or found is None
        return "" if found is None else str(found)

    url = EMBEDDED.sub(value, template)
    return None if missing else url


@dataclass(frozen=True)
class Callback:
    operation_id: str
    name: str
    expression: str
    method: str
    body: Any  # JSON, or None
    media: str | None


class CallbackSender:
    """Middleware: after a success answer of an operation with callbacks, the callbacks
    sent (after `delay_s`), each journaled with the receiver's answer."""

    def __init__(
        self,
        app: ASGIApp,
        spec: Spec,
        maker: BodyMaker,
        locate: Callable[[str, str], str | None],
        journal: Journal | None,
        base_path: str = "",
        delay_s: float = 0.0,
    ) -> None:
        self.app = app
        self.base_path = base_path
        self.spec = spec
        self.maker = maker
        self.locate = locate
        self.journal = journal
        self.delay_s = delay_s
        self.tasks: set[asyncio.Task[None]] = set()  # kept until done: not collected early

    def described(self, operation_id: str | None) -> dict[str, Any]:
        operation = self.spec.operations.get(operation_id or "")
        if operation is None:
            return {}
        found = self.spec.operation_object(operation).get("callbacks")
        return found if isinstance(found, dict) else {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        operation_id = self.locate(scope["method"].lower(), scope["path"]) if (
            scope["type"] == "http"
        ) else None  # fmt: skip
        callbacks = self.described(operation_id)
        if not callbacks or operation_id is None:
            await self.app(scope, receive, send)
            return
        request_body = bytearray()
        answer: dict[str, Any] = {"body": bytearray()}

        async def noting_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                request_body.extend(message.get("body", b""))
            return message

        async def noting_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = int(message["status"])
                answer["headers"] = message.get("headers", [])
            elif message["type"] == "http.response.body":
                answer["body"].extend(message.get("body", b""))
            await send(message)

        await self.app(scope, noting_receive, noting_send)
        status = answer.get("status", 0)
        if not 200 <= status < 300:
            return
        template = self.spec.operations[operation_id].path
        values = path_values(template, scope["path"][len(self.base_path) :])
        exchange = exchange_of(scope, values, bytes(request_body), answer)
        task = asyncio.get_running_loop().create_task(
            self.send_all(operation_id, callbacks, exchange)
        )
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def requests(self, operation_id: str, callbacks: dict[str, Any]) -> list[Callback]:
        made = []
        for name, expressions in callbacks.items():
            expressions = self.spec.resolve(expressions)
            for expression, item in (expressions or {}).items():
                item = self.spec.resolve(item)
                for method in METHODS:
                    if isinstance(item, dict) and isinstance(item.get(method), dict):
                        body, media = self.body_of(operation_id, name, method, item[method])
                        made.append(Callback(operation_id, name, expression, method, body, media))
        return made

    def body_of(
        self, operation_id: str, name: str, method: str, operation: dict[str, Any]
    ) -> tuple[Any, str | None]:
        described = self.spec.resolve(operation.get("requestBody"))
        content = (described or {}).get("content") or {}
        for media, media_object in content.items():
            key = f"{operation_id}#callback/{name}/{method}"
            return self.maker.body(key, "request", media, media_object, NO_PREFERENCE), media
        return None, None

    async def send_all(
        self, operation_id: str, callbacks: dict[str, Any], exchange: Exchange
    ) -> None:
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        async with httpx2.AsyncClient(timeout=TIMEOUT_S) as client:
            for callback in self.requests(operation_id, callbacks):
                await self.send_one(client, callback, exchange)

    async def send_one(self, client: Any, callback: Callback, exchange: Exchange) -> None:
        url = expanded(callback.expression, exchange)
        label = f"{callback.operation_id} callback {callback.name}"
        if url is None:
            LOG.warning("%s: %s has no value in this request", label, callback.expression)
            return
        content = None if callback.body is None else json.dumps(callback.body).encode()
        headers = {"content-type": callback.media} if callback.media else {}
        sent_at = datetime.now(UTC)
        started = time.perf_counter()
        status: int | None = None
        answer = b""
        try:
            response = await client.request(
                callback.method.upper(), url, content=content, headers=headers
            )
            status, answer = response.status_code, response.content
        except (httpx2.HTTPError, httpx2.InvalidURL) as exc:  # the rest are still sent
            LOG.warning("%s to %s: no answer (%s)", label, url, exc)
        if self.journal is not None:
            self.journal.add(
                callback_entry(callback, url, content, headers, sent_at, started, status, answer)
            )


def callback_entry(
    callback: Callback,
    url: str,
    content: bytes | None,
    headers: dict[str, str],
    sent_at: datetime,
    started: float,
    status: int | None,
    answer: bytes,
) -> Entry:
    text, encoding = encoded_body(content or b"")
    answer_text, answer_encoding = encoded_body(answer[:65536])
    return Entry(
        id=0,
        time=drf_datetime(sent_at),
        method=callback.method.upper(),
        path=url,
        query="",
        headers=headers,
        body=text,
        body_encoding=encoding,
        body_truncated=False,
        status=status,
        duration_ms=round((time.perf_counter() - started) * 1000, 3),
        operation_id=callback.operation_id,
        callback={
            "name": callback.name,
            "expression": callback.expression,
            "answer": answer_text,
            "answer_encoding": answer_encoding,
        },
    )


def exchange_of(
    scope: Scope, path: dict[str, str], body: bytes, answer: dict[str, Any]
) -> Exchange:
    headers = header_map(scope["headers"])
    host = headers.get("host", "localhost")
    query = scope.get("query_string", b"").decode("latin-1")
    url = f"{scope.get('scheme', 'http')}://{host}{scope['path']}" + (f"?{query}" if query else "")
    return Exchange(
        url=url,
        method=scope["method"],
        path=path,
        query=dict(parse_qsl(query, keep_blank_values=True)),
        headers=headers,
        body=json_or_none(body),
        status=int(answer.get("status", 0)),
        response_headers=header_map(answer.get("headers", [])),
        response_body=json_or_none(bytes(answer["body"])),
    )


def json_or_none(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None
