"""The engine's own ASGI middleware, placed in the Connexion stack by `app.py`."""

from __future__ import annotations

import functools
import re
import urllib.parse
from collections.abc import Callable, Mapping

from connexion.exceptions import UnsupportedMediaTypeProblem
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..contract.spec import Spec
from ..data.store import Store

NO_BODY_STATUSES = frozenset({204, 304})
# What a 204 or 304 must not carry: uvicorn would wait for the bytes a length announces.
BODY_HEADERS = (b"content-type", b"content-length")


class StoreContext:
    """Expose the app's store to handlers (Connexion passes context keys as arguments)."""

    def __init__(self, app: ASGIApp, store: Store) -> None:
        self.app = app
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extensions = scope.setdefault("extensions", {})
        extensions.setdefault("connexion_context", {})["store"] = self.store
        await self.app(scope, receive, send)


# Set in the scope's extensions by a handler answering an empty body of a documented
# media type (`application/x-protobuf` with no schema): that answer keeps its type.
EMPTY_BUT_TYPED = "ibl_mock.empty_but_typed"


class NoContentHeaders:
    """Drop Content-Type from bodiless answers, as Django REST Framework does (unless the
    handler marked the answer `EMPTY_BUT_TYPED`), and the
    body (and its length) of a 204 or 304, which HTTP forbids: uvicorn fails such a
    response midway (a stateful update documented as 204 returned its record).

    Being outermost, it also gives the scope its `extensions` mapping: Connexion's router
    records the operation there, and the error handlers, which see the outer scope, can
    only read it if the mapping existed before the router copied the scope.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extensions = scope.setdefault("extensions", {})
        no_body = False

        async def send_without_type(message: Message) -> None:
            nonlocal no_body
            if message["type"] == "http.response.start":
                no_body = message["status"] in NO_BODY_STATUSES
                typed = extensions.get(EMPTY_BUT_TYPED) and not no_body
                if bodiless(message) and not typed:
                    dropped = BODY_HEADERS if no_body else (b"content-type",)
                    message["headers"] = [
                        (k, v) for k, v in message.get("headers", []) if k.lower() not in dropped
                    ]
            elif message["type"] == "http.response.body" and no_body:
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_without_type)


class RoutedOnly:
    """404 for every request Connexion's router did not match to an operation, and path
    parameters with the newlines and encoded slashes they were sent with (see
    `NEWLINE_IN_ROUTING`).

    Flask's own URL map is looser than Connexion's: without this, a request it alone
    matches reaches a view outside any operation context and fails with a 500. Placed
    right after routing.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            routing = scope.get("extensions", {}).get("connexion_routing", {})
            if routing.get("operation_id") is None:
                raise HTTPException(status_code=404)
            params = scope.get("path_params")
            if params and any(marked(v) for v in params.values()):
                scope["path_params"] = {k: as_sent(v) for k, v in params.items()}
        await self.app(scope, receive, send)


class MalformedContentType:
    """A Content-Type that is no `type/subtype` (`G`, `a/b/c`, empty): 415 where the
    operation takes a body, else dropped. Connexion reads the body of every request
    whose handler takes `**kwargs` and splits the header on `/` to do so: a 500.

    Placed after validation, which has judged the header already (a header parameter
    named Content-Type is not checked: OpenAPI says to ignore it).
    """

    def __init__(self, app: ASGIApp, takes_body: Callable[[str | None], bool]) -> None:
        self.app = app
        self.takes_body = takes_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            value = Headers(scope=scope).get("content-type")
            if value is not None and not well_formed_media(value):
                routing = scope.get("extensions", {}).get("connexion_routing", {})
                if self.takes_body(routing.get("operation_id")):
                    raise UnsupportedMediaTypeProblem(detail=f"Invalid Content-type ({value}).")
                scope = with_content_type(scope, None)
        await self.app(scope, receive, send)


class ClientChosenContentType:
    """A body sent with a Content-Type the operation does not document, where the
    operation lists a `Content-Type` header parameter: read as the media type it does
    document. Such a parameter (Amazon's raw uploads: "image/png or image/jpeg") says the
    client chooses the header; OpenAPI has it ignored, and Connexion answered 415.

    Placed right after routing, before validation judges the header."""

    def __init__(self, app: ASGIApp, documented: Mapping[str, tuple[str, ...]]) -> None:
        self.app = app
        self.documented = documented  # operationId -> its body's media types, in order

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            routing = scope.get("extensions", {}).get("connexion_routing", {})
            media = self.documented.get(routing.get("operation_id") or "")
            sent = Headers(scope=scope).get("content-type")
            if media and sent is not None and sent.split(";")[0].strip().lower() not in media:
                scope = with_content_type(scope, media[0])
        await self.app(scope, receive, send)


def with_content_type(scope: Scope, media: str | None) -> Scope:
    """`scope` whose request says its body is `media` (None: says nothing)."""
    headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"content-type"]
    if media is not None:
        headers.append((b"content-type", media.encode("latin-1")))
    return {**scope, "headers": headers}


