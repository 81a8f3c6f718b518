"""The published `iblai` client (PyPI), pointed at the mock over HTTP.

iblai 4.202.2's AiMentorApi methods return the raw HTTP response; each body is parsed
with the client's own pydantic models, as an application using it would.
"""

from __future__ import annotations

from typing import Any

from iblai import AiMentorApi, ApiClient, Configuration
from iblai.models.ai_generated_image import AIGeneratedImage
from iblai.models.paginated_ai_generated_image_list import PaginatedAIGeneratedImageList

from tests.conftest import AMARA, MAIN_ADMIN, LiveServer

ORG, USER = "main", "amara.okafor"


def client_for(live: LiveServer, key: str) -> AiMentorApi:
    config = Configuration(
        host=live.url,
        api_key={"PlatformApiKeyAuthentication": key},
        api_key_prefix={"PlatformApiKeyAuthentication": "Api-Token"},
    )
    return AiMentorApi(ApiClient(config))


def text(response: Any) -> str:
    return bytes(response.data).decode()


def test_list_retrieve_destroy_through_the_published_client(live_server: LiveServer) -> None:
    api = client_for(live_server, MAIN_ADMIN)
    listed = api.ai_mentor_orgs_users_ai_generated_images_list(
        org=ORG, user_id=USER, page_size=5, provider="openai"
    )
    assert listed.status == 200
    page = PaginatedAIGeneratedImageList.from_json(text(listed))
    assert page is not None and page.count >= 1 and len(page.results) <= 5
    assert all(image.provider == "openai" for image in page.results)

    first = page.results[0]
    fetched = api.ai_mentor_orgs_users_ai_generated_images_retrieve(
        id=first.id, org=ORG, user_id=USER
    )
    assert fetched.status == 200
    assert AIGeneratedImage.from_json(text(fetched)) == first

    deleted = api.ai_mentor_orgs_users_ai_generated_images_destroy(
        id=first.id, org=ORG, user_id=USER
    )
    assert (deleted.status, text(deleted)) == (204, "")
    gone = api.ai_mentor_orgs_users_ai_generated_images_retrieve(id=first.id, org=ORG, user_id=USER)
    assert (gone.status, text(gone)) == (404, '{"detail":"Not found."}')

    again = api.ai_mentor_orgs_users_ai_generated_images_list(
        org=ORG, user_id=USER, provider="openai"
    )
    after = PaginatedAIGeneratedImageList.from_json(text(again))
    assert after is not None and after.count == page.count - 1


def test_the_client_sees_auth_errors(live_server: LiveServer) -> None:
    unknown = client_for(live_server, "0" * 64)
    response = unknown.ai_mentor_orgs_users_ai_generated_images_list(org=ORG, user_id=USER)
    assert (response.status, text(response)) == (401, '{"detail":"Invalid token."}')
    student = client_for(live_server, AMARA)
    other = student.ai_mentor_orgs_users_ai_generated_images_list(org="main", user_id="diego.ramos")
    assert other.status == 403
