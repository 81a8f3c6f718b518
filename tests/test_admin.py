"""The admin API under /__mock__: its protection, state, journal and behaviours."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate
from starlette.testclient import TestClient

from ibl_mock.app import MockServer, create_app
from ibl_mock.control.admin import ADMIN_SPEC
from ibl_mock.control.behaviour import ConnectionDropped
from ibl_mock.settings import Settings
from tests.conftest import AMARA, MAIN_ADMIN, SPECS, auth, images_url

from .conftest import SEED_SPEC

TOKEN = {"X-Mock-Admin-Token": "admin-secret"}
LIST = "ai_mentor_orgs_users_ai_generated_images_list"
RETRIEVE = "ai_mentor_orgs_users_ai_generated_images_retrieve"


@pytest.fixture(params=["memory", "redis"])
def server(request: pytest.FixtureRequest) -> Iterator[MockServer]:
    """The admin API over each store: in memory, and shared in Redis (a namespace of the
    test's own, removed after), where journal and behaviours live in Redis too."""
    if request.param == "memory":
        yield create_app(Settings.build(spec_path=SEED_SPEC, admin_token="admin-secret"))
        return
    namespace = f"test-{uuid.uuid4().hex[:12]}"
    settings = Settings.build(
        spec_path=SEED_SPEC,
        admin_token="admin-secret",
        store_url=request.getfixturevalue("redis_url"),
        store_namespace=namespace,
    )
    served = create_app(settings)
    yield served
    assert served.controls.shared is not None
    client = served.controls.shared.client
    for key in client.scan_iter(f"{namespace}:*"):
        client.delete(key)


@pytest.fixture
def client(server: MockServer) -> Iterator[TestClient]:
    with TestClient(server) as test_client:  # the server itself: a reseed swaps its app
        yield test_client


def count(client: TestClient) -> int:
    found: int = client.get(images_url(), headers=auth(MAIN_ADMIN)).json()["count"]
    return found


def first_image(client: TestClient) -> dict[str, Any]:
    found: dict[str, Any] = client.get(images_url(), headers=auth(MAIN_ADMIN)).json()["results"][0]
    return found


def test_the_admin_document_is_valid_openapi() -> None:
    validate(yaml.safe_load(ADMIN_SPEC.read_text()))


def test_the_admin_api_is_off_unless_asked_for() -> None:
    with TestClient(create_app(Settings.build(spec_path=SEED_SPEC))) as client:
        assert client.get("/__mock__/").status_code == 404
        assert client.post("/__mock__/reset").status_code == 404


def test_open_admin_needs_no_token_and_says_so_in_its_document() -> None:
    with TestClient(create_app(Settings.build(spec_path=SEED_SPEC, admin=True))) as client:
        assert client.get("/__mock__/").json()["title"] == "ibl-data-manager"
        assert client.get("/__mock__/openapi.json").json()["security"] == []


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({}, "Send the admin token in X-Mock-Admin-Token."),
        ({"X-Mock-Admin-Token": "guess"}, "Invalid admin token."),
        (auth(MAIN_ADMIN), "Send the admin token in X-Mock-Admin-Token."),  # the API's own key
        ({"Authorization": "Bearer admin-secret"}, "Send the admin token in X-Mock-Admin-Token."),
    ],
)
def test_a_token_guards_every_admin_call(
    client: TestClient, headers: dict[str, str], detail: str
) -> None:
    for method, path in [
        ("GET", "/__mock__/"),
        ("POST", "/__mock__/reset"),
        ("GET", "/__mock__/state"),
    ]:
        refused = client.request(method, path, headers=headers)
        assert (refused.status_code, refused.json()) == (401, {"detail": detail})
    assert client.get("/__mock__/", headers=TOKEN).status_code == 200


def test_the_admin_token_does_not_open_the_mocked_api(client: TestClient) -> None:
    assert client.get(images_url(), headers=TOKEN).status_code == 401


def test_reset_puts_the_seeded_state_back_and_clears_journal_and_behaviours(
    client: TestClient,
) -> None:
    before, image = count(client), first_image(client)
    assert (
        client.delete(images_url(image_id=image["id"]), headers=auth(MAIN_ADMIN)).status_code == 204
    )
    assert count(client) == before - 1
    client.put(f"/__mock__/behaviours/{RETRIEVE}", headers=TOKEN, json={"delay_ms": 1})
    reset = client.post("/__mock__/reset", headers=TOKEN)
    assert reset.status_code == 200 and reset.json()["seed"] == 0
    assert client.get("/__mock__/journal", headers=TOKEN).json() == []
    assert client.get("/__mock__/behaviours", headers=TOKEN).json() == {}
    assert count(client) == before and first_image(client) == image


