"""The ai-generated-images endpoints end to end, in-process, with DRF's semantics."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from ibl_mock.app import MockServer, create_app
from ibl_mock.settings import Settings
from tests.conftest import ACME_ADMIN, AMARA, DIEGO, MAIN_ADMIN, auth, images_url

from ..conftest import SEED_SPEC

ADMIN = auth(MAIN_ADMIN)


def listing(client: TestClient, query: str = "", **kwargs: Any) -> Any:
    response = client.get(images_url(**kwargs) + query, headers=ADMIN)
    assert response.status_code == 200, response.text
    return response.json()


def amara_images(server: MockServer) -> list[dict[str, Any]]:
    return [i for i in server.store["images"] if i["user"] == 1057 and i["platform"] == 1]


def test_list_holds_only_that_users_images_on_that_org(
    client: TestClient, server: MockServer
) -> None:
    body = listing(client, "?page_size=100")
    expected = amara_images(server)
    assert body["count"] == len(expected) >= 12
    assert {i["id"] for i in body["results"]} == {i["id"] for i in expected}
    assert list(body["results"][0]) == [
        "id",
        "user",
        "image",
        "platform",
        "prompt",
        "model",
        "provider",
        "date_created",
    ]


def test_default_order_is_newest_first_and_pages_link_to_each_other(client: TestClient) -> None:
    first = listing(client, "?page_size=5&provider=")
    dates = [i["date_created"] for i in first["results"]]
    assert dates == sorted(dates, reverse=True)
    assert first["previous"] is None
    assert first["next"] == ("http://testserver" + images_url() + "?page=2&page_size=5&provider=")
    second = client.get(first["next"], headers=ADMIN).json()
    assert second["previous"] == "http://testserver" + images_url() + "?page_size=5&provider="
    assert not {i["id"] for i in first["results"]} & {i["id"] for i in second["results"]}


def test_last_page_has_no_next_and_past_it_is_invalid(client: TestClient) -> None:
    count = listing(client)["count"]
    last_page = -(-count // 5)
    last = listing(client, f"?page_size=5&page={last_page}")
    assert last["next"] is None and len(last["results"]) == count - 5 * (last_page - 1)
    for page in (last_page + 1, 0, -1):
        response = client.get(images_url() + f"?page_size=5&page={page}", headers=ADMIN)
        assert (response.status_code, response.json()) == (404, {"detail": "Invalid page."})


@pytest.mark.parametrize(("size", "expected"), [("0", 10), ("-4", 10), ("3", 3), ("1000", 100)])
def test_page_size_default_cap_and_fallback(client: TestClient, size: str, expected: int) -> None:
    body = listing(client, f"?page_size={size}", user="amara.okafor")
    assert len(body["results"]) == min(expected, body["count"])


def test_exact_filters(client: TestClient, server: MockServer) -> None:
    for provider in ("openai", "nvidia", "replicate"):
        body = listing(client, f"?provider={provider}&page_size=100")
        expected = [i for i in amara_images(server) if i["provider"] == provider]
        assert body["count"] == len(expected)
        assert all(i["provider"] == provider for i in body["results"])
    model = amara_images(server)[0]["model"]
    assert all(i["model"] == model for i in listing(client, f"?model={model}")["results"])
    assert listing(client, "?provider=OpenAI")["count"] == 0
    assert listing(client, "?username=amara.okafor")["count"] == len(amara_images(server))
    assert listing(client, "?username=diego.ramos")["count"] == 0


def test_search_matches_every_term_case_insensitively(
    client: TestClient, server: MockServer
) -> None:
    body = listing(client, "?search=WATER%20cycle&page_size=100")
    assert body["count"] >= 1
    for image in body["results"]:
        text = " ".join([image["prompt"], image["model"], image["provider"]]).lower()
        assert "water" in text and "cycle" in text
    assert listing(client, "?search=openai&page_size=100")["count"] == len(
        [i for i in amara_images(server) if "openai" in i["provider"] + i["model"] + i["prompt"]]
    )
    assert listing(client, "?search=no-such-word-anywhere")["count"] == 0


def test_ordering_by_fields_ignores_unknown_ones(client: TestClient) -> None:
    by_id = listing(client, "?ordering=id&page_size=100")["results"]
    assert [i["id"] for i in by_id] == sorted(i["id"] for i in by_id)
    mixed = listing(client, "?ordering=provider,-id&page_size=100")["results"]
    assert mixed == sorted(sorted(mixed, key=lambda i: -i["id"]), key=lambda i: i["provider"])
    unknown = listing(client, "?ordering=bogus&page_size=100")["results"]
    assert unknown == listing(client, "?page_size=100")["results"]


def test_retrieve_returns_the_image_or_404(client: TestClient, server: MockServer) -> None:
    image = amara_images(server)[0]
    response = client.get(images_url(image_id=image["id"]), headers=ADMIN)
    assert response.status_code == 200 and response.json()["id"] == image["id"]
    diego_image = next(i for i in server.store["images"] if i["user"] == 1063)
    for missing in (999_999, diego_image["id"]):
        response = client.get(images_url(image_id=missing), headers=ADMIN)
        assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_destroy_removes_from_retrieve_and_list_and_nothing_else(
    client: TestClient, server: MockServer
) -> None:
    before = listing(client)["count"]
    others = {k: v for k, v in server.store.dump().items()}
    target = amara_images(server)[0]["id"]
    response = client.delete(images_url(image_id=target), headers=ADMIN)
    assert (response.status_code, response.content) == (204, b"")
    assert "content-type" not in response.headers
    assert client.get(images_url(image_id=target), headers=ADMIN).status_code == 404
    assert client.delete(images_url(image_id=target), headers=ADMIN).status_code == 404
    assert listing(client)["count"] == before - 1
    after = server.store.dump()
    assert [i for i in others["images"] if i["id"] != target] == after["images"]
    assert {k: v for k, v in others.items() if k != "images"} == {
        k: v for k, v in after.items() if k != "images"
    }


def test_no_credentials_and_bad_credentials_are_401(client: TestClient) -> None:
    missing = client.get(images_url())
    assert missing.status_code == 401
    assert missing.json() == {"detail": "Authentication credentials were not provided."}
    assert missing.headers["www-authenticate"] == "Api-Token"
    for header in (
        "Api-Token nope",
        f"Token {MAIN_ADMIN}",
        MAIN_ADMIN,
        "Api-Token",
        "Api-Token a b",
    ):
        response = client.get(images_url(), headers={"Authorization": header})
        assert (response.status_code, response.json()) == (401, {"detail": "Invalid token."})
    lower = client.get(images_url(), headers={"Authorization": f"api-token {MAIN_ADMIN}"})
    assert lower.status_code == 200  # the keyword is case-insensitive, as in DRF


def test_students_reach_only_themselves_admins_only_their_org(client: TestClient) -> None:
    own = client.get(images_url(user="amara.okafor"), headers=auth(AMARA))
    assert own.status_code == 200 and own.json()["count"] >= 12
    for token, org, user in [
        (AMARA, "main", "diego.ramos"),
        (DIEGO, "main", "amara.okafor"),
        (AMARA, "acme", "amara.okafor"),
        (MAIN_ADMIN, "acme", "liam.walsh"),
        (ACME_ADMIN, "main", "amara.okafor"),
    ]:
        response = client.get(images_url(org=org, user=user), headers=auth(token))
        assert response.status_code == 403
        assert response.json() == {"detail": "You do not have permission to perform this action."}
    assert client.get(images_url(user="diego.ramos"), headers=ADMIN).json()["count"] >= 12
    assert (
        client.get(images_url(org="acme", user="liam.walsh"), headers=auth(ACME_ADMIN)).status_code
        == 200
    )


def test_a_student_cannot_delete_someone_elses_image(
    client: TestClient, server: MockServer
) -> None:
    target = amara_images(server)[0]["id"]
    response = client.delete(images_url(user="amara.okafor", image_id=target), headers=auth(DIEGO))
    assert response.status_code == 403
    assert server.store["images"].get(target) is not None


def test_unknown_user_of_the_admins_org_lists_nothing(client: TestClient) -> None:
    assert listing(client, user="nobody") == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


@pytest.mark.parametrize(
    ("url", "named"),
    [
        (images_url() + "?page=abc", "page"),
        (images_url() + "?page_size=1.5", "page_size"),
        (images_url() + "?page=" + "9" * 5000 + "x", "page"),
    ],
)
def test_malformed_parameters_are_400_naming_the_parameter(
    client: TestClient, url: str, named: str
) -> None:
    response = client.get(url, headers=ADMIN)
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert f"'{named}'" in detail and len(detail) < 300


@pytest.mark.parametrize(
    "url",
    [
        images_url() + "?page=" + "9" * 40,
        images_url(image_id=10**30),
        images_url(user="ü" * 3000),
        images_url(user="%F0%9F%92%A5%00%0A"),
        images_url() + "?search=" + "%E2%80%AE" * 500 + "&ordering=" + "-" * 500,
    ],
)
def test_odd_values_never_500(client: TestClient, url: str) -> None:
    response = client.get(url, headers=ADMIN)
    body = response.json()
    if response.status_code == 200:  # a valid string for a user with no images
        assert body["count"] == 0
    else:
        assert 400 <= response.status_code < 500 and body["detail"]


def test_unknown_method_is_405_with_allow(client: TestClient) -> None:
    response = client.patch(images_url(image_id=1), headers=ADMIN)
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "PATCH" not allowed.'}
    assert response.headers["allow"] == "GET, DELETE, HEAD"


def test_same_seed_gives_byte_identical_responses_and_another_seed_differs() -> None:
    def first_page(seed: int) -> bytes:
        with create_app(Settings.build(spec_path=SEED_SPEC, seed=seed)).app.test_client() as c:
            return bytes(c.get(images_url() + "?page_size=100", headers=ADMIN).content)

    assert first_page(0) == first_page(0)
    assert first_page(0) != first_page(1)


def test_generated_data_looks_real(server: MockServer) -> None:
    images = list(server.store["images"])
    assert {i["provider"] for i in images} == {"openai", "nvidia", "replicate"}
    known_models = {"dall-e-3", "dall-e-2", "gpt-image-1", "black-forest-labs/flux-schnell"}
    assert known_models & {i["model"] for i in images}
    assert all(i["image"].startswith("https://") for i in images)
    assert all(i["date_created"] < "2026-07-01" for i in images)  # in the past
    assert len({i["prompt"] for i in images}) > len(images) // 2


@pytest.mark.parametrize("path", ["1", "%0a/", "1/%0a", "/1/"])
def test_paths_off_the_spec_are_404_not_redirects(client: TestClient, path: str) -> None:
    response = client.get(images_url() + path, headers=ADMIN, follow_redirects=False)
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_a_quoted_search_phrase_may_hold_a_comma(client: TestClient, server: MockServer) -> None:
    image = amara_images(server)[0]
    server.store["images"].update(image["id"], {"prompt": "a labeled diagram, minimal text"})
    body = listing(client, '?search="diagram, minimal"')
    assert [i["id"] for i in body["results"]] == [image["id"]]


def test_seeded_image_urls_use_extensions_picsum_serves(server: MockServer) -> None:
    assert all(
        i["image"].rsplit(".", 1)[-1] in ("jpg", "webp") or "/seed/ibl-" in i["image"]
        for i in server.store["images"]
    )


def test_permission_is_checked_before_parameters(client: TestClient) -> None:
    response = client.get(images_url(user="diego.ramos") + "?page=abc", headers=auth(AMARA))
    assert response.status_code == 403
    other_org = client.get(images_url() + "?page=abc", headers=auth(ACME_ADMIN))
    assert other_org.status_code == 403


def test_authentication_comes_before_method_not_allowed(client: TestClient) -> None:
    anonymous = client.post(images_url())
    assert anonymous.status_code == 401
    assert anonymous.json() == {"detail": "Authentication credentials were not provided."}
    assert client.post(images_url(), headers={"Authorization": "Api-Token x"}).status_code == 401
    assert client.post(images_url(), headers=ADMIN).status_code == 405


@pytest.mark.parametrize("accept", ["application/xml", "text/html"])
def test_asking_only_for_another_representation_is_406(client: TestClient, accept: str) -> None:
    for url in (images_url(), images_url(image_id=1)):
        refused = client.get(url, headers={**auth(AMARA), "Accept": accept})
        expected = {"detail": "Could not satisfy the request Accept header."}
        assert (refused.status_code, refused.json()) == (406, expected)
    either = client.get(images_url(), headers={**auth(AMARA), "Accept": "text/html, */*;q=0.1"})
    assert either.status_code == 200
