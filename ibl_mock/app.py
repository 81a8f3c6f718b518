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

import base64
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from connexion import FlaskApp
from connexion.jsonifier import Jsonifier
from connexion.middleware import MiddlewarePosition
from connexion.middleware.response_validation import ResponseValidationMiddleware
from connexion.options import SwaggerUIOptions
from starlette.middleware.cors import CORSMiddleware

from . import VOLATILE
from .contract.connexion_spec import TrustedSpecification
from .contract.downgrade import document_30
from .contract.keyed_paths import KeyedPathRouter
from .contract.resources import recognise
from .contract.spec import Spec, load_spec, path_pattern
from .control.access_log import access_logger
from .control.admin import AdminApi, admin_document, admin_security
from .control.behaviour import Behaviour, BehaviourMiddleware, Behaviours
from .control.catalog import Catalog
from .control.control import ADMIN_PREFIX, Controls
from .control.journal import Journal, JournalRecorder, Masker
from .data.fixtures import Fixtures, RecordChecker, load_fixtures
from .data.store import Store
from .pipeline.answer_cache import AnswerCache
from .pipeline.auth import TOKENS, Credentials, authenticate_any, secret_parameters, security_map
from .pipeline.middleware import (
    ClientChosenContentType,
    KnownPathsOnly,
    MalformedContentType,
    NoContentHeaders,
    RoutedOnly,
    SpecDocument,
    StoreContext,
    UiAtRoot,
    body_taker,
    client_chosen_types,
)
from .pipeline.parsing import SchemaURIParser
from .pipeline.path_fit import path_fits
from .pipeline.problems import error_handlers
from .pipeline.route_index import use_indexed_routing
from .pipeline.routing import NumberPaths, route_numbers_in_flask
from .pipeline.validation import (
    CompiledParameterValidator,
    admin_body_validators,
    body_validators,
)
from .scoped_patches import Serving, validated_already
from .scoped_patches import install as install_scoped_patches
from .serving.async_app import MockAsyncApp
from .serving.callbacks import CallbackSender
from .serving.crud import CrudHandlers
from .serving.resolver import (
    HandlerResolver,
    handler_table,
    load_access_rule,
    load_handlers,
)
from .serving.responses import BodyMaker, ErrorShaper
from .settings import Settings

if TYPE_CHECKING:
    from .control.redis_controls import SharedSeed

SWAGGER_UI_PATH = "/ui"

install_scoped_patches()


@dataclass(frozen=True)
class Built:
    """One build of the mock: its ASGI app and what that app serves. A build is never
    changed as a whole; a reseed or a reload makes another."""

    settings: Settings
    spec: Spec
    store: Store
    fixtures: Fixtures
    credentials: Credentials
    app: Any
    catalog: Catalog
    crud: CrudHandlers


QUIET_S = 0.05  # a lull: this long without a request
# Waiting for a lull that does not come (a server under load from its start) gives way to
# a stride of work after this long: work beside the server ends, only later.
PATIENCE_S = 2.0
STRIDE_S = 0.25
POLL_S = 0.01  # how often a wait for a lull looks again while requests are answered


