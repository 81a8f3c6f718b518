"""`ibl-mock proxy`: an ASGI app forwarding every request to the upstream and checking
both directions against the contract (`conformance`). The upstream's answer reaches the
client unchanged, its body streamed as it comes (bytes as sent, any encoding), and is
checked once whole; violations go to the log and to the `Report`, and on request to a
response header (the answer is then held until checked). With a fallback (the mock of the
same contract), a documented operation the upstream lacks (it does not answer, or answers
501 or a 404 that is not a record's) is answered by the mock.

Under /__mock__/: the report (`/report`, JSON; `?format=junit` for JUnit XML), the
journal of what passed (`/journal`, each entry with its violations), and to a browser
the page the mock's admin API shows (`control/page.html`), with the report.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from http.cookiejar import Cookie, DefaultCookiePolicy
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import httpx2
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..contract.spec import Operation
from ..control.admin import PAGE, wants_page
from ..control.control import ADMIN_PREFIX, ADMIN_TOKEN_HEADER
from ..control.journal import VIOLATIONS, Journal, JournalRecorder, Masker
from ..control.masking import MASK, masked
from ..pipeline.context import header_map
from .conformance import ContractCheck, Violation, is_json, media_of
from .recording import Recorder
from .report import Exchange, Report

LOG = logging.getLogger("ibl_mock.proxy")
REPORT_PATH = f"{ADMIN_PREFIX}/report"
VIOLATIONS_HEADER = b"x-ibl-mock-violations"
ANSWERED_BY_MOCK = (b"x-ibl-mock-answered-by", b"mock")  # `--fallback mock` answered it
CHECK_LIMIT = 16 * 1024 * 1024  # bytes of a body read for checks; larger ones pass unchecked
CLIENT_DEFAULTS = frozenset({"accept", "accept-encoding", "user-agent"})  # httpx adds them
HOP_BY_HOP = frozenset(
    {
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "host", "content-length",
    }
)  # fmt: skip


class NoCookies(DefaultCookiePolicy):
    """Keeps no cookie: each caller's cookies travel in its own requests only."""

    def set_ok(self, cookie: Cookie, request: Any) -> bool:
        return False

    def return_ok(self, cookie: Cookie, request: Any) -> bool:
        return False


@dataclass(frozen=True)
class ProxySettings:
    upstream: str  # scheme://host[:port][/prefix]
    timeout_s: float = 30.0
    violations_header: bool = False
    verify: bool | str = True  # TLS: verify with the system's CAs, a CA bundle's path, or not
    admin_token: str | None = None  # guards /__mock__/ (report, journal), as the mock's


def upstream_lacks(operation: Operation, status: int, documented_404: bool) -> bool:
    """Whether an answer says the upstream lacks the operation: a 501, or a 404, unless
    the operation documents its own 404 for an item its path names (a record not found)."""
    if status == 501:
        return True
    return status == 404 and not (documented_404 and "{" in operation.path)


