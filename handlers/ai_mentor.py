"""ai-mentor: a user's AI-generated images (list, retrieve, destroy)."""

from __future__ import annotations

from typing import Any

from ibl_mock.data.listing import ListView, drf_page
from ibl_mock.data.pagination import InvalidPage
from ibl_mock.data.store import Record, Store
from ibl_mock.pipeline.context import request_url
from ibl_mock.pipeline.problems import NotFound

from .access import authorize, member, platform_id, principal_of

IMAGES = "images"
FIELDS = ("id", "user", "image", "platform", "prompt", "model", "provider", "date_created")
VIEW = ListView(
    search_fields=("prompt", "model", "provider"),
    ordering_fields=FIELDS,
    default_ordering=("-date_created",),
)


def render(image: Record) -> Record:
    """The serializer's fields, in its order, and nothing the store may hold besides."""
    return {name: image[name] for name in FIELDS if name in image}


def images_of(store: Store, token_info: dict[str, Any], org: str, user_id: str) -> list[Record]:
    """The images of `user_id` on `org`, after checking the caller may see them."""
    authorize(principal_of(token_info), org, user_id)
    user, platform = member(store, org, user_id), platform_id(store, org)
    if user is None or platform is None:
        return []
    return [i for i in store[IMAGES] if i["user"] == user["id"] and i["platform"] == platform]


def owned_image(
    store: Store, token_info: dict[str, Any], org: str, user_id: str, id_: int
) -> Record:
    authorize(principal_of(token_info), org, user_id)
    image = store[IMAGES].get(id_)
    user, platform = member(store, org, user_id), platform_id(store, org)
    if (
        image is None
        or user is None
        or image["user"] != user["id"]
        or image["platform"] != platform
    ):
        raise NotFound()
    return image


def ai_mentor_orgs_users_ai_generated_images_list(
    org: str,
    user_id: str,
    store: Store,
    token_info: dict[str, Any],
    model: str | None = None,
    ordering: str | None = None,
    page: int | None = None,
    page_size: int | None = None,
    provider: str | None = None,
    search: str | None = None,
    username: str | None = None,
) -> Record:
    images: list[Record] = images_of(store, token_info, org, user_id)
    if username not in (None, "") and username != user_id:
        images = []  # every image listed here was stored for `user_id`
    images = VIEW.narrowed(images, {"provider": provider, "model": model}, search, ordering)
    try:
        return drf_page(images, page, page_size, request_url(), render)
    except InvalidPage as exc:
        raise NotFound("Invalid page.") from exc


def ai_mentor_orgs_users_ai_generated_images_retrieve(
    id_: int, org: str, user_id: str, store: Store, token_info: dict[str, Any]
) -> Record:
    return render(owned_image(store, token_info, org, user_id, id_))


def ai_mentor_orgs_users_ai_generated_images_destroy(
    id_: int, org: str, user_id: str, store: Store, token_info: dict[str, Any]
) -> tuple[None, int]:
    image = owned_image(store, token_info, org, user_id, id_)
    store[IMAGES].remove(image["id"])
    return None, 204
