"""workers: `ibl-mock serve --workers N --store redis://...`, N processes sharing one state."""

from __future__ import annotations

import subprocess
import threading
import uuid

import httpx

from ibl_mock.settings import Settings
from ibl_mock.workers import settings_of, settings_text
from tests.conftest import AMARA, BIN, MAIN_ADMIN, SEED_SPEC, LiveServer, auth, images_url

HEADERS = {"Authorization": f"Api-Token {MAIN_ADMIN}"}


def serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "ibl-mock"), "serve", "--port", "0", "--spec", str(SEED_SPEC), *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_workers_without_a_shared_store_are_refused_with_the_way_out() -> None:
    refused = serve("--workers", "2")
    assert refused.returncode == 2
    assert "--workers 2 needs a shared store: add --store redis://HOST:PORT/DB" in refused.stderr


def test_a_store_that_does_not_answer_is_named() -> None:
    refused = serve("--store", "redis://127.0.0.1:1/0")
    assert refused.returncode == 1
    assert "redis://127.0.0.1:1/0: Redis does not answer" in refused.stderr


def test_settings_travel_to_the_workers_whole() -> None:
    settings = Settings.build(
        spec_path=SEED_SPEC, seed=4, admin_token="t", cors_origins=("http://a.test",)
    )
    assert settings_of(settings_text(settings)) == settings


def test_two_workers_serve_one_state(redis_url: str) -> None:
    namespace = f"test-{uuid.uuid4().hex[:12]}"  # a world of this test's own
    live = LiveServer(
        "--workers", "2", "--store", redis_url, "--store-namespace", namespace, "--quiet"
    )
    try:
        assert any("Workers:    2" in line for line in live.banner)
        with httpx.Client(base_url=live.url, headers=HEADERS, timeout=30) as client:
            first = client.get(images_url(), params={"page_size": 100}).json()
            victim = first["results"][0]["id"]
            assert client.delete(images_url(image_id=victim)).status_code == 204
            # whichever worker answers, the record is gone, from the item and from the list
            for _ in range(12):
                assert client.get(images_url(image_id=victim)).status_code == 404
                listed = client.get(images_url(), params={"page_size": 100}).json()
                assert listed["count"] == first["count"] - 1
                assert victim not in [image["id"] for image in listed["results"]]
    finally:
        code, _ = live.stop()
    assert code == 0


def test_creates_racing_through_both_workers_are_each_kept_once(redis_url: str) -> None:
    namespace = f"test-{uuid.uuid4().hex[:12]}"
    live = LiveServer(
        "--workers", "2", "--store", redis_url, "--store-namespace", namespace, "--quiet", spec=None
    )
    url = "/api/ai-prompt/orgs/main/users/amara.okafor/prompt/"
    try:
        with httpx.Client(base_url=live.url, headers=HEADERS, timeout=60) as client:
            before = len(client.get(url).json())
            made: list[int] = []

            def create() -> None:
                with httpx.Client(base_url=live.url, headers=HEADERS, timeout=60) as mine:
                    for n in range(10):
                        body = {"prompt": f"Explain photosynthesis, take {n}", "platform": 1}
                        answer = mine.post(url, json=body)
                        assert answer.status_code == 201, answer.text
                        made.append(answer.json()["id"])

            threads = [threading.Thread(target=create) for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            after = client.get(url).json()
        assert len(set(made)) == len(made) == 40  # no id given twice
        assert len(after) == before + 40  # none lost
    finally:
        live.stop()


def test_keys_written_through_one_worker_let_in_whom_they_say_on_all(redis_url: str) -> None:
    namespace = f"test-{uuid.uuid4().hex[:12]}"
    live = LiveServer(
        "--workers", "2", "--store", redis_url, "--store-namespace", namespace, "--admin"
    )
    try:
        with httpx.Client(base_url=live.url, timeout=30) as client:
            tokens = client.get("/__mock__/records", params={"collection": "tokens"}).json()
            kept = [t for t in tokens if t["key"] == MAIN_ADMIN]
            written = client.put("/__mock__/records?collection=tokens", json=kept)
            assert written.status_code == 200, written.text
            for _ in range(12):  # whichever worker answers
                assert client.get(images_url(), headers=auth(AMARA)).status_code == 401
                assert client.get(images_url(), headers=HEADERS).status_code == 200
    finally:
        live.stop()


def test_the_admin_api_acts_on_both_workers_whichever_answers(redis_url: str) -> None:
    namespace = f"test-{uuid.uuid4().hex[:12]}"
    live = LiveServer(
        "--workers", "2", "--store", redis_url, "--store-namespace", namespace, "--admin"
    )
    retrieve = "/__mock__/behaviours/ai_mentor_orgs_users_ai_generated_images_retrieve"
    try:
        with httpx.Client(base_url=live.url, headers=HEADERS, timeout=30) as client:
            victim = client.get(images_url()).json()["results"][0]["id"]
            assert client.put(retrieve, json={"status": 404}).status_code == 200
            for _ in range(12):  # whichever worker answers, the behaviour holds
                assert client.get(images_url(image_id=victim)).status_code == 404
            assert client.delete(retrieve).status_code == 204
            journal = client.get("/__mock__/journal").json()
            assert len(journal) == 13 and len({e["id"] for e in journal}) == 13
            assert client.post("/__mock__/reset", json={"seed": 3}).status_code == 200
            reseeded = client.get(images_url()).json()
            for _ in range(11):
                assert client.get("/__mock__/").json()["seed"] == 3
                assert client.get(images_url()).json() == reseeded
            assert len(client.get("/__mock__/journal").json()) == 12
    finally:
        code, _ = live.stop()
    assert code == 0
