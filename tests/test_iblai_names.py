"""The whole ibl API seeded in its own words (fixtures/names.yaml): mentors with mentor
names on the org of their path, prompts written as prompts, edX course ids, and records
naming fixture users of their org."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from ibl_mock.app import create_app
from ibl_mock.contract.spec import read_document
from ibl_mock.settings import Settings
from tests.conftest import ACME_ADMIN, MAIN_ADMIN, ROOT, auth

NAMES = read_document(ROOT / "fixtures" / "names.yaml")
USERS = {u["username"]: u for u in read_document(ROOT / "fixtures" / "users.yaml")["records"]}
ORGS = {o["key"]: o for o in read_document(ROOT / "fixtures" / "orgs.yaml")["records"]}
TOKENS = {"main": MAIN_ADMIN, "acme": ACME_ADMIN}
MENTORS = "/api/ai-mentor/orgs/{org}/users/{user}/recently-accessed-mentors/"


@pytest.fixture(scope="module")
def ibl() -> Iterator[TestClient]:
    with create_app(
        Settings.build(spec_path=ROOT / "spec" / "openapi.yaml")
    ).app.test_client() as c:
        yield c


def listed(client: TestClient, org: str, path: str) -> list[dict[str, Any]]:
    answer = client.get(path, headers=auth(TOKENS[org]))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    found: list[dict[str, Any]] = body["results"] if isinstance(body, dict) else body
    return found


@pytest.mark.parametrize(("org", "user"), [("main", "amara.okafor"), ("acme", "liam.walsh")])
def test_a_seeded_mentor_list_has_mentor_names_on_the_org_of_its_path(
    ibl: TestClient, org: str, user: str
) -> None:
    mentors = listed(ibl, org, MENTORS.format(org=org, user=user))
    assert len(mentors) == 12
    for mentor in mentors:
        assert mentor["name"] in NAMES["lists"]["mentor"]
        assert mentor["slug"] in NAMES["lists"]["mentor_slug"]
        assert mentor["description"] in NAMES["lists"]["mentor_description"]
        assert mentor["platform_key"] == org
        assert mentor["created_by"] == mentor["last_accessed_by"] == user


def test_prompts_are_prompts_on_the_platform_of_their_path(ibl: TestClient) -> None:
    prompts = listed(ibl, "main", "/api/ai-prompt/orgs/main/users/amara.okafor/prompt/")
    for prompt in prompts:
        assert prompt["prompt"] in NAMES["lists"]["prompt"]
        assert prompt["tone"] in NAMES["lists"]["tone"]
        assert prompt["platform"] == ORGS["main"]["id"]  # an integer: the org's id
        assert prompt["created_by"] == "amara.okafor"


def test_course_ids_are_edx_keys_and_students_are_the_fixture_user(ibl: TestClient) -> None:
    memories = listed(ibl, "main", "/api/ai-mentor/orgs/main/users/amara.okafor/edx-memory/")
    for memory in memories:
        assert re.fullmatch(r"course-v1:(main|acme)\+[A-Z]+\d+\+\w+", memory["course_id"])
        assert (memory["username"], memory["student"]) == ("amara.okafor", 1057)


def test_org_wide_records_name_users_of_their_org(ibl: TestClient) -> None:
    groups = listed(ibl, "main", "/api/core/rbac/groups/?page_size=100")
    assert {g["platform_key"] for g in groups} == set(ORGS)  # no org in the path: drawn
    for group in groups:
        org = ORGS[group["platform_key"]]
        assert group["platform"] == org  # an object: the org's own fields
        owner = USERS[group["owner"]["username"]]
        assert (owner["org"], owner["id"], owner["email"]) == (
            org["key"],
            group["owner"]["id"],
            group["owner"]["email"],
        )
        assert group["name"] in NAMES["lists"]["group"]


@pytest.mark.parametrize(("org", "user"), [("main", "diego.ramos"), ("acme", "kenji.mori")])
def test_one_mentor_is_named_as_a_mentor_on_the_org_of_its_path(
    ibl: TestClient, org: str, user: str
) -> None:
    path = f"/api/ai-mentor/orgs/{org}/users/{user}/mentors/4/"
    mentor = ibl.get(path, headers=auth(TOKENS[org])).json()
    assert (mentor["name"] in NAMES["lists"]["mentor"], mentor["platform"]) == (True, org)
    assert {c["name"] for c in mentor["categories"]} <= set(NAMES["lists"]["category"])