class MockServer:
    """A mock being served: the build it serves now, and the controls (journal,
    behaviours) every build of it shares. Adopting another build swaps one reference, so a
    request (which takes the build once, when it arrives) sees the old mock or the new one
    whole, never parts of each, even while a reload or a reseed runs on another thread."""

    def __init__(self, built: Built, controls: Controls) -> None:
        self.built = built
        self.controls = controls
        self.seed_seen = -1  # the change count of the shared seed this mock follows
        # Requests being answered, and when the last one ended: work beside the server (the
        # document's conformance passes after start-up) waits for a lull (`quiet`), so
        # that requests come first.
        self.answering = 0
        self.last_answered = time.monotonic()
        self.stride_until = 0.0  # `quiet`: work on until then, lull or not

    @property
    def settings(self) -> Settings:
        return self.built.settings

    @property
    def spec(self) -> Spec:
        return self.built.spec

    @property
    def store(self) -> Store:
        return self.built.store

    @property
    def fixtures(self) -> Fixtures:
        return self.built.fixtures

    @property
    def credentials(self) -> Credentials:
        return self.built.credentials

    @property
    def app(self) -> Any:
        return self.built.app

    @property
    def catalog(self) -> Catalog:
        return self.built.catalog

    @property
    def crud(self) -> CrudHandlers:
        return self.built.crud

    @property
    def base_path(self) -> str:
        return served_base_path(self.settings, self.spec)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.built.app(scope, receive, send)
            return
        self.answering += 1  # on the event loop's thread alone: no lock
        try:
            with self.built.store.request_scope():  # a shared store's state read once
                if self.controls.seeds is not None:
                    self.follow(self.controls.seeds)
                await self.built.app(scope, receive, send)
        finally:
            self.answering -= 1
            self.last_answered = time.monotonic()

    def quiet(self, for_s: float = QUIET_S, patience_s: float = PATIENCE_S) -> None:
        """Return once no request has been answered for `for_s` seconds (from another
        thread: a thread's work taken up between requests costs them a wait for the GIL,
        work taken up in a lull does not); after waiting `patience_s` for one, return
        at once for `STRIDE_S`, so that the work ends even under constant load."""
        began = time.monotonic()
        while True:
            now = time.monotonic()
            if now < self.stride_until:
                return
            if now - began >= patience_s:
                self.stride_until = now + STRIDE_S
                return
            rest = for_s - (now - self.last_answered)
            if not self.answering and rest <= 0:
                return
            time.sleep(max(rest, POLL_S) if not self.answering else POLL_S)

    def info(self) -> dict[str, Any]:
        return {
            "title": self.spec.title,
            "base_path": self.base_path,
            "seed": self.settings.seed,
            "operations": len(self.spec.operations),
            "collections": len(self.store.names()),
        }

    def reset(self, seed: int | None = None) -> None:
        """Back to the seeded state (fixtures and seed hook run again), with no journal and
        no behaviours; with another seed, the mock is rebuilt with it."""
        self.controls.journal.clear()
        self.controls.behaviours.clear(self.settings.seed if seed is None else seed)
        if seed is not None and seed != self.settings.seed:
            self.reseed(seed)
            return
        fresh, _ = build_store(self.settings, self.spec)
        self.store.replace_with(fresh)
        self.credentials_changed()

    def reseed(self, seed: int) -> None:
        """Rebuild the mock with another seed and serve it (the spec as it was read)."""
        rebuilt = create_app(replace(self.settings, seed=seed), self.controls, self.spec, True)
        self.adopt(rebuilt)
        self.controls.settle()

    def follow(self, seeds: SharedSeed) -> None:
        """Serve the seed another worker of the shared store reseeded with: rebuilt here,
        its world left as that worker wrote it. Within a request, before it is answered,
        so that no request after a reseed sees the old seed."""
        version = seeds.version()
        if version == self.seed_seen:
            return
        self.seed_seen = version
        seed = seeds.seed()
        if seed is not None and seed != self.settings.seed:
            self.adopt(create_app(replace(self.settings, seed=seed), self.controls, self.spec))
            self.controls.settle()

    def set_behaviour(self, operation_id: str, data: Any) -> Behaviour:
        """Give an operation a behaviour from its JSON form (LookupError: no such
        operation; BehaviourError: what is wrong with it)."""
        operation = self.spec.operations.get(operation_id)
        if operation is None:
            raise LookupError(f"The mocked API has no operation {operation_id!r}.")
        responses = self.spec.operation_object(operation).get("responses") or {}
        behaviour = Behaviour.parse(data, responses)
        self.controls.behaviours.set(operation_id, behaviour)
        return behaviour

    def materialize(self) -> None:
        """Seed every top-level resource collection not used yet (they are made on first
        use), so that the admin API lists, exports and writes them."""
        self.crud.seed_top_level(self.store, self.catalog.resources.values())

    def credentials_changed(self) -> None:
        """The tokens or users collections were rewritten: authenticate with the new ones."""
        self.credentials.replace_with(Credentials.from_store(self.store, self.credentials.prefix))

    def adopt(self, other: MockServer) -> None:
        """Serve `other`'s build from now on (a reseed or a reload), in one assignment;
        requests under way finish on the old one."""
        self.built = other.built