def test_reseeding_makes_other_data_and_the_first_seed_makes_it_again(client: TestClient) -> None:
    original = first_image(client)
    reseeded = client.post("/__mock__/reset", headers=TOKEN, json={"seed": 7})
    assert reseeded.json()["seed"] == 7
    assert first_image(client) != original
    client.post("/__mock__/reset", headers=TOKEN, json={"seed": 0})
    assert first_image(client) == original


def test_a_reset_with_a_wrong_seed_is_refused_by_name(client: TestClient) -> None:
    wrong = client.post("/__mock__/reset", headers=TOKEN, json={"seed": "seven"})
    assert wrong.status_code == 400 and "seven" in wrong.json()["detail"]


def test_collections_list_their_size_and_schema(client: TestClient) -> None:
    collections = {c["name"]: c for c in client.get("/__mock__/collections", headers=TOKEN).json()}
    assert collections["images"]["schema"] == "AIGeneratedImage"
    assert collections["tokens"] == {
        "name": "tokens",
        "count": 9,
        "id_field": "id",
        "schema": "ApiToken",
    }


def test_replacing_records_checks_every_record_first(client: TestClient) -> None:
    images = client.get("/__mock__/records?collection=images", headers=TOKEN).json()
    bad = [*images[:3], {**images[3], "user": -4}]
    refused = client.put("/__mock__/records?collection=images", headers=TOKEN, json=bad)
    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("collection 'images': record #4 (id ")
    assert "field 'user'" in refused.json()["detail"]
    assert len(client.get("/__mock__/records?collection=images", headers=TOKEN).json()) == len(
        images
    )
    kept = client.put("/__mock__/records?collection=images", headers=TOKEN, json=images[:3])
    assert kept.json()["count"] == 3
    assert count(client) <= 3


def test_unknown_collections_are_404(client: TestClient) -> None:
    for method in ("GET", "PUT"):
        missing = client.request(
            method, "/__mock__/records?collection=nope", headers=TOKEN, json=[]
        )
        assert missing.status_code == 404 and "nope" in missing.json()["detail"]


def test_replaced_tokens_are_the_credentials_from_then_on(client: TestClient) -> None:
    tokens = client.get("/__mock__/records?collection=tokens", headers=TOKEN).json()
    new_key = "f" * 64
    admin = next(t for t in tokens if t["username"] == "jordan.lee")
    replaced = client.put(
        "/__mock__/records?collection=tokens", headers=TOKEN, json=[{**admin, "key": new_key}]
    )
    assert replaced.status_code == 200
    assert client.get(images_url(), headers=auth(MAIN_ADMIN)).status_code == 401
    assert client.get(images_url(), headers=auth(new_key)).status_code == 200


def test_a_snapshot_round_trips_exactly(client: TestClient) -> None:
    image = first_image(client)
    client.delete(images_url(image_id=image["id"]), headers=auth(MAIN_ADMIN))
    snapshot = client.get("/__mock__/state", headers=TOKEN)
    client.post("/__mock__/reset", headers=TOKEN)
    assert first_image(client) == image
    imported = client.put("/__mock__/state", headers=TOKEN, json=snapshot.json())
    assert imported.status_code == 200, imported.text
    assert client.get("/__mock__/state", headers=TOKEN).content == snapshot.content
    assert first_image(client) != image  # the deletion came back with the snapshot


def test_a_bad_snapshot_changes_nothing(client: TestClient) -> None:
    snapshot = client.get("/__mock__/state", headers=TOKEN).json()
    snapshot["collections"]["images"]["records"][5]["provider"] = "x" * 300
    refused = client.put("/__mock__/state", headers=TOKEN, json=snapshot)
    assert refused.status_code == 400
    assert "collection 'images': record #6" in refused.json()["detail"]
    assert "field 'provider'" in refused.json()["detail"]
    wrong_format = client.put("/__mock__/state", headers=TOKEN, json={**snapshot, "format": "v0"})
    assert wrong_format.status_code == 400
    assert (
        client.get("/__mock__/state", headers=TOKEN).json()["collections"]["images"]["records"][5][
            "provider"
        ]
        != "x" * 300
    )


