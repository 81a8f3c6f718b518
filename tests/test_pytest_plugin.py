"""The `ibl_mock` fixture, as another project's test suite uses it (pytester)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

SUITE = """
import json
import urllib.request

IMAGES = "/api/ai-mentor/orgs/main/users/amara.okafor/ai-generated-images/"


def call(ibl_mock, method, path, user=None):
    headers = ibl_mock.auth(user)
    request = urllib.request.Request(ibl_mock.url + path, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def count(ibl_mock):
    return json.loads(call(ibl_mock, "GET", IMAGES)[1])["count"]


def test_deleting_changes_the_world_and_the_journal_sees_it(ibl_mock):
    before = count(ibl_mock)
    first = json.loads(call(ibl_mock, "GET", IMAGES)[1])["results"][0]["id"]
    assert call(ibl_mock, "DELETE", f"{IMAGES}{first}/")[0] == 204
    assert count(ibl_mock) == before - 1
    deleted = ibl_mock.journal(status=204)
    assert [e.operation_id for e in deleted] == ["ai_mentor_orgs_users_ai_generated_images_destroy"]
    assert deleted[0].headers["authorization"] == "Api-Token ***"


def test_the_next_test_finds_the_world_back(ibl_mock):
    assert ibl_mock.journal() == []
    assert count(ibl_mock) == len([i for i in ibl_mock.records("images") if i["user"] == 1057])


def test_a_test_may_reseed(ibl_mock):
    ibl_mock.reset(seed=7)
    assert ibl_mock.server.settings.seed == 7


def test_the_next_test_is_back_on_the_session_seed(ibl_mock):
    assert ibl_mock.server.settings.seed == 0


def test_behaviours_make_it_fail(ibl_mock):
    ibl_mock.behave("ai_mentor_orgs_users_ai_generated_images_list", status=403)
    assert call(ibl_mock, "GET", IMAGES, user="amara.okafor")[0] == 403
"""


def test_the_fixture_serves_resets_and_journals(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_frontend=SUITE)
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=5)


def test_the_fixture_serves_another_spec_with_a_seed(pytester: pytest.Pytester) -> None:
    from tests.conftest import SPECS

    library = SPECS / "corpus" / "drf-library" / "openapi.yaml"
    pytester.makepyfile(
        test_library="""
import json, urllib.request

def test_books(ibl_mock):
    request = urllib.request.Request(ibl_mock.url + "/api/books/", headers=ibl_mock.auth())
    with urllib.request.urlopen(request, timeout=10) as response:
        assert json.load(response)["count"] == 12
    assert ibl_mock.server.settings.seed == 4
"""
    )
    result = pytester.runpytest_subprocess(
        "-q", "-p", "no:cacheprovider", f"--ibl-mock-spec={library}", "--ibl-mock-seed=4"
    )
    result.assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("document", "path"),
    [
        ("custom-envelope", "/vehicles"),  # HTTP basic
        ("external-refs", "/orders"),  # an apiKey cookie
        ("unsupported-bits", "/conversions/1"),  # an apiKey header of its own name
    ],
)
def test_auth_sends_the_key_as_the_spec_wants_it(
    pytester: pytest.Pytester, document: str, path: str
) -> None:
    from tests.conftest import SPECS

    spec = SPECS / "corpus" / document / "openapi.yaml"
    pytester.makepyfile(
        test_auth=f"""
import urllib.request

def test_gets_in(ibl_mock):
    request = urllib.request.Request(ibl_mock.url + "{path}", headers=ibl_mock.auth())
    try:
        urllib.request.urlopen(request, timeout=10).close()
    except urllib.error.HTTPError as error:
        assert error.code not in (401, 403), error.read()  # a 404 is past authentication
"""
    )
    result = pytester.runpytest_subprocess(
        "-q", "-p", "no:cacheprovider", f"--ibl-mock-spec={spec}"
    )
    result.assert_outcomes(passed=1)