def served_base_path(settings: Settings, spec: Spec) -> str:
    """Where the API is served: `--base-path`, else the path of the spec's first server URL."""
    return spec.base_path if settings.base_path is None else settings.base_path


def build_store(settings: Settings, spec: Spec) -> tuple[Store, Fixtures]:
    """The seeded world, in memory: the fixtures' records and the seed hook's."""
    store = Store()
    if settings.fixtures_dir is None:
        return store, Fixtures()
    return store, load_fixtures(settings.fixtures_dir, spec.document, store, settings.seed)


def served_store(controls: Controls, seed: int, seeded: Store, rebuilt: bool) -> Store:
    """The store the mock serves: `seeded` itself, or with `--store` the shared one, which
    the first worker to start fills with it (later ones serve what is there), and a
    rebuild (a reseed, a reload) replaces for every worker."""
    if controls.shared is None or controls.seeds is None:
        return seeded
    if rebuilt:
        controls.shared.replace_with(seeded)
        controls.seeds.publish(seed)
    elif controls.shared.initialize(seeded):
        controls.seeds.publish(seed)
    return controls.shared


def new_controls(settings: Settings, spec: Spec) -> Controls:
    """The journal and behaviours of a mock: in this process, or with `--store` in the
    shared store beside its records."""
    controls = Controls(admin=settings.admin, admin_token=settings.admin_token)
    if settings.store_url is None:
        controls.journal = Journal(settings.journal_size)
        controls.behaviours = Behaviours(settings.seed)
        return controls
    from .control.redis_controls import RedisBehaviours, RedisJournal, SharedSeed
    from .data.redis_store import RedisStore  # redis imported only when a store is named

    namespace = settings.store_namespace or document_namespace(spec)
    shared = RedisStore.connect(settings.store_url, namespace)
    controls.shared, controls.seeds = shared, SharedSeed(shared)
    controls.journal = RedisJournal(shared, settings.journal_size)
    controls.behaviours = RedisBehaviours(shared, settings.seed)
    return controls


def document_namespace(spec: Spec) -> str:
    """One namespace per document served: mocks of other documents may share a Redis."""
    return f"ibl-mock:{spec.fingerprint[:16]}"