def test_the_journal_keeps_requests_newest_first_with_credentials_masked(
    client: TestClient,
) -> None:
    client.get(images_url() + "?page_size=2", headers=auth(AMARA))
    client.get(images_url(image_id=999999), headers=auth(AMARA))
    client.get(images_url(), headers={"Authorization": "Api-Token nope"})
    entries = client.get("/__mock__/journal", headers=TOKEN).json()
    assert [e["status"] for e in entries] == [401, 404, 200]
    newest = entries[2]
    assert newest["operation_id"] == LIST and newest["query"] == "page_size=2"
    assert newest["headers"]["authorization"] == "Api-Token ***"
    assert AMARA not in str(entries)
    assert newest["duration_ms"] > 0 and newest["time"].endswith("Z")
    only_404 = client.get("/__mock__/journal?status=404", headers=TOKEN).json()
    assert [e["operation_id"] for e in only_404] == [RETRIEVE]
    assert (
        len(client.get(f"/__mock__/journal?operationId={LIST}&limit=1", headers=TOKEN).json()) == 1
    )
    assert client.delete("/__mock__/journal", headers=TOKEN).status_code == 204
    assert client.get("/__mock__/journal", headers=TOKEN).json() == []


def test_the_journal_keeps_request_bodies() -> None:
    server = create_app(Settings.build(spec_path=SEED_SPEC, admin=True, journal_size=2))
    with TestClient(server) as client:
        for n in range(3):
            client.post(
                "/api/ai-mentor/orgs/main/users/amara.okafor/ai-generated-images/",
                content=f"body {n}",
            )
        entries = client.get("/__mock__/journal").json()
    assert [e["body"] for e in entries] == ["body 2", "body 1"]  # the size bounds it


def test_a_delay_slows_the_operation_down(client: TestClient) -> None:
    set_ = client.put(f"/__mock__/behaviours/{LIST}", headers=TOKEN, json={"delay_ms": 300})
    assert set_.json()["delay_ms"] == 300
    started = time.perf_counter()
    assert client.get(images_url(), headers=auth(AMARA)).status_code == 200
    took = time.perf_counter() - started
    assert 0.3 <= took < 1.5
    started = time.perf_counter()
    client.get(images_url(image_id=1), headers=auth(AMARA))  # another operation: no delay
    assert time.perf_counter() - started < 0.3


def test_a_random_delay_stays_within_its_bounds(client: TestClient) -> None:
    client.put(
        f"/__mock__/behaviours/{LIST}", headers=TOKEN, json={"delay_ms": {"min": 50, "max": 150}}
    )
    for _ in range(3):
        started = time.perf_counter()
        client.get(images_url(), headers=auth(AMARA))
        assert 0.05 <= time.perf_counter() - started < 1.0


def test_a_forced_status_answers_the_documented_response(client: TestClient) -> None:
    client.put(f"/__mock__/behaviours/{LIST}", headers=TOKEN, json={"status": 403})
    forced = client.get(images_url(), headers=auth(AMARA))
    assert (forced.status_code, forced.json()) == (
        403,
        {"detail": "You do not have permission to perform this action."},
    )
    client.delete(f"/__mock__/behaviours/{LIST}", headers=TOKEN)
    assert client.get(images_url(), headers=auth(AMARA)).status_code == 200


@pytest.mark.parametrize(
    ("behaviour", "names"),
    [
        ({"status": 500}, "'status': 500 is not documented for this operation"),
        ({"failure_rate": 2}, "'failure_rate'"),
        ({"delay_ms": -1}, "delay_ms"),
        ({"delay_ms": {"min": 9, "max": 1}}, "'delay_ms.min' is larger than 'delay_ms.max'"),
        ({"failure_rate": 0.5, "failure": 502}, "'failure': 502 is not documented"),
        ({"sleep": 1}, "sleep"),
    ],
)
def test_a_wrong_behaviour_is_refused_by_name(
    client: TestClient, behaviour: dict[str, Any], names: str
) -> None:
    refused = client.put(f"/__mock__/behaviours/{LIST}", headers=TOKEN, json=behaviour)
    assert refused.status_code == 400 and names in refused.json()["detail"], refused.text
    assert client.get("/__mock__/behaviours", headers=TOKEN).json() == {}