class ContractProxy:
    def __init__(
        self,
        settings: ProxySettings,
        check: ContractCheck,
        masker: Masker,
        report: Report,
        fallback: ASGIApp | None = None,
        journal: Journal | None = None,
        recorder: Recorder | None = None,
    ) -> None:
        self.settings = settings
        self.recorder = recorder  # `--record DIR`: the upstream's records kept as fixtures
        self.journal = journal or Journal()
        self.recorded = JournalRecorder(
            self.forward,
            masker,
            lambda method, path: getattr(check.operation(method, path), "operation_id", None),
            self.journal,
        )
        self.fallback = fallback  # `--fallback mock`: the mock answers what the upstream lacks
        self.check = check
        self.masker = masker
        self.report = report
        self.upstream = settings.upstream.rstrip("/")
        self.client = self.new_client()

    def new_client(self) -> Any:
        client = httpx2.AsyncClient(
            timeout=self.settings.timeout_s, verify=self.settings.verify, follow_redirects=False
        )
        # One client serves every caller: a cookie the upstream sets for one must never
        # travel with another's requests.
        client.cookies.jar.set_policy(NoCookies())
        return client

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            self.client = self.new_client()  # its connections belong to this event loop
            await lifespan(receive, send)
            await self.client.aclose()
            return
        if scope["type"] != "http":
            return
        if scope["path"].startswith(ADMIN_PREFIX + "/"):
            await self.admin(scope, send)
            return
        await self.recorded(scope, receive, send)

    async def admin(self, scope: Scope, send: Send) -> None:
        """The proxy's own page, report and journal under /__mock__/."""
        method, path = scope["method"], scope["path"][len(ADMIN_PREFIX) :]
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        headers = header_map(scope["headers"])
        if (method, path) == ("GET", "/") and wants_page(headers.get("accept", "")):
            await send_body(send, 200, PAGE.read_bytes(), b"text/html; charset=utf-8")
        elif not self.admits(headers.get(ADMIN_TOKEN_HEADER.lower())):
            detail = f"Send the admin token in {ADMIN_TOKEN_HEADER}."
            await send_json(send, 401, {"detail": detail})
        elif (method, path) == ("GET", "/"):
            info = {"title": self.check.spec.title, "upstream": shown_url(self.upstream)}
            await send_json(send, 200, {**info, "exchanges": self.report.exchanges})
        elif (method, path) == ("GET", "/report"):
            await self.answer_report(scope, send)
        elif (method, path) == ("GET", "/journal"):
            limit = int(query["limit"]) if query.get("limit", "").isdigit() else None
            entries = self.journal.entries(query.get("operationId"), None, limit)
            await send_json(send, 200, [entry.as_json() for entry in entries])
        elif (method, path) == ("DELETE", "/journal"):
            self.journal.clear()
            await send_body(send, 204, b"", b"application/json")
        else:
            await send_json(send, 404, {"detail": f"The proxy serves no {method} {scope['path']}."})

    def admits(self, token: str | None) -> bool:
        wanted = self.settings.admin_token
        if wanted is None:
            return True
        return token is not None and hmac.compare_digest(token.encode(), wanted.encode())

    async def forward(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The request to the upstream (or the mock), checked, and its answer back."""
        method, path = scope["method"], scope["path"]
        headers = header_map(scope["headers"])
        query = scope.get("query_string", b"").decode("latin-1")
        incoming = RequestBody(receive)
        has_body = "content-length" in headers or "transfer-encoding" in headers
        raw_path = scope.get("raw_path") or scope["path"].encode()  # as sent: %2F stays
        sent = [
            (k.decode("latin-1"), v.decode("latin-1"))
            for k, v in scope["headers"]
            if k.decode("latin-1").lower() not in HOP_BY_HOP - {"content-length"}
        ]  # every one, repeated ones included, in order
        outgoing = self.client.build_request(
            scope["method"],
            self.upstream + raw_path.decode("latin-1") + (f"?{query}" if query else ""),
            headers=sent,
            content=incoming.chunks() if has_body else b"",  # streamed on as it comes
        )
        for name in CLIENT_DEFAULTS - headers.keys():  # the HTTP client's, not the caller's
            outgoing.headers.pop(name, None)
        operation = self.check.operation(method, path)
        body: bytes | None = b""
        status: int | None = None
        by = "upstream"
        violations: list[Violation] = []
        try:
            upstream = await self.client.send(outgoing, stream=True)
        except httpx2.HTTPError as exc:
            message = f"the upstream did not answer: {type(exc).__name__}: {exc}"
            violations.append(Violation(None, "upstream", "unreachable", message))
            body = await incoming.whole() if has_body else b""
            operation, found = self.check.request(method, path, query, headers, body)
            if self.fallback is not None and operation is not None:
                status, by = await self.from_mock(scope, body or b"", send), "mock"
            else:
                await send_json(send, 502, {"detail": message})
            violations = found + violations
        else:
            status = upstream.status_code
            try:
                # The upstream has the request whole (or answered before reading it all).
                lacking = self.lacking(operation, status)
                body = await incoming.whole() if lacking else incoming.kept_whole()
                operation, violations = self.check.request(method, path, query, headers, body)
                if lacking:
                    await upstream.aclose()
                    status, by = await self.from_mock(scope, body or b"", send), "mock"
                else:
                    violations += await self.relay(upstream, operation, send, scope["path"])
            finally:
                await upstream.aclose()
        self.note(scope, query, headers, operation, status, violations, by, body or b"")
        # For the journal entry of this request (`JournalRecorder` reads it when done).
        scope["extensions"][VIOLATIONS] = [v.as_json() for v in violations]

    def lacking(self, operation: Operation | None, status: int) -> bool:
        if self.fallback is None or operation is None:
            return False
        responses = self.check.spec.operation_object(operation).get("responses") or {}
        return upstream_lacks(operation, status, "404" in map(str, responses))

    async def from_mock(self, scope: Scope, body: bytes, send: Send) -> int | None:
        """The mock's answer to the request (its body given again); its status."""
        assert self.fallback is not None
        given = False
        status: list[int] = []

        async def receive() -> Message:
            nonlocal given
            if given:
                return {"type": "http.disconnect"}
            given = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def noted(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(int(message["status"]))
                message = {**message, "headers": [*message.get("headers", []), ANSWERED_BY_MOCK]}
            await send(message)

        await self.fallback(dict(scope), receive, noted)
        return status[0] if status else None

    async def relay(self, upstream: Any, operation: Any, send: Send, path: str) -> list[Violation]:
        """The upstream's answer sent on as it comes (or held, to carry the violations
        header); its violations once whole."""
        headers = [
            (k.encode("latin-1"), v.encode("latin-1"))
            for k, v in upstream.headers.multi_items()
            if k.lower() not in HOP_BY_HOP - {"content-length"}
        ]
        lowered = {k.lower(): v for k, v in upstream.headers.items()}
        kept = bytearray()
        held: list[bytes] = []  # the whole answer, held for the violations header
        start = {"type": "http.response.start", "status": upstream.status_code, "headers": headers}
        if not self.settings.violations_header:
            await send(start)
        async for chunk in upstream.aiter_raw():
            if len(kept) <= CHECK_LIMIT:
                kept.extend(chunk)
            if self.settings.violations_header:
                held.append(chunk)
            else:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        found: list[Violation] = []
        encoded = lowered.get("content-encoding", "identity").lower() not in ("", "identity")
        if operation is not None and len(kept) <= CHECK_LIMIT and not encoded:
            found = self.check.response(operation, upstream.status_code, lowered, bytes(kept))
            self.record(operation, path, upstream.status_code, lowered, bytes(kept))
        if self.settings.violations_header:
            summary = json.dumps([v.as_json() for v in found], ensure_ascii=True)
            start["headers"] = [*headers, (VIOLATIONS_HEADER, summary.encode())]
            await send(start)
            for chunk in held:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return found

    def record(
        self, operation: Any, path: str, status: int, headers: dict[str, str], body: bytes
    ) -> None:
        if self.recorder is None or not is_json(media_of(headers.get("content-type"))):
            return
        try:
            value = json.loads(body)
        except ValueError:
            return  # the violation says so
        self.recorder.observe(operation, self.check.relative(path) or path, status, value)

    def note(
        self,
        scope: Scope,
        query: str,
        headers: dict[str, str],
        operation: Any,
        status: int | None,
        violations: list[Violation],
        by: str = "upstream",
        body: bytes = b"",
    ) -> None:
        exchange = Exchange(
            method=scope["method"],
            path=scope["path"],
            query=self.masker.query_string(query),
            headers={k: self.masker.header(k, v) for k, v in headers.items()},
            operation_id=None if operation is None else operation.operation_id,
            status=status,
            violations=tuple(violations),
            answered_by=by,
            body=reported_body(body, headers.get("content-type")),
        )
        self.report.add(exchange)
        for violation in violations:
            LOG.warning(
                "%s %s (%s) -> %s: %s [%s] %s",
                exchange.method,
                exchange.path,
                exchange.operation_id or "no operation",
                status,
                violation.location,
                violation.rule,
                violation.message,
            )

    async def answer_report(self, scope: Scope, send: Send) -> None:
        if b"format=junit" in scope.get("query_string", b""):
            body = self.report.junit().encode()
            await send_body(send, 200, body, b"application/xml")
            return
        await send_json(send, 200, self.report.as_json())


def shown_url(url: str) -> str:
    """`url` without a password it may carry (`https://user:secret@host`)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:{MASK}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


REPORTED_BODY = 64 * 1024  # bytes of a request body the report keeps to reproduce it


def reported_body(body: bytes, content_type: str | None) -> Any:
    """A request body as the report keeps it: JSON with credential-like fields masked,
    else text; None when there is none, or it is too large or not text."""
    if not body or len(body) > REPORTED_BODY:
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if is_json(media_of(content_type)):
        try:
            return masked(json.loads(text))
        except ValueError:
            return text
    return text


class RequestBody:
    """A request's body passed on as it comes, its start kept for the checks."""

    def __init__(self, receive: Receive) -> None:
        self.receive = receive
        self.kept = bytearray()
        self.size = 0
        self.done = False

    async def chunks(self) -> AsyncIterator[bytes]:
        while not self.done:
            message: Message = await self.receive()
            if message["type"] != "http.request":
                self.done = True
                break
            chunk = message.get("body", b"")
            self.size += len(chunk)
            if self.size <= CHECK_LIMIT:
                self.kept.extend(chunk)
            self.done = not message.get("more_body")
            if chunk:
                yield chunk

    async def whole(self) -> bytes | None:
        """The body whole, read to its end (for the mock to answer, when it must); None
        when a part too large to keep was passed on already."""
        rest = bytearray()
        async for chunk in self.chunks():
            rest.extend(chunk)
        if self.size <= CHECK_LIMIT:
            return bytes(self.kept)
        return bytes(rest) if len(rest) == self.size else None

    def kept_whole(self) -> bytes | None:
        """The body, when it was read to its end and is small enough to check."""
        return bytes(self.kept) if self.done and self.size <= CHECK_LIMIT else None


async def send_json(send: Send, status: int, value: Any) -> None:
    body = json.dumps(value, ensure_ascii=False).encode()
    await send_body(send, status, body, b"application/json")


async def send_body(send: Send, status: int, body: bytes, media: bytes) -> None:
    headers = [(b"content-type", media), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
