"""app: a mock being served adopts another build whole (a reseed, a reload)."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from typing import Any

from starlette.testclient import TestClient

from ibl_mock.app import MockServer, create_app
from ibl_mock.settings import Settings
from tests.conftest import MAIN_ADMIN, SEED_SPEC, SPECS, images_url

HEADERS = {"Authorization": f"Api-Token {MAIN_ADMIN}"}


class CountedAssignments(MockServer):
    assignments = 0

    def __setattr__(self, name: str, value: Any) -> None:
        type(self).assignments += 1
        super().__setattr__(name, value)


def test_adopting_a_build_is_one_assignment() -> None:
    server = create_app(Settings.build(spec_path=SEED_SPEC, seed=1))
    other = create_app(Settings.build(spec_path=SEED_SPEC, seed=2))
    counted = CountedAssignments(server.built, server.controls)
    CountedAssignments.assignments = 0
    counted.adopt(other)
    assert CountedAssignments.assignments == 1
    assert counted.store is other.store and counted.app is other.app
    assert counted.settings.seed == 2


def test_requests_during_reseeds_see_one_seed_whole() -> None:
    server = create_app(Settings.build(spec_path=SEED_SPEC, seed=1))
    url = images_url() + "?page_size=50"
    with TestClient(server) as client:
        first = client.get(url, headers=HEADERS).json()
        server.reseed(2)
        second = client.get(url, headers=HEADERS).json()
        assert first != second
        seen: list[Any] = []
        stop = threading.Event()

        def ask() -> None:
            while not stop.is_set():
                answer = client.get(url, headers=HEADERS)
                seen.append((answer.status_code, answer.json()))

        askers = [threading.Thread(target=ask) for _ in range(4)]
        for asker in askers:
            asker.start()
        for seed in (1, 2, 1, 2, 1):
            server.reseed(seed)
        stop.set()
        for asker in askers:
            asker.join()
    assert len(seen) > 10
    assert all(status == 200 and body in (first, second) for status, body in seen)


def test_the_server_is_idle_only_while_it_answers_nothing() -> None:
    # Work beside the server (the first start's conformance passes) waits for a lull.
    server = create_app(Settings.build(spec_path=SEED_SPEC))
    seen: list[bool] = []
    inner = server.built.app

    async def spy(scope: Any, receive: Any, send: Any) -> None:
        seen.append(server.answering == 0)
        await inner(scope, receive, send)

    server.built = replace(server.built, app=spy)
    assert server.answering == 0
    with TestClient(server) as client:
        assert client.get(images_url(), headers=HEADERS).status_code == 200
    assert seen[-1] is False and server.answering == 0


def test_quiet_waits_for_a_lull_without_requests() -> None:
    server = create_app(Settings.build(spec_path=SEED_SPEC))
    server.last_answered = time.monotonic()  # a request just answered
    began = time.monotonic()
    server.quiet(0.2)
    assert time.monotonic() - began >= 0.19
    server.last_answered = time.monotonic() - 1  # none for a second
    began = time.monotonic()
    server.quiet(0.2)
    assert time.monotonic() - began < 0.1
    server.answering = 1  # one being answered: no lull until it is done
    waiting = threading.Thread(target=server.quiet, args=(0.0,))
    waiting.start()
    waiting.join(0.2)
    assert waiting.is_alive()
    server.answering = 0
    waiting.join(5)
    assert not waiting.is_alive()


def test_quiet_gives_way_to_work_after_waiting_long_for_a_lull() -> None:
    # A server under load from its start: the work beside it ends all the same.
    server = create_app(Settings.build(spec_path=SEED_SPEC))
    server.answering = 1  # answering, and never done
    began = time.monotonic()
    server.quiet(patience_s=1.0)
    assert 0.99 <= time.monotonic() - began < 3
    began = time.monotonic()
    server.quiet(patience_s=1.0)  # within the stride it was given: at once, not in 1 s
    assert time.monotonic() - began < 0.2


def test_the_served_document_shows_a_binary_example_as_written() -> None:
    spec = SPECS / "binary-example" / "openapi.yaml"
    with TestClient(create_app(Settings.build(spec_path=spec))) as client:
        served = client.get("/openapi.json")
        answer = client.get("/file")
    assert served.status_code == 200
    content = served.json()["paths"]["/file"]["get"]["responses"]["200"]["content"]
    assert content["application/octet-stream"]["example"] == "aGVsbG8="  # base64, as in YAML
    assert answer.content == b"hello"
