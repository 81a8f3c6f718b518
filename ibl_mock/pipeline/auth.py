"""Who is calling: API keys from the fixtures, turned into principals.

The key table is built once at start; a request costs one dict lookup. Connexion's own
apiKey handler needs an `x-apikeyInfoFunc` in the spec and answers 401 without one, so
`security_handler` supplies the check instead, keeping the spec free of server details.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from connexion.lifecycle import ConnexionRequest
from connexion.security import ApiKeySecurityHandler

from ..data.store import Record, Store
from .problems import AuthenticationFailed, NotAuthenticated

TOKENS = "tokens"
USERS = "users"


@dataclass(frozen=True)
class Principal:
    """The caller behind a key: a user of one org with one role."""

    key: str
    username: str
    org: str
    role: str
    user_id: int | None = None


def principals(tokens: Iterable[Record], users: Iterable[Record]) -> list[Principal]:
    """Join each token to its user (by username and org)."""
    by_name = {(u.get("username"), u.get("org")): u for u in users}
    found = []
    for token in tokens:
        user = by_name.get((token.get("username"), token.get("org"))) or {}
        found.append(
            Principal(
                key=str(token["key"]),
                username=str(token.get("username", "")),
                org=str(token.get("org", user.get("org", ""))),
                role=str(user.get("role", token.get("role", ""))),
                user_id=user.get("id"),
            )
        )
    return found


class KeyTable(NamedTuple):
    """The keys a mock knows, and whether it lets any well-formed one in: replaced whole,
    so that a request checks its key against one table, never half of two."""

    by_key: dict[str, Principal]
    open: bool


class Credentials:
    """The key table. A mock built with no tokens at all accepts any well-formed
    credential until tokens are written to it; one built with tokens accepts only the
    tokens it holds (none, once they are all removed). Built `from_store`, it reads the
    store's tokens and users as they are now, remembered until either changes: written
    through the admin API of any worker sharing the store, they let in whom they say."""

    def __init__(self, known: Iterable[Principal], prefix: str = "", source: Store | None = None):
        self.prefix = prefix
        self._source = source
        by_key = {p.key: p for p in known}
        self._open_when_empty = not by_key
        self._table = KeyTable(by_key, self._open_when_empty)

    @classmethod
    def from_store(cls, store: Store, prefix: str = "") -> Credentials:
        return cls(principals(store[TOKENS], store[USERS]), prefix, store)

    def current(self) -> KeyTable:
        """The table to check a request against, whole (one table per request)."""
        if self._source is None:
            return self._table
        tokens, users = self._source[TOKENS], self._source[USERS]
        by_key = tokens.remembered(
            ("principals", users.version()), lambda: {p.key: p for p in principals(tokens, users)}
        )
        if by_key is not self._table.by_key:
            self._table = KeyTable(by_key, self._open_when_empty and not by_key)
        return self._table

    @property
    def is_open(self) -> bool:
        return self.current().open

    def all(self) -> list[Principal]:
        return list(self.current().by_key.values())

    def challenge(self) -> dict[str, str]:
        return {"WWW-Authenticate": self.prefix} if self.prefix else {}

    def authenticate(self, raw: str | None) -> Principal:
        """The principal for a credential as sent, or the DRF error for it."""
        if raw is None or not raw.strip():
            raise NotAuthenticated(headers=self.challenge())
        table = self.current()  # once: a swap under way leaves this request one table
        key = self._strip_prefix(raw)
        if key is not None and table.open:
            return Principal(key=key, username="", org="", role="")
        principal = table.by_key.get(key) if key is not None else None
        if principal is None:
            raise AuthenticationFailed(headers=self.challenge())
        return principal

    def replace_with(self, other: Credentials) -> None:
        """Take over `other`'s keys and where it reads them; the security handlers holding
        this object see them."""
        by_key = other.current().by_key
        self._source = other._source
        self._table = KeyTable(by_key, self._open_when_empty and not by_key)

    def known(self, key: str) -> Principal | None:
        return self.current().by_key.get(key)

    def _strip_prefix(self, raw: str) -> str | None:
        if not self.prefix:
            return raw
        words = raw.split()
        if len(words) != 2 or words[0].lower() != self.prefix.lower():
            return None
        return words[1]


def secret_parameters(document: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The header and query parameter names apiKey schemes carry credentials in."""
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    keys = [s for s in schemes.values() if isinstance(s, dict) and s.get("type") == "apiKey"]
    headers = [str(s.get("name")) for s in keys if s.get("in") == "header"]
    query = [str(s.get("name")) for s in keys if s.get("in") == "query"]
    return headers, query