def client_chosen_types(spec: Spec) -> dict[str, tuple[str, ...]]:
    """The operations whose clients choose their Content-Type, each with the media types
    its request body documents (the first: what another type is read as)."""
    chosen: dict[str, tuple[str, ...]] = {}
    for operation_id, operation in spec.operations.items():
        if not spec.declares_header(operation, "content-type"):
            continue
        body = spec.resolve(spec.operation_object(operation).get("requestBody"))
        content = body.get("content") if isinstance(body, dict) else None
        if isinstance(content, dict) and content:
            chosen[operation_id] = tuple(str(media).lower() for media in content)
    return chosen


def well_formed_media(value: str) -> bool:
    """`type/subtype`, parameters aside."""
    kind, slash, subtype = value.split(";", 1)[0].strip().partition("/")
    return bool(kind and slash and subtype) and "/" not in subtype


def body_taker(spec: Spec) -> Callable[[str | None], bool]:
    """Whether the operation of an operationId documents a request body."""

    def takes_body(operation_id: str | None) -> bool:
        operation = spec.operations.get(operation_id or "")
        return operation is not None and "requestBody" in spec.operation_object(operation)

    return takes_body


def bodiless(start: Message) -> bool:
    if start["status"] in NO_BODY_STATUSES:
        return True
    return any(k.lower() == b"content-length" and v == b"0" for k, v in start.get("headers", []))


class SpecDocument:
    """Serve the spec at `<base>/openapi.json` from bytes made once, when first asked
    (tens of milliseconds on a large document: not a cost of every start).

    Connexion would serve its own copy, with every `$ref` resolved in place: that copy
    loops on recursive schemas and fails to serialise.
    """

    def __init__(self, app: ASGIApp, path: str, body: Callable[[], bytes]) -> None:
        self.app = app
        self.path = path
        self.made = body

    @functools.cached_property
    def body(self) -> bytes:
        return self.made()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["path"] == self.path
            and scope["method"] in ("GET", "HEAD")
        ):
            headers = [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(self.body)).encode()),
            ]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            body = b"" if scope["method"] == "HEAD" else self.body
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


# Starlette's route regexes end in `$`, which matches before a trailing newline: a path
# ending in one (or in one and the slash its router drops to redirect) would be routed
# without it. And a slash sent encoded (`%2F`, in a value such as Azure's resource ids)
# is decoded before routing, splitting its segment in two. So both travel through routing
# as characters no URL holds, and path parameters get them back right after
# (`RoutedOnly`).
NEWLINE_IN_ROUTING = "\U0010fffe"
SLASH_IN_ROUTING = "\U0010fffd"
ENCODED_SLASH = re.compile(r"%2f", re.IGNORECASE)


def routable(scope: Scope) -> str:
    """The path to route: as decoded, but with encoded slashes and newlines marked."""
    path: str = scope["path"]
    raw = scope.get("raw_path")
    sent = raw.decode("latin-1").split("?")[0] if isinstance(raw, bytes) else ""
    if ENCODED_SLASH.search(sent):
        pieces = ENCODED_SLASH.split(sent)
        path = SLASH_IN_ROUTING.join(urllib.parse.unquote(piece) for piece in pieces)
    return path.replace("\n", NEWLINE_IN_ROUTING)


def marked(value: object) -> bool:
    return isinstance(value, str) and (NEWLINE_IN_ROUTING in value or SLASH_IN_ROUTING in value)


def as_sent(value: object) -> object:
    if not isinstance(value, str):
        return value
    return value.replace(NEWLINE_IN_ROUTING, "\n").replace(SLASH_IN_ROUTING, "/")


class KnownPathsOnly:
    """404 for a path no template of the spec matches, before Starlette's router would
    redirect `/things/1` to `/things/1/` with a 307 the spec does not document."""

    def __init__(
        self,
        app: ASGIApp,
        base_path: str,
        methods_at: Callable[[str], object],
        own_paths: tuple[str, ...],
    ) -> None:
        self.app = app
        self.base_path = base_path
        self.methods_at = methods_at
        self.own_paths = own_paths  # Swagger UI and the spec document

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(self.own_paths):
            path = routable(scope)
            inside = path.startswith(self.base_path)
            if not inside or not self.methods_at(path[len(self.base_path) :] or "/"):
                raise HTTPException(status_code=404)
            if path != scope["path"]:
                scope = {**scope, "path": path}
        await self.app(scope, receive, send)


class UiAtRoot:
    """`/ui/` leads to Swagger UI wherever the API is served (`/v2/ui/`, say)."""

    def __init__(self, app: ASGIApp, target: str) -> None:
        self.app = app
        self.target = target

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] in ("/ui", "/ui/"):
            headers = [(b"location", self.target.encode()), (b"content-length", b"0")]
            await send({"type": "http.response.start", "status": 307, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        await self.app(scope, receive, send)
