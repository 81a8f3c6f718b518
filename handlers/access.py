"""Who may reach which user's records: the ibl platform's rules.

Students reach only themselves; platform admins reach every user of their own org; no key
reaches another org. Across the whole API an org is named `{org}` or `{platform_key}` in
the path, and a user `{user_id}` or `{username}` (both hold the username).
"""

from __future__ import annotations

from typing import Any

from ibl_mock.data.store import Record, Store
from ibl_mock.pipeline.auth import Principal
from ibl_mock.pipeline.problems import PermissionDenied

PLATFORM_ADMIN = "platform_admin"
ORG_PARAMETERS = ("org", "platform_key")
USER_PARAMETERS = ("user_id", "username")


def principal_of(token_info: dict[str, Any]) -> Principal:
    principal = token_info.get("principal")
    if not isinstance(principal, Principal):
        raise PermissionDenied()
    return principal


def authorize(principal: Principal, org: str | None, username: str | None) -> None:
    """Raise 403 unless the caller may act on `username` in `org` (either may be unnamed)."""
    if org is not None and principal.org != org:
        raise PermissionDenied()
    own = username is None or username in (principal.username, str(principal.user_id))
    if not own and principal.role != PLATFORM_ADMIN:
        raise PermissionDenied()


def member(store: Store, org: str, username: str) -> Record | None:
    """The user `username` of `org`, if there is one."""
    return store["users"].first(username=username, org=org)


def platform_id(store: Store, org: str) -> int | None:
    found = store["orgs"].first(key=org)
    return None if found is None else int(found["id"])


def authorize_request(principal: Principal, operation_id: str, path: dict[str, str]) -> None:
    """Run by the engine right after authentication, before parameters are validated:
    DRF checks permissions first, so a student asking for another student's page=abc
    gets 403, not 400."""
    org = next((path[name] for name in ORG_PARAMETERS if name in path), None)
    user = next((path[name] for name in USER_PARAMETERS if name in path), None)
    authorize(principal, org, user)