def test_behaviours_of_unknown_operations_are_404(client: TestClient) -> None:
    assert client.put("/__mock__/behaviours/nope", headers=TOKEN, json={}).status_code == 404
    assert client.get("/__mock__/behaviours/nope", headers=TOKEN).status_code == 404
    assert client.delete("/__mock__/behaviours/nope", headers=TOKEN).status_code == 404


def test_a_failure_rate_fails_that_share_of_calls(client: TestClient) -> None:
    client.put(
        f"/__mock__/behaviours/{LIST}", headers=TOKEN, json={"failure_rate": 0.5, "failure": 404}
    )
    statuses = [client.get(images_url(), headers=auth(AMARA)).status_code for _ in range(200)]
    assert set(statuses) == {200, 404}
    assert 60 <= statuses.count(404) <= 140


def test_a_dropped_connection_never_answers(client: TestClient) -> None:
    client.put(
        f"/__mock__/behaviours/{LIST}", headers=TOKEN, json={"failure_rate": 1, "failure": "drop"}
    )
    with pytest.raises(ConnectionDropped):
        client.get(images_url(), headers=auth(AMARA))
    dropped = client.get("/__mock__/journal", headers=TOKEN).json()[0]
    assert dropped["operation_id"] == LIST and dropped["status"] is None


def test_swagger_ui_offers_the_admin_document_beside_the_api(client: TestClient) -> None:
    page = client.get("/ui/").text
    assert "/openapi.json" in page and "/__mock__/openapi.json" in page
    assert client.get("/__mock__/openapi.json").json()["info"]["title"] == "ibl-mock admin"


def test_a_spec_resource_collection_is_listed_written_and_snapshotted_before_any_use() -> None:
    library = SPECS / "corpus" / "drf-library" / "openapi.yaml"
    with TestClient(create_app(Settings.build(spec_path=library, admin=True))) as client:
        names = [c["name"] for c in client.get("/__mock__/collections").json()]
        assert "/api/books" in names and "/api/authors" in names
        books = client.get("/__mock__/records", params={"collection": "/api/books"}).json()
        assert len(books) == 12
        wrong = [{**books[0], "title": 7}]
        bad = client.put("/__mock__/records", params={"collection": "/api/books"}, json=wrong)
        assert bad.status_code == 400 and "record #1 (id 1): field 'title'" in bad.json()["detail"]
        kept = client.put("/__mock__/records", params={"collection": "/api/books"}, json=books[:2])
        assert kept.json()["count"] == 2
        listed = client.get("/api/books/", headers={"Authorization": "Token librarian-key-0001"})
        assert listed.json()["count"] == 2
        snapshot = client.get("/__mock__/state")
        assert client.put("/__mock__/state", json=snapshot.json()).status_code == 200
        assert client.get("/__mock__/state").content == snapshot.content


def test_emptied_tokens_let_nobody_in(client: TestClient) -> None:
    assert (
        client.put("/__mock__/records?collection=tokens", headers=TOKEN, json=[]).status_code == 200
    )
    refused = client.get(images_url(), headers=auth("a" * 64))
    assert (refused.status_code, refused.json()) == (401, {"detail": "Invalid token."})


def test_records_keep_the_fixtures_unique_fields_and_references(client: TestClient) -> None:
    tokens = client.get("/__mock__/records?collection=tokens", headers=TOKEN).json()
    twice = [tokens[0], {**tokens[1], "key": tokens[0]["key"]}]
    refused = client.put("/__mock__/records?collection=tokens", headers=TOKEN, json=twice)
    assert refused.status_code == 400
    assert "collection 'tokens': record #2 (id 2): field 'key'" in refused.json()["detail"]
    images = client.get("/__mock__/records?collection=images", headers=TOKEN).json()
    orphan = [{**images[0], "user": 999999}]
    refused = client.put("/__mock__/records?collection=images", headers=TOKEN, json=orphan)
    assert refused.status_code == 400 and "999999 matches no users.id" in refused.json()["detail"]


EMPTY = {"id_field": "id", "next_id": 1, "records": []}


@pytest.mark.parametrize(
    ("change", "names"),
    [
        (lambda s: s["collections"].clear(), "the snapshot lacks collection 'images'"),
        (lambda s: s["collections"].update(zzz=EMPTY), "unknown collection 'zzz'"),
        (lambda s: s["collections"]["users"].update(id_field="username"),
         "collection 'users': 'id_field' must be 'id'"),
    ],
)  # fmt: skip
def test_a_snapshot_that_does_not_fit_this_mock_changes_nothing(
    client: TestClient, change: Any, names: str
) -> None:
    before = client.get("/__mock__/state", headers=TOKEN)
    snapshot = before.json()
    change(snapshot)
    refused = client.put("/__mock__/state", headers=TOKEN, json=snapshot)
    assert refused.status_code == 400 and names in refused.json()["detail"]
    assert client.get("/__mock__/state", headers=TOKEN).content == before.content


