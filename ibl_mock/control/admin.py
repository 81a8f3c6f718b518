"""The admin API (`admin.yaml`, under /__mock__): thin handlers over the running mock.

Each public method of `AdminApi` is the handler of the operationId of its name in
camelCase; Connexion validates parameters and bodies against admin.yaml first.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

from connexion import request
from connexion.lifecycle import ConnexionRequest
from connexion.security import ApiKeySecurityHandler

from ..contract.spec import read_document
from ..pipeline.problems import ApiError, NotAuthenticated, NotFound
from .behaviour import BehaviourError
from .control import ADMIN_PREFIX, ADMIN_TOKEN_HEADER, Controls
from .state import StateError, checked_state, export_state, replace_records, summaries, summary

ADMIN_SPEC = Path(__file__).with_name("admin.yaml")
PAGE = Path(__file__).with_name("page.html")  # the admin API's root, to a browser
Answer = Any


class AdminBadRequest(ApiError):
    status_code_default = 400


def admin_document(controls: Controls) -> dict[str, Any]:
    """admin.yaml as served: open (no security) unless a token guards it."""
    document = read_document(ADMIN_SPEC)
    if controls.admin_token is None:
        document = {**copy.deepcopy(document), "security": []}
        document["components"].pop("securitySchemes", None)
    return document


def admin_security(controls: Controls) -> dict[str, type[ApiKeySecurityHandler]]:
    """The admin API's own check: its token, in its own header; nothing else gets in."""

    class AdminTokenHandler(ApiKeySecurityHandler):
        def get_fn(
            self, security_scheme: dict[str, Any], required_scopes: Any
        ) -> Callable[[ConnexionRequest], dict[str, Any]]:
            def verify(request: ConnexionRequest) -> dict[str, Any]:
                if asks_for_page(request):  # it holds no data: it asks for the token itself
                    return {"sub": "browser"}
                token = request.headers.get(ADMIN_TOKEN_HEADER)
                if not token:
                    raise NotAuthenticated(f"Send the admin token in {ADMIN_TOKEN_HEADER}.")
                if not controls.admits(token):
                    raise NotAuthenticated("Invalid admin token.")
                return {"sub": "admin"}

            return verify

    return {"apiKey": AdminTokenHandler}


class AdminApi:
    def __init__(self, controls: Controls) -> None:
        self.controls = controls

    @property
    def server(self) -> Any:
        return self.controls.server

    def handlers(self) -> dict[str, Callable[..., Answer]]:
        names: dict[str, Callable[..., Answer]] = {
            "getMock": self.get_mock,
            "resetMock": self.reset_mock,
            "listCollections": self.list_collections,
            "getRecords": self.get_records,
            "replaceRecords": self.replace_records,
            "exportState": self.export_state,
            "importState": self.import_state,
            "listJournal": self.list_journal,
            "clearJournal": self.clear_journal,
            "listBehaviours": self.list_behaviours,
            "clearBehaviours": self.clear_behaviours,
            "getBehaviour": self.get_behaviour,
            "setBehaviour": self.set_behaviour,
            "removeBehaviour": self.remove_behaviour,
        }
        return names

    # state

    def get_mock(self, **_: Any) -> Answer:
        if wants_page(request.headers.get("accept", "")):
            return PAGE.read_text(encoding="utf-8"), 200, {"Content-Type": "text/html"}
        return self.server.info(), 200, {"Content-Type": "application/json"}

    def reset_mock(self, body: Any = None, **_: Any) -> Answer:
        seed = body.get("seed") if isinstance(body, dict) else None
        self.server.reset(None if seed is None else int(seed))  # 7.0 passed as an integer
        self.server.controls.settle()
        return self.server.info()

    def list_collections(self, **_: Any) -> Answer:
        self.server.materialize()
        return summaries(self.server.store, self.server.catalog)

    def get_records(self, collection: str, **_: Any) -> Answer:
        self.server.materialize()
        store = self.server.store
        if collection not in store:
            raise unknown_collection(collection)
        return list(store[collection])

    def replace_records(self, collection: str, body: Any, **_: Any) -> Answer:
        if collection not in self.server.store and not self.server.catalog.knows(collection):
            raise unknown_collection(collection)
        try:
            replaced = replace_records(self.server.store, self.server.catalog, collection, body)
        except StateError as exc:
            raise AdminBadRequest(str(exc)) from None
        self.server.credentials_changed()
        self.server.controls.settle()
        return summary(self.server.store, self.server.catalog, replaced.name)

    def export_state(self, **_: Any) -> Answer:
        self.server.materialize()
        return export_state(self.server.store, self.server.settings.seed)

    def import_state(self, body: Any, **_: Any) -> Answer:
        try:
            fresh = checked_state(self.server.store, self.server.catalog, body)
        except StateError as exc:
            raise AdminBadRequest(str(exc)) from None
        seed = body.get("seed")
        if seed is not None and int(seed) != self.server.settings.seed:
            self.server.reseed(int(seed))  # the snapshot's world, then its records
        self.server.store.replace_with(fresh)
        self.server.controls.settle()
        self.server.credentials_changed()
        return self.server.info()

    # journal

    def list_journal(
        self,
        operation_id: str | None = None,
        status: int | None = None,
        limit: int | None = None,
        **_: Any,
    ) -> Answer:
        entries = self.controls.journal.entries(operation_id, status, limit)
        return [entry.as_json() for entry in entries]

    def clear_journal(self, **_: Any) -> Answer:
        self.controls.journal.clear()
        return None, 204

    # behaviours

    def list_behaviours(self, **_: Any) -> Answer:
        return {op: b.as_json() for op, b in self.controls.behaviours.all().items()}

    def clear_behaviours(self, **_: Any) -> Answer:
        self.controls.behaviours.clear()
        return None, 204

    def get_behaviour(self, operation_id: str, **_: Any) -> Answer:
        found = self.controls.behaviours.get(operation_id)
        if found is None:
            raise NotFound(f"Operation {operation_id!r} has no behaviour.")
        return found.as_json()

    def set_behaviour(self, operation_id: str, body: Any, **_: Any) -> Answer:
        try:
            return self.server.set_behaviour(operation_id, body).as_json()
        except LookupError as exc:
            raise NotFound(str(exc)) from None
        except BehaviourError as exc:
            raise AdminBadRequest(f"Behaviour of {operation_id!r}: {exc}") from None

    def remove_behaviour(self, operation_id: str, **_: Any) -> Answer:
        if not self.controls.behaviours.remove(operation_id):
            raise NotFound(f"Operation {operation_id!r} has no behaviour.")
        return None, 204


def asks_for_page(request: ConnexionRequest) -> bool:
    return (
        request.method == "GET"
        and request.url.path == ADMIN_PREFIX + "/"
        and wants_page(request.headers.get("accept", ""))
    )


def wants_page(accept: str) -> bool:
    """A browser's Accept: text/html named, and before any JSON."""
    kinds = [part.split(";")[0].strip().lower() for part in accept.split(",")]
    if "text/html" not in kinds:
        return False
    json_at = next((i for i, k in enumerate(kinds) if k.endswith("json")), len(kinds))
    return kinds.index("text/html") < json_at


def unknown_collection(name: str) -> NotFound:
    return NotFound(f"No collection {name!r}; GET /__mock__/collections lists them.")