def create_app(
    settings: Settings,
    controls: Controls | None = None,
    spec: Spec | None = None,
    rebuilt: bool = False,
) -> MockServer:
    """Build the mock for `settings`; `controls` carries journal and behaviours over from
    a mock this one replaces, `spec` the document it already read (a reseed); `rebuilt`:
    it replaces one being served, whose shared world it replaces too."""
    spec = spec or load_spec(settings.spec_path, settings.strict, settings.conformance)
    controls = controls or new_controls(settings, spec)
    seeded, fixtures = build_store(settings, spec)
    store = served_store(controls, settings.seed, seeded, rebuilt)
    prefix = str(fixtures.options.get(TOKENS, {}).get("prefix", ""))
    credentials = Credentials.from_store(store, prefix)
    written = load_handlers(settings.handlers_dir, spec.operations)
    maker = BodyMaker(spec.document, settings.seed, fixtures.names)
    errors = ErrorShaper(spec, maker)
    crud = CrudHandlers(spec, maker, errors, settings.seed)
    actions = recognise(spec)
    handlers = handler_table(spec, written, maker, crud, actions, errors)

    app_class = FlaskApp if settings.app_type == "flask" else MockAsyncApp
    app = app_class(
        __name__,
        security_map=security_map(credentials, load_access_rule(settings.handlers_dir)),
        pythonic_params=True,
        validator_map={"parameter": CompiledParameterValidator, "body": body_validators()},
        uri_parser_class=SchemaURIParser,  # parameters of any schema, styles as OpenAPI has them
        # DRF's renderer: compact, in the serializer's field order, UTF-8 as is.
        jsonifier=Jsonifier(json, separators=(",", ":"), ensure_ascii=False),
        swagger_ui_options=swagger_ui(settings, spec),
    )
    if isinstance(app, FlaskApp):
        route_numbers_in_flask(app.app)
    if controls.admin:  # before the API, whose base path may be the root and catch all
        add_admin_api(app, controls)
    base_path = served_base_path(settings, spec)
    add_document(app, spec, base_path, HandlerResolver(handlers, app_class is MockAsyncApp))

    def methods_at(path: str) -> tuple[str, ...]:
        return spec.methods_at(path[len(base_path) :])

    def authenticate(request: Any) -> None:
        authenticate_any(
            credentials, spec.schemes_at(request.scope["path"][len(base_path) :]), request
        )

    def locate(method: str, path: str) -> str | None:
        return spec.operation_at(method, path[len(base_path) :])

    def responses_of(operation_id: str | None) -> dict[str, Any] | None:
        operation = spec.operations.get(operation_id or "")
        if operation is None:
            return None
        return dict(spec.operation_object(operation).get("responses") or {})

    handlers_of_errors = error_handlers(
        methods_at, errors.shape, authenticate, locate, responses_of
    )
    for exception, handler in handlers_of_errors:
        app.add_error_handler(exception, handler)
    if spec.keyed:  # outermost: every other layer sees the path of the chosen key
        app.add_middleware(
            KeyedPathRouter,
            position=MiddlewarePosition.BEFORE_EXCEPTION,
            keyed=spec.keyed,
            base_path=base_path,
            pattern=path_pattern,
            fits=path_fits(spec.document),
        )
    add_outer_middleware(app, settings, controls, spec, locate)
    if settings.callbacks and any_callbacks(spec):  # outside the cache: a replay sends them too
        app.add_middleware(
            CallbackSender,
            position=MiddlewarePosition.BEFORE_EXCEPTION,
            spec=spec,
            maker=maker,
            locate=locate,
            journal=controls.journal if controls.admin else None,
            base_path=base_path,
            delay_s=settings.callback_delay_ms / 1000,
        )
    if settings.answer_cache:  # within behaviours, journal and CORS: they see every request
        app.add_middleware(
            AnswerCache,
            position=MiddlewarePosition.BEFORE_EXCEPTION,
            generation=store.generation,
            volatile={op for op, handler in written.items() if getattr(handler, VOLATILE, False)},
            skip=(ADMIN_PREFIX,),
        )
    app.add_middleware(StoreContext, position=MiddlewarePosition.BEFORE_ROUTING, store=store)
    app.add_middleware(NumberPaths, position=MiddlewarePosition.BEFORE_ROUTING)
    if base_path:
        target = f"{base_path}{SWAGGER_UI_PATH}/"
        app.add_middleware(UiAtRoot, position=MiddlewarePosition.BEFORE_SWAGGER, target=target)
    own_paths = (f"{base_path}{SWAGGER_UI_PATH}", f"{base_path}/openapi.json")
    app.add_middleware(
        KnownPathsOnly,
        position=MiddlewarePosition.BEFORE_SWAGGER,
        base_path=base_path,
        methods_at=spec.methods_at,
        own_paths=own_paths + ((ADMIN_PREFIX + "/",) if controls.admin else ()),
    )
    app.add_middleware(RoutedOnly, position=MiddlewarePosition.BEFORE_SECURITY)
    if chosen := client_chosen_types(spec):
        app.add_middleware(
            ClientChosenContentType, position=MiddlewarePosition.BEFORE_SECURITY, documented=chosen
        )
    app.add_middleware(
        MalformedContentType,
        position=MiddlewarePosition.BEFORE_CONTEXT,  # after validation, before the handler
        takes_body=body_taker(spec),
    )
    app.add_middleware(NoContentHeaders, position=MiddlewarePosition.BEFORE_EXCEPTION)
    app.add_middleware(Serving, position=MiddlewarePosition.BEFORE_EXCEPTION)
    app.add_middleware(
        SpecDocument,
        position=MiddlewarePosition.BEFORE_SWAGGER,
        path=f"{base_path}/openapi.json",
        body=lambda: document_json(spec.served_document(base_path)),
    )
    use_indexed_routing(app.middleware.middlewares)
    # Never asked for here (answers are made to the document, and checked as made): it
    # would only build its copy of every operation at start and pass each request on.
    app.middleware.middlewares.remove(ResponseValidationMiddleware)
    checker = RecordChecker(spec.document, fixtures.extra_schemas)
    resources = {a.resource.key: a.resource for a in actions.values()}
    catalog = Catalog(checker, fixtures, resources)
    built = Built(settings, spec, store, fixtures, credentials, app, catalog, crud)
    server = MockServer(built, controls)
    if controls.server is None:
        controls.server = server  # the one being served; a rebuild is adopted into it
    return server