def test_a_snapshot_brings_its_seed_back(client: TestClient) -> None:
    snapshot = client.get("/__mock__/state", headers=TOKEN)
    client.post("/__mock__/reset", headers=TOKEN, json={"seed": 5})
    assert client.put("/__mock__/state", headers=TOKEN, json=snapshot.json()).json()["seed"] == 0
    assert client.get("/__mock__/state", headers=TOKEN).content == snapshot.content


def test_after_a_reset_random_faults_fall_the_same_way(client: TestClient) -> None:
    def statuses() -> list[int]:
        client.post("/__mock__/reset", headers=TOKEN)
        behaviour = {"failure_rate": 0.3, "failure": 403}
        client.put(f"/__mock__/behaviours/{LIST}", headers=TOKEN, json=behaviour)
        return [client.get(images_url(), headers=auth(AMARA)).status_code for _ in range(30)]

    first = statuses()
    assert 403 in first and first == statuses()


def test_behaviours_are_listed_read_and_cleared(client: TestClient) -> None:
    slow = {"delay_ms": 5, "status": None, "failure_rate": 0.0, "failure": "drop"}
    client.put(f"/__mock__/behaviours/{LIST}", headers=TOKEN, json={"delay_ms": 5})
    client.put(f"/__mock__/behaviours/{RETRIEVE}", headers=TOKEN, json={"status": 404})
    assert client.get(f"/__mock__/behaviours/{LIST}", headers=TOKEN).json() == slow
    assert sorted(client.get("/__mock__/behaviours", headers=TOKEN).json()) == [LIST, RETRIEVE]
    assert client.delete("/__mock__/behaviours", headers=TOKEN).status_code == 204
    assert client.get("/__mock__/behaviours", headers=TOKEN).json() == {}
    assert client.get(images_url(image_id=1), headers=auth(MAIN_ADMIN)).status_code == 200


def test_forcing_the_usual_status_keeps_live_data(client: TestClient) -> None:
    client.put(f"/__mock__/behaviours/{LIST}", headers=TOKEN, json={"status": 200})
    listed = client.get(images_url(), headers=auth(AMARA))
    assert listed.status_code == 200 and listed.json()["count"] == count(client)
    assert all(image["user"] == 1057 for image in listed.json()["results"])  # not an example


def test_without_a_reader_nothing_is_journaled() -> None:
    server = create_app(Settings.build(spec_path=SEED_SPEC))  # no admin API, no access log
    with TestClient(server) as client:
        client.get(images_url(), headers=auth(AMARA))
    assert server.controls.journal.entries() == []


def test_tokens_written_to_an_open_mock_close_it_until_they_are_gone() -> None:
    server = create_app(Settings.build(spec_path=SPECS / "statuses" / "openapi.yaml", admin=True))
    with TestClient(server) as client:
        assert client.get("/notes", headers={"X-Key": "anything"}).status_code == 200
        written = [{"id": 1, "key": "the-only-key", "username": "ann"}]
        assert client.put("/__mock__/records?collection=tokens", json=written).status_code == 200
        assert client.get("/notes", headers={"X-Key": "anything"}).status_code in (401, 403)
        assert client.get("/notes", headers={"X-Key": "the-only-key"}).status_code == 200
        assert client.put("/__mock__/records?collection=tokens", json=[]).status_code == 200
        assert client.get("/notes", headers={"X-Key": "anything"}).status_code == 200


def test_a_collection_larger_than_the_apis_body_limit_is_written_whole(client: TestClient) -> None:
    # 12 MiB: over the mocked API's 10 MiB, well under the operator's limit
    images = client.get("/__mock__/records", headers=TOKEN, params={"collection": "images"})
    big = [{**image, "prompt": "p" * 220_000} for image in images.json()[:60]]
    body = json.dumps(big).encode()
    assert len(body) > 12 * 1024 * 1024
    typed = {**TOKEN, "Content-Type": "application/json"}
    written = client.put("/__mock__/records?collection=images", headers=typed, content=body)
    assert written.status_code == 200, written.text[:200]
    assert written.json()["count"] == 60
