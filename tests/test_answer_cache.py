"""pipeline/answer_cache: a read asked again is answered from memory while the store is
unchanged, and made afresh once anything changed."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from ibl_mock.app import MockServer, create_app
from ibl_mock.pipeline.answer_cache import MAX_BODY, AnswerCache
from ibl_mock.settings import Settings
from tests.conftest import MAIN_ADMIN, SEED_SPEC, auth, images_url


class Handler:
    """An ASGI app counting its calls; what it answers is set by the test."""

    def __init__(self) -> None:
        self.calls = 0
        self.status = 200
        self.body = b"{}"
        self.operation_id = "op"
        self.during: Any = None  # called while answering

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.calls += 1
        scope["extensions"] = {"connexion_routing": {"operation_id": self.operation_id}}
        if self.during is not None:
            self.during()
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": self.body[:1], "more_body": True})
        await send({"type": "http.response.body", "body": self.body[1:]})


def ask(
    app: Any, method: str = "GET", headers: list[tuple[bytes, bytes]] | None = None
) -> tuple[int, list[Any], bytes]:
    """One request through `app`: status, headers, body."""
    scope = {
        "type": "http",
        "method": method,
        "path": "/things",
        "query_string": b"page=1",
        "headers": headers or [(b"authorization", b"Token a")],
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if message["type"] == "http.response.start":  # as CORS does, in place
            message["headers"].append((b"access-control-allow-origin", b"*"))

    asyncio.run(app(scope, receive, send))
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return sent[0]["status"], sent[0]["headers"], body


@pytest.fixture
def handler() -> Handler:
    return Handler()


@pytest.fixture
def generation() -> list[int]:
    return [0]


@pytest.fixture
def cache(handler: Handler, generation: list[int]) -> AnswerCache:
    return AnswerCache(handler, lambda: generation[0], volatile={"clock"})


def test_a_read_asked_again_is_answered_again_whole(cache: AnswerCache, handler: Handler) -> None:
    handler.body = b'{"count":3}'
    first = ask(cache)
    assert ask(cache) == first and handler.calls == 1
    assert first[2] == b'{"count":3}'
    assert first[1].count((b"access-control-allow-origin", b"*")) == 1  # never piled up


def test_any_change_of_the_store_makes_it_afresh(
    cache: AnswerCache, handler: Handler, generation: list[int]
) -> None:
    ask(cache)
    generation[0] += 1
    handler.body = b'{"count":2}'
    assert ask(cache)[2] == b'{"count":2}' and handler.calls == 2
    assert ask(cache)[2] == b'{"count":2}' and handler.calls == 2


def test_another_header_is_another_request(cache: AnswerCache, handler: Handler) -> None:
    ask(cache, headers=[(b"authorization", b"Token a")])
    ask(cache, headers=[(b"authorization", b"Token b")])
    ask(cache, headers=[(b"authorization", b"Token a"), (b"accept", b"text/html")])
    assert handler.calls == 3


@pytest.mark.parametrize(
    ("method", "headers"),
    [
        ("POST", None),
        ("DELETE", None),
        ("GET", [(b"prefer", b"dynamic=true")]),
        ("GET", [(b"content-length", b"2")]),
        ("GET", [(b"transfer-encoding", b"chunked")]),
    ],
)
def test_writes_bodies_and_preferences_are_never_kept(
    cache: AnswerCache, handler: Handler, method: str, headers: list[tuple[bytes, bytes]] | None
) -> None:
    ask(cache, method, headers)
    ask(cache, method, headers)
    assert handler.calls == 2


def test_failures_large_answers_and_volatile_handlers_are_never_kept(
    cache: AnswerCache, handler: Handler
) -> None:
    handler.status = 503
    ask(cache)
    ask(cache)
    assert handler.calls == 2
    handler.status, handler.body = 200, b"x" * (MAX_BODY + 1)
    ask(cache)
    ask(cache)
    assert handler.calls == 4
    handler.body, handler.operation_id = b"{}", "clock"
    ask(cache)
    ask(cache)
    assert handler.calls == 6


def test_paths_answered_over_more_than_the_store_are_never_kept(handler: Handler) -> None:
    cache = AnswerCache(handler, lambda: 0, skip=("/thi",))
    ask(cache)
    ask(cache)
    assert handler.calls == 2


def test_an_answer_made_while_the_store_changed_is_not_kept(
    cache: AnswerCache, handler: Handler, generation: list[int]
) -> None:
    def change() -> None:
        generation[0] += 1

    handler.during = change
    ask(cache)
    handler.during = None
    ask(cache)
    ask(cache)
    assert handler.calls == 2


@pytest.fixture(params=["memory", "redis"])
def mocks(request: pytest.FixtureRequest) -> Iterator[tuple[MockServer, MockServer]]:
    """Two mocks of one store (the same in memory; two sharing a Redis namespace)."""
    if request.param == "memory":
        one = create_app(Settings.build(spec_path=SEED_SPEC, admin=True))
        yield one, one
        return
    namespace = f"test-{uuid.uuid4().hex[:12]}"
    settings = Settings.build(
        spec_path=SEED_SPEC,
        admin=True,
        store_url=request.getfixturevalue("redis_url"),
        store_namespace=namespace,
    )
    one, other = create_app(settings), create_app(settings)
    yield one, other
    assert one.controls.shared is not None
    for key in one.controls.shared.client.scan_iter(f"{namespace}:*"):
        one.controls.shared.client.delete(key)


def test_a_delete_through_any_mock_is_seen_by_every_kept_list(
    mocks: tuple[MockServer, MockServer],
) -> None:
    with TestClient(mocks[0]) as one, TestClient(mocks[1]) as other:
        headers = auth(MAIN_ADMIN)
        before = other.get(images_url(), headers=headers).json()
        assert other.get(images_url(), headers=headers).json() == before  # kept
        victim = before["results"][0]["id"]
        assert one.delete(images_url(image_id=victim), headers=headers).status_code == 204
        after = other.get(images_url(), headers=headers).json()
        assert after["count"] == before["count"] - 1
        assert victim not in [image["id"] for image in after["results"]]
        assert other.get(images_url(image_id=victim), headers=headers).status_code == 404
        one.post("/__mock__/reset")
        assert other.get(images_url(), headers=headers).json() == before


def test_the_cache_can_be_turned_off_and_answers_the_same() -> None:
    settings = Settings.build(spec_path=SEED_SPEC, answer_cache=False)
    with TestClient(create_app(settings)) as plain, TestClient(create_app(Settings.build(
        spec_path=SEED_SPEC))) as cached:  # fmt: skip
        for _ in range(2):
            for url in (images_url(), images_url(image_id=1), images_url(org="other")):
                assert (
                    cached.get(url, headers=auth(MAIN_ADMIN)).content
                    == plain.get(url, headers=auth(MAIN_ADMIN)).content
                )
