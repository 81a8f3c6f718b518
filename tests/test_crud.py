"""Stateful generic handlers on specs with no hand-written code (tests/specs/corpus)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from ibl_mock.app import create_app
from ibl_mock.settings import Settings
from tests.conftest import SPECS

CORPUS = SPECS / "corpus"


def client_for(spec: Path) -> Iterator[TestClient]:
    with create_app(Settings.build(spec_path=spec)).app.test_client() as client:
        yield client


@pytest.fixture
def library() -> Iterator[TestClient]:
    yield from client_for(CORPUS / "drf-library" / "openapi.yaml")


@pytest.fixture
def shelter() -> Iterator[TestClient]:
    yield from client_for(CORPUS / "bare-array-petstore" / "openapi.yaml")


TOKEN = {"Authorization": "Token librarian-key-0001"}  # drf-library/fixtures/tokens.yaml
BEARER = {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig"}


def test_drf_flow_create_retrieve_list_update_destroy(library: TestClient) -> None:
    before = library.get("/api/books/", headers=TOKEN).json()
    assert before["count"] == 12 and len(before["results"]) == 10
    assert before["next"] == "http://testserver/api/books/?page=2"

    book = {"title": "Dune", "author": 7, "genre": "fiction", "isbn_secret": "hidden"}
    created = library.post("/api/books/", headers=TOKEN, json=book)
    assert created.status_code == 201
    made = created.json()
    assert made["title"] == "Dune" and made["id"] == 13 and "created_at" in made
    assert "isbn_secret" not in made  # writeOnly never comes back

    url = f"/api/books/{made['id']}/"
    assert library.get(url, headers=TOKEN).json() == made
    assert library.get("/api/books/", headers=TOKEN).json()["count"] == 13

    patched = library.patch(url, headers=TOKEN, json={"title": "Dune Messiah"})
    assert patched.status_code == 200 and patched.json()["title"] == "Dune Messiah"
    assert patched.json()["created_at"] == made["created_at"]

    assert library.delete(url, headers=TOKEN).status_code == 204
    gone = library.get(url, headers=TOKEN)
    assert gone.status_code == 404
    assert library.get("/api/books/", headers=TOKEN).json()["count"] == 12


def test_lists_filter_search_order_and_page(library: TestClient) -> None:
    books = library.get("/api/books/?page_size=100", headers=TOKEN).json()["results"]
    genre = books[0]["genre"]
    fiction = library.get(f"/api/books/?genre={genre}&page_size=100", headers=TOKEN).json()
    assert fiction["count"] == len([b for b in books if b["genre"] == genre])
    word = books[0]["title"].split()[0]
    found = library.get(f"/api/books/?search={word}", headers=TOKEN).json()["results"]
    assert found and all(word.lower() in b["title"].lower() for b in found)
    newest = library.get("/api/books/?ordering=-id&page_size=3", headers=TOKEN).json()
    assert [b["id"] for b in newest["results"]] == [12, 11, 10]
    past_the_end = library.get("/api/books/?page=9", headers=TOKEN)  # 404 documented: DRF's
    assert (past_the_end.status_code, past_the_end.json()) == (404, {"detail": "Invalid page."})
    for client in client_for(CORPUS / "custom-envelope" / "openapi.yaml"):
        vehicles = client.get("/v2/vehicles?page=99", headers={"Authorization": "Basic dTpw"})
        assert vehicles.status_code == 200  # 404 undocumented there: an empty page instead
        assert vehicles.json()["data"] == [] and vehicles.json()["meta"]["page"] == 99


def test_nested_collections_are_the_books_of_their_author(library: TestClient) -> None:
    """`/api/authors/{author_id}/books/` lists the books whose `author` is that author:
    the seeded books are spread over the seeded authors."""
    authors = {
        a["id"] for a in library.get("/api/authors/?page_size=100", headers=TOKEN).json()["results"]
    }
    books = library.get("/api/books/?page_size=100", headers=TOKEN).json()["results"]
    assert {b["author"] for b in books} <= authors and len({b["author"] for b in books}) > 1
    first = library.get("/api/authors/1/books/?page_size=100", headers=TOKEN).json()
    assert first["count"] == sum(b["author"] == 1 for b in books)
    assert {b["author"] for b in first["results"]} <= {1}
    second = library.get("/api/authors/2/books/", headers=TOKEN).json()["count"]
    made = library.post("/api/authors/1/books/", headers=TOKEN, json={"title": "New", "author": 1})
    assert made.status_code == 201 and made.json()["author"] == 1
    assert library.get("/api/authors/1/books/", headers=TOKEN).json()["count"] == first["count"] + 1
    assert library.get("/api/authors/2/books/", headers=TOKEN).json()["count"] == second
    assert library.get(f"/api/books/{made.json()['id']}/", headers=TOKEN).json() == made.json()


def test_bare_array_lists_with_limit_and_offset(shelter: TestClient) -> None:
    animals = shelter.get("/animals?limit=5&offset=2", headers=BEARER).json()
    assert isinstance(animals, list) and len(animals) == 5
    everything = shelter.get("/animals?limit=100", headers=BEARER).json()
    assert animals == everything[2:7]


def test_bare_array_flow_and_location_header(shelter: TestClient) -> None:
    created = shelter.post(
        "/animals",
        headers=BEARER,
        json={"name": "Rex", "species": "dog", "birth_date": "2020-01-02"},
    )
    assert created.status_code == 201, created.text
    assert created.headers["location"]
    animal_id = created.json()["id"]
    assert shelter.get(f"/animals/{animal_id}", headers=BEARER).json()["name"] == "Rex"
    assert shelter.delete(f"/animals/{animal_id}", headers=BEARER).status_code == 204
    assert shelter.get(f"/animals/{animal_id}", headers=BEARER).status_code == 404


def test_seeded_records_are_the_same_for_a_seed() -> None:
    spec = CORPUS / "drf-library" / "openapi.yaml"

    def books(seed: int) -> bytes:
        with create_app(Settings.build(spec_path=spec, seed=seed)).app.test_client() as c:
            return bytes(c.get("/api/books/", headers=TOKEN).content)

    assert books(4) == books(4)
    assert books(4) != books(5)


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"\xff\xfe{}", "Request body is not valid utf-8."),
        (b"[" * 100_000 + b"]" * 100_000, "Request body is nested too deeply."),
        (b'{"title": ', "Request body is not valid JSON"),
    ],
)
def test_malformed_json_bodies_are_400(library: TestClient, body: bytes, detail: str) -> None:
    headers = {**TOKEN, "Content-Type": "application/json"}
    response = library.post("/api/books/", headers=headers, content=body)
    assert response.status_code == 400
    assert detail in response.text


def test_a_huge_body_is_413(library: TestClient) -> None:
    headers = {**TOKEN, "Content-Type": "application/json"}
    huge = b'{"title": "' + b"x" * (11 * 1024 * 1024) + b'"}'
    response = library.post("/api/books/", headers=headers, content=huge)
    assert response.status_code == 413


def test_missing_or_malformed_bearer_is_401(shelter: TestClient) -> None:
    assert shelter.get("/animals").status_code == 401
    assert shelter.get("/animals", headers={"Authorization": "Bearer"}).status_code == 401
    assert shelter.get("/animals", headers={"Authorization": "Basic abc"}).status_code == 401


def test_deleting_a_parent_takes_its_nested_collection_with_it(shelter: TestClient) -> None:
    assert shelter.get("/animals/3/vaccinations", headers=BEARER).status_code == 200
    assert shelter.delete("/animals/3", headers=BEARER).status_code == 204
    assert shelter.get("/animals/3/vaccinations", headers=BEARER).status_code == 404


def test_a_client_chosen_string_id_is_kept() -> None:
    inventory = CORPUS / "openapi31-inventory" / "openapi.yaml"
    item = {
        "sku": "CGT-7528",
        "name": "Flour",
        "unit": "kg",
        "site": "north",
        "reorder_point": 12.0,
    }
    for client in client_for(inventory):
        created = client.post("/items?api_key=stock-key-0001", json=item)
        assert created.status_code == 201, created.text
        assert created.json()["sku"] == "CGT-7528"  # and 12.0 was accepted as an integer
        assert client.get("/items/CGT-7528?api_key=stock-key-0001").json()["name"] == "Flour"


def test_an_optional_body_may_be_left_out(library: TestClient) -> None:
    assert library.patch("/api/books/7/", headers=TOKEN).status_code == 200


def test_with_a_tokens_fixture_only_its_keys_get_in(library: TestClient) -> None:
    refused = library.get("/api/books/", headers={"Authorization": "Token not-a-known-key"})
    assert refused.status_code == 401
    assert library.get("/api/books/", headers=TOKEN).status_code == 200


FLEET = {"Authorization": "Basic ZmxlZXQ6d3JlbmNoLTAwMDE="}  # custom-envelope: fleet:wrench-0001


def test_single_records_travel_in_the_envelope_the_spec_shows() -> None:
    for client in client_for(CORPUS / "custom-envelope" / "openapi.yaml"):
        listed = client.get("/v2/vehicles?per_page=2", headers=FLEET).json()
        assert listed["meta"] == {"total": 12, "page": 1}
        first = listed["data"][0]
        assert client.get(f"/v2/vehicles/{first['id']}", headers=FLEET).json() == {"data": first}
        vehicle = {"plate": "KX-204", "make": "Volvo", "model": "FH16"}
        created = client.post("/v2/vehicles", json=vehicle, headers=FLEET)
        assert created.status_code == 201
        new_id = created.json()["data"]["id"]
        assert re.fullmatch(r"VH-[0-9]{5}", new_id)  # ids follow the path parameter's pattern
        patched = client.patch(
            f"/v2/vehicles/{new_id}", json={**vehicle, "plate": "KX-205"}, headers=FLEET
        )
        assert patched.json()["data"]["plate"] == "KX-205"
        assert client.get("/v2/vehicles", headers=FLEET).json()["meta"]["total"] == 13
        assert client.delete(f"/v2/vehicles/{new_id}", headers=FLEET).status_code == 204
        gone = client.get(f"/v2/vehicles/{new_id}", headers=FLEET)
        assert gone.status_code == 404
        assert gone.json() == {"errors": [{"title": "Not found."}]}  # its documented shape


NETREG = {"Authorization": "Bearer netreg-admin-token-0001"}  # polymorphism/fixtures


def test_records_of_a_discriminated_one_of_are_stateful_and_keep_their_variant() -> None:
    for client in client_for(CORPUS / "polymorphism" / "openapi.yaml"):
        seeded = client.get("/devices?limit=100", headers=NETREG).json()
        kinds = {d["kind"] for d in (seeded if isinstance(seeded, list) else seeded["items"])}
        assert len(kinds) > 1  # the seeded collection mixes variants
        switch = {"kind": "switch", "hostname": "sw1.example.com", "port_count": 8}
        created = client.post("/devices", json=switch, headers=NETREG)
        assert created.status_code == 201, created.text
        device = created.json()
        assert {k: device[k] for k in switch} == switch and "ssids" not in device
        assert client.get(f"/devices/{device['id']}", headers=NETREG).json() == device
        assert client.delete(f"/devices/{device['id']}", headers=NETREG).status_code == 204
        assert client.get(f"/devices/{device['id']}", headers=NETREG).status_code == 404


CONFERENCE = {"Authorization": "Bearer conf-organiser-token-0001"}  # big-json/fixtures


def test_a_shallow_nested_collection_is_a_view_of_the_top_level_resource() -> None:
    registration = {
        "attendee_name": "Zoe",
        "attendee_email": "zoe@example.org",
        "ticket_type": "standard",
    }
    for client in client_for(CORPUS / "big-json" / "openapi.json"):
        created = client.post("/api/events/2/registrations", json=registration, headers=CONFERENCE)
        assert created.status_code == 201, created.text
        made = created.json()
        assert made["event_id"] == 2  # the parent parameter fills the field it names
        assert client.get(f"/api/registrations/{made['id']}", headers=CONFERENCE).json() == made
        listed = client.get("/api/events/2/registrations?page_size=100", headers=CONFERENCE).json()
        records = listed if isinstance(listed, list) else listed["items"]
        assert made in records and {r["event_id"] for r in records} == {2}
        other = client.post(
            "/api/events/98765/registrations", json=registration, headers=CONFERENCE
        )
        assert other.status_code == 404  # no such event
        assert (
            client.delete(f"/api/registrations/{made['id']}", headers=CONFERENCE).status_code == 204
        )
        after = client.get("/api/events/2/registrations?page_size=100", headers=CONFERENCE).json()
        assert made not in (after if isinstance(after, list) else after["items"])


def test_control_characters_in_a_path_are_values_like_any_other() -> None:
    for client in client_for(CORPUS / "custom-envelope" / "openapi.yaml"):
        for path in ("/v2/vehicles/%0A", "/v2/vehicles/%09/tickets", "/v2/vehicles/%0D"):
            response = client.get(path, headers=FLEET, follow_redirects=False)
            assert response.status_code == 400, response.text  # the id's pattern refuses it
            assert "does not match" in response.json()["errors"][0]["title"]


def test_documented_total_and_location_headers_tell_the_truth(shelter: TestClient) -> None:
    listed = shelter.get("/animals?limit=3", headers=BEARER)
    assert listed.headers["X-Total-Count"] == "12" and len(listed.json()) == 3
    created = shelter.get("/animals/3/vaccinations", headers=BEARER)
    assert created.status_code == 200
    shot = {"vaccine": "rabies", "given_on": "2026-01-05"}
    added = shelter.post("/animals/3/vaccinations", json=shot, headers=BEARER)
    assert added.status_code == 201, added.text
    assert added.headers["Location"].endswith(f"/animals/3/vaccinations/{added.json()['id']}")


def test_an_action_on_a_record_needs_the_record_and_answers_with_what_was_sent() -> None:
    key = "?api_key=stock-key-0001"
    for client in client_for(CORPUS / "openapi31-inventory" / "openapi.yaml"):
        sku = client.get(f"/items{key}").json()[0]["sku"]
        adjustment = {"delta": -3, "reason": "sold"}
        done = client.post(f"/items/{sku}/adjustments{key}", json=adjustment)
        assert done.status_code == 201, done.text
        assert {k: done.json()[k] for k in adjustment} == adjustment
        missing = client.post(f"/items/ZZ-0000/adjustments{key}", json=adjustment)
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"


def test_swagger_ui_is_at_ui_whatever_the_base_path() -> None:
    for client in client_for(CORPUS / "custom-envelope" / "openapi.yaml"):
        moved = client.get("/ui/", follow_redirects=False)
        assert (moved.status_code, moved.headers["location"]) == (307, "/v2/ui/")
        assert "swagger" in client.get("/ui/").text.lower()


def test_ids_of_unicode_digits_are_not_numbers() -> None:
    key = "?api_key=stock-key-0001"
    for client in client_for(CORPUS / "openapi31-inventory" / "openapi.yaml"):
        answer = client.post(f"/items/%C2%B9/adjustments{key}", json={"delta": 1, "reason": "sold"})
        assert answer.status_code == 404  # '¹' passes str.isdigit, yet is no id here


@pytest.fixture
def untidy() -> Iterator[TestClient]:
    spec = SPECS / "crud-untidy" / "openapi.yaml"
    with create_app(Settings.build(spec_path=spec)).app.test_client() as c:
        yield c


def test_a_create_answers_in_its_own_shape_while_storing_the_record(untidy: TestClient) -> None:
    made = untidy.post("/boards", json={"name": "Roadmap", "description": "2027"})
    assert made.status_code == 201
    assert set(made.json()) == {"id"}  # its 201 allows nothing else
    stored = untidy.get(f"/boards/{made.json()['id']}").json()
    assert stored["name"] == "Roadmap" and stored["description"] == "2027"


def test_a_list_of_summaries_answers_in_the_summaries_shape(untidy: TestClient) -> None:
    listed = untidy.get("/jobs")
    assert listed.status_code == 200, listed.text
    jobs = listed.json()["jobs"]
    assert jobs and all(job["state"] in ("queued", "done") and "jobId" in job for job in jobs)


def test_seeded_records_name_a_parent_only_by_ids_their_field_can_hold(
    untidy: TestClient,
) -> None:
    untidy.get("/authors")
    posts = untidy.get("/posts")
    assert posts.status_code == 200, posts.text
    assert all(isinstance(post["author"], str) for post in posts.json())  # no integer id


def test_a_delete_documenting_a_body_answers_with_one(untidy: TestClient) -> None:
    board = untidy.get("/boards").json()[0]
    gone = untidy.delete(f"/boards/{board['id']}")
    assert gone.status_code == 200 and isinstance(gone.json()["deleted"], bool)
    assert untidy.get(f"/boards/{board['id']}").status_code == 404


def test_a_path_value_that_does_not_fit_a_field_stays_out_of_it(untidy: TestClient) -> None:
    made = untidy.post("/owners/octo/repos", json={"name": "hello"})
    assert made.status_code == 201, made.text
    assert not isinstance(made.json().get("owner"), str)  # `owner` is an object, not "octo"


def test_an_id_that_cannot_be_a_key_is_not_used_as_one(untidy: TestClient) -> None:
    made = untidy.post("/tags", json={"id": ["a", "b"], "label": "x"})
    assert made.status_code == 201, made.text
    assert made.json()["label"] == "x" and made.json()["id"] != ["a", "b"]


def test_a_change_documenting_no_content_answers_none(untidy: TestClient) -> None:
    board = untidy.get("/boards").json()[0]
    changed = untidy.patch(f"/boards/{board['id']}", json={"name": "Renamed"})
    assert (changed.status_code, changed.content) == (200, b"")
    assert untidy.get(f"/boards/{board['id']}").json()["name"] == "Renamed"


def test_a_path_value_holding_an_encoded_slash_reaches_the_handler_whole(
    untidy: TestClient,
) -> None:
    response = untidy.get("/tags/%2Fsubscriptions%2F57")  # an Azure resource id, say
    assert response.status_code == 200, response.text
    assert response.json()["id"] == "/subscriptions/57"


def test_a_path_value_holding_a_newline_reaches_the_handler_whole(untidy: TestClient) -> None:
    response = untidy.get("/tags/a%0Ab")  # no 404 documented: answered as if it existed
    assert response.status_code == 200, response.text
    assert response.json()["id"] == "a\nb"


@pytest.mark.parametrize("raw", ["not-a-number", "9" * 5000])  # past what int() converts
def test_an_unknown_id_the_record_could_not_have_keeps_a_made_one(
    untidy: TestClient, raw: str
) -> None:
    response = untidy.get(f"/pulls/{raw}")  # no 404 documented: answered anyway
    assert response.status_code == 200, response.text
    assert isinstance(response.json()["id"], int)


def test_a_property_two_all_of_parts_define_keeps_the_rules_of_both(untidy: TestClient) -> None:
    pulls = untidy.get("/pulls").json()
    assert pulls and all(isinstance(pull.get("merged", False), bool) for pull in pulls)
    assert all(0 <= pull.get("comments", 0) <= 3 for pull in pulls)
    one = untidy.get("/pulls/4000").json()  # made for an unknown id: the same rules
    assert isinstance(one.get("merged", False), bool) and 0 <= one.get("comments", 0) <= 3


def test_a_made_id_fits_both_the_item_path_and_the_record_field(untidy: TestClient) -> None:
    for _ in range(6):
        made = untidy.post("/badges", json={"label": "gold"})
        assert made.status_code == 201, made.text
        code = made.json()["code"]
        assert re.fullmatch("[a-z]{6,8}", code), code  # the path's and the field's rules
        assert untidy.get(f"/badges/{code}").json()["code"] == code


def test_an_id_no_path_can_carry_leaves_the_resource_stateless(untidy: TestClient) -> None:
    made = untidy.post("/sessions")
    assert made.status_code == 201, made.text
    assert isinstance(made.json()["id"], list)  # as the schema says, not its text
    assert all(isinstance(s["id"], list) for s in untidy.get("/sessions").json())


def test_each_parent_gets_its_own_draw_of_seeded_records(untidy: TestClient) -> None:
    first = untidy.get("/owners/ada/repos").json()
    second = untidy.get("/owners/bob/repos").json()
    assert len(first) == len(second) == 12
    assert [r["name"] for r in first] != [r["name"] for r in second]  # not one list for all
    assert untidy.get("/owners/ada/repos").json() == first  # and kept, once drawn
    again = create_app(Settings.build(spec_path=SPECS / "crud-untidy" / "openapi.yaml"))
    with again.app.test_client() as other:
        assert other.get("/owners/bob/repos").json() == second  # the same every run


def test_boolean_property_schemas_are_read_as_json_schema_reads_them() -> None:
    # `false`: the property is never in a record; `true`: it takes anything.
    spec = SPECS / "boolean-property-schemas" / "openapi.yaml"
    for client in client_for(spec):
        listed = client.get("/connections")
        assert listed.status_code == 200, listed.text
        records = listed.json()
        assert records and all("additionalProperties" not in r for r in records)
        first = records[0]["id"]
        assert client.delete(f"/connections/{first}").status_code == 204
        assert client.get(f"/connections/{first}").status_code == 404


NAMED = SPECS / "named-records" / "openapi.yaml"  # its fixtures/names.yaml: words, references
NAMED_USERS = {  # named-records/fixtures/users.yaml
    "ada": (101, "north"),
    "alan": (102, "north"),
    "grace": (201, "south"),
    "edsger": (202, "south"),
}


@pytest.fixture
def named() -> Iterator[TestClient]:
    yield from client_for(NAMED)


def test_seeded_records_take_the_mocks_words(named: TestClient) -> None:
    tutors = named.get("/orgs/north/tutors").json()
    assert len(tutors) == 12
    assert {t["name"] for t in tutors} <= {"Algebra Ace", "Essay Owl", "Lab Buddy"}
    assert {t["slug"] for t in tutors} <= {"algebra-ace", "essay-owl"}
    assert all(re.fullmatch(r"T[0-9]{4}", t["code"]) for t in tutors)  # its pattern refuses
    assert all(len(t["nickname"]) <= 3 for t in tutors)  # every tutor name is too long
    assert {t["hours"] for t in tutors} <= {7, 9}
    courses = named.get("/courses").json()
    assert all(
        re.fullmatch(r"course-v1:(north|south)\+(MATH1|POEM2)\+2025", c["course_id"])
        for c in courses
    )


def test_seeded_records_name_the_org_of_their_path_and_its_users(named: TestClient) -> None:
    for org, platform, title in (("north", 3, "North Academy"), ("south", 8, "South College")):
        for tutor in named.get(f"/orgs/{org}/tutors").json():
            assert (tutor["platform"], tutor["platform_key"], tutor["platform_name"]) == (
                platform,
                org,
                title,
            )
            user_id, user_org = NAMED_USERS[tutor["owner"]]
            assert (tutor["owner_id"], user_org) == (user_id, org)
            assert tutor["owner_email"] == f"{tutor['owner']}@{org}.example"
            assert tutor["student"].isdigit()  # no username fits its pattern: left as made


def test_top_level_records_draw_an_org_and_a_user_of_it(named: TestClient) -> None:
    courses = named.get("/courses").json()
    assert {c["org"] for c in courses} == {"north", "south"}
    for course in courses:
        user_id, user_org = NAMED_USERS[course["teacher"]]
        assert user_org == course["org"]
        profile = course["teacher_profile"]
        assert (profile["id"], profile["username"]) == (user_id, course["teacher"])
        assert profile["bio"]  # a key the user does not hold: as made


def test_created_records_name_the_org_of_their_path(named: TestClient) -> None:
    sent = {"name": "Mine", "slug": "mine", "code": "T0001", "nickname": "me"}
    made = named.post("/orgs/south/tutors", json=sent).json()
    assert {k: made[k] for k in sent} == sent
    assert (made["platform"], made["platform_key"]) == (8, "south")
    assert NAMED_USERS[made["owner"]] == (made["owner_id"], "south")


def test_named_records_are_the_same_for_a_seed() -> None:
    def seeded(seed: int) -> Any:
        with create_app(Settings.build(spec_path=NAMED, seed=seed)).app.test_client() as client:
            return client.get("/orgs/north/tutors").json(), client.get("/courses").json()

    assert seeded(3) == seeded(3)
    assert seeded(3) != seeded(4)


def test_records_made_up_for_unknown_ids_name_the_org_of_their_path(named: TestClient) -> None:
    for org in ("north", "south"):
        badge = named.get(f"/orgs/{org}/badges/500").json()
        assert badge["id"] == 500 and badge["platform_key"] == org
        assert NAMED_USERS[badge["owner"]][1] == org
