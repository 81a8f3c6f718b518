"""create_app(settings): the Connexion app and its request pipeline.

One request, in order (Connexion's middleware stack, plus ours):

1. StoreContext (ours)  puts the store into the request context; assumes nothing.
2. routing              finds the operation from the spec; unknown path 404, method 405;
                        RoutedOnly (ours) stops whatever the router did not match.
3. security             PlatformApiKey etc.: `auth.Credentials` turns the credential into a
                        principal (401 when missing or unknown); assumes an operation.
4. validation           Connexion checks parameters and bodies against the spec (400);
                        assumes an authenticated caller.
5. handler              handlers/<module>.<operationId>, else a generic one answering
                        from the spec (examples, else schema-made data); `Prefer`
                        sends any request to the generic one. Receives validated, typed
                        parameters, `store` and `token_info`.
6. response             serialised as compact JSON in the handler's field order; every
                        error, raised anywhere above, rendered by `problems` as {"detail"}.

Everything costly happens once, here: the spec is read and validated, fixtures are
validated and stored, handlers are imported. Nothing is validated again per request.
"""

from __future__ import annotations

import copy
import json
import logging
from dataclasses import dataclass
from typing import Any

from connexion import AsyncApp, FlaskApp
from connexion.jsonifier import Jsonifier
from connexion.middleware import MiddlewarePosition
from connexion.options import SwaggerUIOptions
from connexion.spec import OpenAPISpecification

from .auth import TOKENS, Credentials, authenticate_any, security_map
from .crud import CrudHandlers
from .downgrade import document_30, unsupported, without_unsupported
from .fixtures import Fixtures, load_fixtures
from .middleware import (
    KnownPathsOnly,
    NoContentHeaders,
    RoutedOnly,
    SpecDocument,
    StoreContext,
)
from .problems import error_handlers
from .resolver import (
    HandlerResolver,
    handler_table,
    load_access_rule,
    load_handlers,
    not_implemented,
)
from .resources import recognise
from .responses import BodyMaker, ErrorShaper
from .settings import Settings
from .spec import Spec, load_spec
from .store import Store
from .validation import CompiledParameterValidator, body_validators

SWAGGER_UI_PATH = "/ui"

# The document was validated once, by openapi-spec-validator, in `spec.load_spec`;
# Connexion's second validation cost 0.7 s on a 1,000-operation document, for nothing.
OpenAPISpecification._validate_spec = classmethod(lambda cls, spec: None)

# Generic handlers take **kwargs, so Connexion logs an ERROR for every security parameter
# it passes them (an apiKey in the query, say); the request is fine.
logging.getLogger("connexion.decorators.parameter").setLevel(logging.CRITICAL)
# ...and a WARNING for every request to an operation taking several media types.
logging.getLogger("connexion.operations.openapi3").setLevel(logging.ERROR)


@dataclass
class MockServer:
    """A built mock: the ASGI app and what it serves."""

    settings: Settings
    spec: Spec
    store: Store
    fixtures: Fixtures
    credentials: Credentials
    app: Any
    unsupported: dict[str, str]  # operationId -> what is not supported, said at start-up

    @property
    def base_path(self) -> str:
        return served_base_path(self.settings, self.spec)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)

    def reset(self) -> None:
        """Put the store back to its seeded state (fixtures and seed hook run again)."""
        fresh, _ = build_store(self.settings, self.spec)
        self.store.replace_with(fresh)


def served_base_path(settings: Settings, spec: Spec) -> str:
    """Where the API is served: `--base-path`, else the path of the spec's first server URL."""
    return spec.base_path if settings.base_path is None else settings.base_path


def build_store(settings: Settings, spec: Spec) -> tuple[Store, Fixtures]:
    store = Store()
    if settings.fixtures_dir is None:
        return store, Fixtures()
    return store, load_fixtures(settings.fixtures_dir, spec.document, store, settings.seed)


def create_app(settings: Settings) -> MockServer:
    spec = load_spec(settings.spec_path)
    store, fixtures = build_store(settings, spec)
    prefix = str(fixtures.options.get(TOKENS, {}).get("prefix", ""))
    credentials = Credentials.from_store(store, prefix)
    written = load_handlers(settings.handlers_dir, spec.operations)
    maker = BodyMaker(spec.document, settings.seed)
    errors = ErrorShaper(spec, maker)
    crud = CrudHandlers(spec, maker, errors, settings.seed)
    actions = recognise(spec)
    handlers = handler_table(spec, written, maker, crud, actions)
    unsupported_ops = unsupported(spec.document)
    for path, method in unsupported_ops:
        operation_id = spec.operation_at(method, path) or ""
        handlers[operation_id] = not_implemented(operation_id, unsupported_ops[(path, method)])

    app_class = FlaskApp if settings.app_type == "flask" else AsyncApp
    app = app_class(
        __name__,
        security_map=security_map(credentials, load_access_rule(settings.handlers_dir)),
        pythonic_params=True,
        validator_map={"parameter": CompiledParameterValidator, "body": body_validators()},
        # DRF's renderer: compact, in the serializer's field order, UTF-8 as is.
        jsonifier=Jsonifier(json, separators=(",", ":"), ensure_ascii=False),
        swagger_ui_options=SwaggerUIOptions(swagger_ui_path=SWAGGER_UI_PATH),
    )
    # Connexion mutates the document it is given (defaults, resolved refs): hand it a copy.
    base_path = served_base_path(settings, spec)
    served_to_connexion = copy.deepcopy(document_30(spec.document))
    without_unsupported(served_to_connexion, unsupported_ops)
    app.add_api(
        served_to_connexion,
        resolver=HandlerResolver(handlers),
        base_path=base_path,
    )

    def methods_at(path: str) -> tuple[str, ...]:
        return spec.methods_at(path[len(base_path) :])

    def authenticate(request: Any) -> None:
        authenticate_any(
            credentials, spec.schemes_at(request.scope["path"][len(base_path) :]), request
        )

    def locate(method: str, path: str) -> str | None:
        return spec.operation_at(method, path[len(base_path) :])

    def documents(operation_id: str | None, status: int) -> bool:
        operation = spec.operations.get(operation_id or "")
        if operation is None:
            return False
        return str(status) in (spec.operation_object(operation).get("responses") or {})

    handlers_of_errors = error_handlers(methods_at, errors.shape, authenticate, locate, documents)
    for exception, handler in handlers_of_errors:
        app.add_error_handler(exception, handler)
    app.add_middleware(StoreContext, position=MiddlewarePosition.BEFORE_ROUTING, store=store)
    app.add_middleware(
        KnownPathsOnly,
        position=MiddlewarePosition.BEFORE_SWAGGER,
        base_path=base_path,
        methods_at=spec.methods_at,
        own_paths=(f"{base_path}{SWAGGER_UI_PATH}", f"{base_path}/openapi.json"),
    )
    app.add_middleware(RoutedOnly, position=MiddlewarePosition.BEFORE_SECURITY)
    app.add_middleware(NoContentHeaders, position=MiddlewarePosition.BEFORE_EXCEPTION)
    served = json.dumps(spec.served_document(base_path), ensure_ascii=False).encode()
    app.add_middleware(
        SpecDocument,
        position=MiddlewarePosition.BEFORE_SWAGGER,
        path=f"{base_path}/openapi.json",
        body=served,
    )
    notes = {
        spec.operation_at(m, p) or f"{m} {p}": f"{m.upper()} {p}: {why} (answers 501)"
        for (p, m), why in unsupported_ops.items()
    }
    return MockServer(settings, spec, store, fixtures, credentials, app, notes)