def document_json(document: dict[str, Any]) -> bytes:
    """The document as Swagger UI reads it; what JSON lacks (YAML's `!!binary`, in an
    example) as the text YAML wrote it in, base64."""

    def written(value: Any) -> Any:
        return base64.b64encode(value).decode() if isinstance(value, bytes) else str(value)

    return json.dumps(document, ensure_ascii=False, default=written).encode()


def any_callbacks(spec: Spec) -> bool:
    return any(
        spec.operation_object(operation).get("callbacks") for operation in spec.operations.values()
    )


# What Connexion is given to register the API with; its Specification is then replaced.
PLACEHOLDER = {"openapi": "3.0.3", "info": {"title": "", "version": ""}, "paths": {}}


def add_document(app: Any, spec: Spec, base_path: str, resolver: HandlerResolver) -> None:
    """The API of `spec` registered with Connexion's options, its Specification one built
    of the document as read and checked (`connexion_spec`): Connexion's loader would check
    and copy it whole again. Connexion reads an API's Specification only when its
    middleware stack is built, at the first request."""
    with validated_already():
        app.add_api(dict(PLACEHOLDER, paths={}), resolver=resolver, base_path=base_path)
    app.middleware.apis[-1].specification = TrustedSpecification.of_document(
        document_30(spec.document)
    )


def swagger_ui(settings: Settings, spec: Spec) -> SwaggerUIOptions:
    """Swagger UI at <base>/ui/, offering the admin API's document beside the mock's."""
    if not settings.admin:
        return SwaggerUIOptions(swagger_ui_path=SWAGGER_UI_PATH)
    documents = [
        {"url": f"{served_base_path(settings, spec)}/openapi.json", "name": spec.title},
        {"url": f"{ADMIN_PREFIX}/openapi.json", "name": "ibl-mock admin"},
    ]
    return SwaggerUIOptions(
        swagger_ui_path=SWAGGER_UI_PATH, swagger_ui_template_arguments={"urls": documents}
    )


def add_admin_api(app: Any, controls: Controls) -> None:
    app.add_api(
        admin_document(controls),
        base_path=ADMIN_PREFIX,
        name="ibl-mock admin",
        resolver=HandlerResolver(AdminApi(controls).handlers()),
        security_map=admin_security(controls),
        validator_map={"parameter": CompiledParameterValidator, "body": admin_body_validators()},
    )


def add_outer_middleware(
    app: Any,
    settings: Settings,
    controls: Controls,
    spec: Spec,
    locate: Callable[[str, str], str | None],
) -> None:
    """Outermost first: the journal sees every answer (CORS preflights, faults, drops);
    CORS headers reach even forced failures; behaviours act before routing. Requests are
    recorded only for someone to read: the admin API, or the access log."""
    journal = controls.journal if controls.admin else None
    log = access_logger(settings.access_log)
    if journal is not None or log is not None:
        headers, query = secret_parameters(spec.document)
        app.add_middleware(
            JournalRecorder,
            position=MiddlewarePosition.BEFORE_EXCEPTION,
            masker=Masker(headers, query),
            locate=locate,
            journal=journal,
            listeners=() if log is None else (log,),
            skip=(ADMIN_PREFIX + "/",),
        )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            position=MiddlewarePosition.BEFORE_EXCEPTION,
            allow_origins=list(settings.cors_origins),
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["*"],
            max_age=600,
        )
    app.add_middleware(
        BehaviourMiddleware,
        position=MiddlewarePosition.BEFORE_EXCEPTION,
        behaviours=controls.behaviours,
        locate=locate,
    )
