"""serving/callbacks: after an operation with callbacks succeeds, the mock sends each one
to the URL its runtime expression names, and journals it with the receiver's answer."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from starlette.testclient import TestClient

from ibl_mock.app import create_app
from ibl_mock.serving.callbacks import Exchange, expanded, runtime_value
from ibl_mock.settings import Settings
from tests.conftest import SPECS

SPEC = SPECS / "callbacks" / "openapi.yaml"


class Receiver:
    """A local HTTP server noting each request it gets (method, path, body, when)."""

    def __init__(self) -> None:
        got: list[dict[str, Any]] = []
        self.got = got

        class Note(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                got.append(
                    {
                        "method": "POST",
                        "path": self.path,
                        "body": json.loads(self.rfile.read(length) or b"null"),
                        "type": self.headers.get("content-type"),
                        "at": time.monotonic(),
                    }
                )
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Note)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, count: int = 1, seconds: float = 5.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + seconds
        while len(self.got) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.got


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    yield found
    found.server.shutdown()


def test_a_success_sends_the_callback_where_the_request_said(receiver: Receiver) -> None:
    server = create_app(Settings.build(spec_path=SPEC, admin=True))
    with TestClient(server) as client:
        answer = client.post("/subscriptions", json={"callbackUrl": receiver.url + "/hook"})
        assert answer.status_code == 201
        got = receiver.wait()
        assert len(got) == 1
        assert got[0]["path"] == f"/hook?event={answer.json()['id']}"
        assert got[0]["body"] == {"event": "data.updated", "count": 3}  # its example
        assert got[0]["type"] == "application/json"
        time.sleep(0.1)  # the journal entry follows the receiver's answer
        journal = client.get("/__mock__/journal").json()
    sent = [e for e in journal if e["callback"] is not None]
    assert len(sent) == 1 and sent[0]["status"] == 204 and sent[0]["method"] == "POST"
    assert sent[0]["path"].startswith(receiver.url + "/hook?event=")
    assert sent[0]["callback"]["name"] == "onEvent" and sent[0]["operation_id"] == "subscribe"


def test_failures_send_nothing_and_callbacks_can_be_turned_off(receiver: Receiver) -> None:
    with TestClient(create_app(Settings.build(spec_path=SPEC))) as client:
        assert client.post("/subscriptions", json={"other": 1}).status_code == 400
    off = create_app(Settings.build(spec_path=SPEC, callbacks=False))
    with TestClient(off) as client:
        assert client.post("/subscriptions", json={"callbackUrl": receiver.url}).status_code == 201
    assert receiver.wait(seconds=0.5) == []


def test_a_callback_url_that_cannot_be_read_leaves_the_mock_serving(receiver: Receiver) -> None:
    with TestClient(create_app(Settings.build(spec_path=SPEC))) as client:
        assert client.post("/subscriptions", json={"callbackUrl": "http://[::1"}).status_code == 201
        assert client.post("/subscriptions", json={"callbackUrl": receiver.url}).status_code == 201
        assert len(receiver.wait()) == 1


def test_callbacks_can_be_delayed(receiver: Receiver) -> None:
    server = create_app(Settings.build(spec_path=SPEC, callback_delay_ms=400))
    with TestClient(server) as client:
        answered = time.monotonic()
        client.post("/subscriptions", json={"callbackUrl": receiver.url})
        assert receiver.wait(seconds=0.2) == []
        got = receiver.wait(seconds=5)
    assert len(got) == 1 and got[0]["at"] - answered >= 0.4


def test_runtime_expressions_read_request_and_answer() -> None:
    exchange = Exchange(
        url="http://mock/orders/7?x=1",
        method="post",
        path={"orderId": "7"},
        query={"x": "1"},
        headers={"x-hook": "http://h"},
        body={"cb": {"url": "http://a/b"}},
        status=201,
        response_headers={"location": "/orders/7"},
        response_body={"id": 9},
    )
    assert runtime_value("$request.body#/cb/url", exchange) == "http://a/b"
    assert runtime_value("$request.path.orderId", exchange) == "7"
    assert runtime_value("$request.header.X-Hook", exchange) == "http://h"
    assert runtime_value("$response.header.Location", exchange) == "/orders/7"
    assert (
        runtime_value("$statusCode", exchange) == 201
        and runtime_value("$method", exchange) == "POST"
    )
    assert (
        expanded("{$request.header.x-hook}/done/{$response.body#/id}", exchange)
        == "http://h/done/9"
    )
    assert expanded("{$request.body#/missing}", exchange) is None
    assert expanded("$request.query.x", exchange) == "1"
