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


def owner_of_images(
    store: Store, token_info: dict[str, Any], org: str, user_id: str
) -> tuple[Any, Any] | None:
    """The (user id, platform id) whose images `user_id` on `org` names, after checking
    the caller may see them; None: no such user there."""
    authorize(principal_of(token_info), org, user_id)
    user, platform = member(store, org, user_id), platform_id(store, org)
    if user is None or platform is None:
        return None
    return user["id"], platform


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
    owner = owner_of_images(store, token_info, org, user_id)
    if username not in (None, "") and username != user_id:
        owner = None  # every image listed here was stored for `user_id`
    collection = store[IMAGES]

    def listed() -> list[Record]:
        mine = [i for i in collection if owner is not None and (i["user"], i["platform"]) == owner]
        return VIEW.narrowed(mine, {"provider": provider, "model": model}, search, ordering)

    images = collection.remembered((owner, provider, model, search, ordering), listed)
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
