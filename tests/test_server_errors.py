"""Requests that real documents turned into 500s (or into tracebacks in the log)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.types import Message

from ibl_mock.app import MockServer, create_app
from ibl_mock.pipeline.middleware import NoContentHeaders
from ibl_mock.settings import AppType, Settings
from tests.conftest import SPECS, serve_spec


def spec_of(scenario: str) -> Path:
    return SPECS / scenario / "openapi.yaml"


def server_for(scenario: str) -> MockServer:
    return create_app(Settings.build(spec_path=spec_of(scenario)))


@pytest.fixture(params=["async", "flask"])
def app_type(request: pytest.FixtureRequest) -> AppType:
    found: AppType = request.param
    return found


@pytest.fixture
def bodiless(app_type: AppType) -> Iterator[TestClient]:
    yield from serve_spec(spec_of("bodiless-answers"), app_type)


def first_id(client: TestClient) -> int:
    return int(client.get("/things").json()[0]["id"])


# 1. A stateful update documented as 204 returned its record: uvicorn, told by the status
# that no body follows, failed the response midway (a traceback, the connection cut).
def test_an_update_documented_as_204_sends_no_body(bodiless: TestClient) -> None:
    response = bodiless.put(f"/things/{first_id(bodiless)}", json={"name": "x"})
    assert (response.status_code, response.content) == (204, b"")
    assert "content-type" not in response.headers


def test_a_handler_body_sent_with_204_is_dropped_on_the_way_out() -> None:
    """Whoever answers (a hand-written handler too), a 204 leaves without a body."""

    async def handler(_scope: Any, _receive: Any, send: Any) -> None:
        headers = [(b"content-type", b"application/json"), (b"content-length", b"2")]
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b"{}"})

    sent = asyncio.run(call(NoContentHeaders(handler), "GET", "/things"))
    assert [m.get("body") for m in sent if m["type"] == "http.response.body"] == [b""]
    assert sent[0]["headers"] == []


# 2. A delete answering 204 in an operation whose 404 is documented as JSON and as HTML:
# Connexion wants a media type for every answer of an operation producing several.
def test_a_bodiless_success_of_an_operation_producing_several_types(
    bodiless: TestClient,
) -> None:
    thing = first_id(bodiless)
    response = bodiless.delete(f"/things/{thing}")
    assert (response.status_code, response.content) == (204, b"")
    assert "content-type" not in response.headers
    missing = bodiless.get(f"/things/{thing}")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/json"


# 3. A Content-Type with no slash: Connexion split it on `/` to read the body (a 500).
@pytest.mark.parametrize("value", ["G", "a/b/c", "/json", ""])
def test_a_malformed_content_type_is_ignored_where_no_body_is_read(
    app_type: AppType, value: str
) -> None:
    for client in serve_spec(spec_of("malformed-content-type"), app_type):
        response = client.get("/ratings/1", headers={"Content-Type": value})
    assert response.status_code == 200
    assert set(response.json()) == {"average"}


@pytest.mark.parametrize(("path", "value"), [("/uploads", "G"), ("/notes", "a/b/c")])
def test_a_malformed_content_type_of_a_body_is_a_415(path: str, value: str) -> None:
    for client in serve_spec(spec_of("malformed-content-type")):
        response = client.post(path, content=b"{}", headers={"Content-Type": value})
    assert response.status_code == 415
    assert value in response.json()["detail"]


def test_a_well_formed_content_type_still_reaches_the_body() -> None:
    for client in serve_spec(spec_of("malformed-content-type")):
        uploaded = client.post("/uploads", content=b"abc", headers={"Content-Type": "text/csv"})
        noted = client.post("/notes", json={"a": 1})
    assert (uploaded.status_code, noted.status_code) == (201, 201)


def test_a_content_type_the_client_chooses_is_read_as_the_documented_type() -> None:
    for client in serve_spec(spec_of("malformed-content-type")):
        detected = client.post(
            "/detections", content=b'{"Body": "iVBOR"}', headers={"Content-Type": "image/png"}
        )
        refused = client.post("/notes", content=b"{}", headers={"Content-Type": "image/png"})
        empty = client.post("/detections", content=b"{}", headers={"Content-Type": "image/png"})
    assert detected.status_code == 200, detected.text
    assert refused.status_code == 415  # no such parameter: the header is the server's to judge
    assert empty.status_code == 400  # the body is still judged by its schema


# 4. Format checkers crashing on odd input: `byte` encoded non-ASCII text to ASCII
# (UnicodeEncodeError), `regex` compiled huge repeats (OverflowError).
@pytest.fixture
def formats() -> Iterator[TestClient]:
    yield from serve_spec(spec_of("odd-formats"))


@pytest.mark.parametrize("raw", ["\u00e9", "\ud7ff", "ab\u0300c", "\uff21\uff21=="])
def test_non_ascii_byte_text_is_not_base64(formats: TestClient, raw: str) -> None:
    response = formats.post("/blobs", json={"raw": raw})
    assert response.status_code == 400
    assert "is not a 'byte' (not base64) - 'raw'" in response.json()["detail"]


def test_a_non_ascii_byte_query_parameter_is_a_400(formats: TestClient) -> None:
    response = formats.post("/blobs", params={"tag": "\u00e9"}, json={})
    assert response.status_code == 400
    assert "not base64" in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {"pattern": "a{4294967296}"},
        {"pattern": "(" * 10000 + ")" * 10000},
        {"day": "2020-02-30\u00e9"},
        {"at": "\ud7ff"},
        {"site": "http://[::1"},
        {"host": "::\u00e9"},
        {"small": 10**40},
        {"big": -(10**40)},
    ],
)
def test_odd_values_of_other_formats_are_never_a_500(
    formats: TestClient, body: dict[str, Any]
) -> None:
    assert formats.post("/blobs", json=body).status_code in (201, 400)


def test_good_values_of_formats_pass(formats: TestClient) -> None:
    body = {"raw": "aGk=", "pattern": "^a+$", "day": "2020-02-28", "big": 2**40}
    assert formats.post("/blobs", json=body).status_code == 201


# 5. A client leaving before its body is read: starlette's ClientDisconnect, logged with
# its traceback as a bug of the mock.
def test_a_client_leaving_mid_body_is_quiet(caplog: pytest.LogCaptureFixture) -> None:
    app = server_for("bodiless-answers").app
    with caplog.at_level(logging.DEBUG, logger="ibl_mock"):
        asyncio.run(call(app, "POST", "/things", first_chunk=b'{"name": "x"}'))
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def call(app: Any, method: str, path: str, first_chunk: bytes | None = None) -> list[Message]:
    """One request straight through the ASGI app; with `first_chunk`, a body cut off
    by the client leaving after it."""
    chunks: list[Message] = []
    if first_chunk is not None:
        chunks = [{"type": "http.request", "body": first_chunk, "more_body": True}]
    else:
        chunks = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> Message:
        return chunks.pop(0) if chunks else {"type": "http.disconnect"}

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    headers = [(b"host", b"test"), (b"content-type", b"application/json")]
    if first_chunk is not None:
        headers.append((b"content-length", b"100"))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
    }
    await app(scope, receive, send)
    return sent