def read_credential(request: ConnexionRequest, scheme: dict[str, Any]) -> str | None:
    """The raw apiKey value where the security scheme says it travels."""
    name = str(scheme.get("name", ""))
    where = scheme.get("in")
    sources = {"header": request.headers, "query": request.query_params, "cookie": request.cookies}
    source = sources.get(str(where))
    value = None if source is None else source.get(name)
    return None if value is None else str(value)


def authorization(request: ConnexionRequest, scheme: str) -> str:
    """The credential of an `Authorization: <scheme> <credential>` header, well-formed."""
    header = str(request.headers.get("Authorization") or "")
    if not header.strip():
        raise NotAuthenticated(headers={"WWW-Authenticate": scheme.capitalize()})
    kind, _, value = header.strip().partition(" ")
    if kind.lower() != scheme or not value.strip():
        raise AuthenticationFailed(
            f"Expected 'Authorization: {scheme.capitalize()} <credentials>'."
        )
    if scheme == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise AuthenticationFailed(
                "Basic credentials are not base64 of user:password."
            ) from None
        if ":" not in decoded:
            raise AuthenticationFailed("Basic credentials are not base64 of user:password.")
        return decoded  # `user:password`, as a tokens fixture would list it
    return value.strip()


def scheme_reader(security_scheme: dict[str, Any]) -> Callable[[ConnexionRequest], str | None]:
    """How a request carries the credential of this security scheme."""
    kind = security_scheme.get("type")
    if kind == "apiKey":
        return lambda request: read_credential(request, security_scheme)
    if kind == "http" and str(security_scheme.get("scheme", "")).lower() == "basic":
        return lambda request: authorization(request, "basic")
    return lambda request: authorization(request, "bearer")  # http bearer, oauth2, openIdConnect


# A mock's own access rule, run right after authentication and before parameters are
# validated (DRF checks permissions first): (principal, operationId, path parameters).
AccessRule = Callable[[Principal, str, dict[str, str]], None]


def identify(
    credentials: Credentials, security_scheme: dict[str, Any], request: ConnexionRequest
) -> Principal:
    """The caller as this scheme sees them, or the 401 for their credential."""
    raw = scheme_reader(security_scheme)(request)
    if security_scheme.get("type") == "apiKey":
        return credentials.authenticate(raw)
    if credentials.is_open:
        return Principal(key=str(raw), username="", org="", role="")
    principal = credentials.known(str(raw))  # a bearer token or `user:password`
    if principal is None:
        raise AuthenticationFailed(
            headers={"WWW-Authenticate": str(security_scheme.get("scheme", "Bearer")).capitalize()}
        )
    return principal


def security_handler(
    credentials: Credentials, access: AccessRule | None = None
) -> type[ApiKeySecurityHandler]:
    """A Connexion security handler class bound to this app's credentials.

    apiKey credentials are checked against the fixture tokens (any well-formed one when
    there are none); bearer, basic, OAuth2 and OpenID Connect credentials must be
    well-formed: the mock has no identity provider to ask.
    """

    class MockSecurityHandler(ApiKeySecurityHandler):
        def get_fn(
            self, security_scheme: dict[str, Any], required_scopes: Any
        ) -> Callable[[ConnexionRequest], dict[str, Any]]:
            def verify(request: ConnexionRequest) -> dict[str, Any]:
                principal = identify(credentials, security_scheme, request)
                if access is not None:
                    routing = request.scope.get("extensions", {}).get("connexion_routing", {})
                    path = {k: str(v) for k, v in request.path_params.items()}
                    access(principal, str(routing.get("operation_id")), path)
                return {"sub": principal.username, "principal": principal}

            return verify

    return MockSecurityHandler


def security_map(
    credentials: Credentials, access: AccessRule | None = None
) -> dict[str, type[ApiKeySecurityHandler]]:
    handler = security_handler(credentials, access)
    return {name: handler for name in ("apiKey", "basic", "bearer", "oauth2", "openIdConnect")}


def authenticate_any(
    credentials: Credentials, schemes: list[dict[str, Any]], request: ConnexionRequest
) -> None:
    """Raise the first scheme's 401 unless one of `schemes` accepts the request."""
    failure: Exception | None = None
    for scheme in schemes:
        try:
            identify(credentials, scheme, request)
            return
        except Exception as exc:  # each scheme's own 401
            failure = failure or exc
    if failure is not None:
        raise failure
