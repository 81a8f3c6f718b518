"""operationId -> handler: a hand-written function in handlers/, else a fallback.

Every module in the handlers folder is imported once; a public function whose name is
an operationId of the spec handles that operation. The folder is imported as a package
so that handler modules can share helpers through relative imports.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import importlib.machinery
import importlib.util
import inspect
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

from connexion.resolver import Resolver

from ..contract.resources import Action, Owners
from ..contract.spec import Operation, Spec, derived_operation_id
from ..data.fixtures import where
from ..pipeline.negotiation import documents_success, success_status
from ..pipeline.problems import NotImplementedByMock
from .crud import CrudHandlers
from .generic import documented_response, honouring_prefer
from .responses import BodyMaker, ErrorShaper

Handler = Callable[..., Any]


class HandlerError(Exception):
    """A handler module that cannot be imported; the message names its file and line."""


def import_handler_module(package: ModuleType, path: Path) -> ModuleType:
    try:
        return importlib.import_module(f"{package.__name__}.{path.stem}")
    except Exception as exc:
        raise HandlerError(f"{path}: cannot be imported: {where(exc, path.name)}") from exc


def import_package(folder: Path) -> ModuleType:
    """Import `folder` as a package under a name unique to its path."""
    name = "_ibl_mock_handlers_" + hashlib.sha1(str(folder.resolve()).encode()).hexdigest()[:12]
    if name in sys.modules:
        return sys.modules[name]
    init = folder / "__init__.py"
    if init.exists():
        spec = importlib.util.spec_from_file_location(
            name, init, submodule_search_locations=[str(folder)]
        )
    else:  # a plain folder of modules: a package with no code of its own
        spec = importlib.machinery.ModuleSpec(name, None, is_package=True)
        spec.submodule_search_locations = [str(folder)]
    if spec is None:
        raise ImportError(f"cannot import handlers from {folder}")
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    if spec.loader is not None:
        try:
            spec.loader.exec_module(package)
        except Exception as exc:
            del sys.modules[name]
            raise HandlerError(f"{init}: cannot be imported: {where(exc, init.name)}") from exc
    return package


def load_handlers(folder: Path | None, operation_ids: Iterable[str]) -> dict[str, Handler]:
    if folder is None:
        return {}
    wanted = set(operation_ids)
    package = import_package(folder)
    found: dict[str, Handler] = {}
    for path in sorted(folder.glob("*.py")):
        if path.stem.startswith("_"):
            continue
        module = import_handler_module(package, path)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name in wanted and function.__module__ == module.__name__:
                found[name] = function
    return found


ACCESS_RULE = "authorize_request"


def load_access_rule(folder: Path | None) -> Handler | None:
    """The mock's `authorize_request(principal, operation_id, path_params)`, if it has one."""
    if folder is None:
        return None
    package = import_package(folder)
    for path in sorted(folder.glob("*.py")):
        if not path.stem.startswith("_"):
            module = import_handler_module(package, path)
            rule = getattr(module, ACCESS_RULE, None)
            if callable(rule):
                return rule  # type: ignore[no-any-return]
    return None


def not_implemented(operation_id: str, why: str = "") -> Handler:
    def handler(*_args: Any, **_kwargs: Any) -> Any:
        reason = f": {why}" if why else ""
        raise NotImplementedByMock(
            f"Operation '{operation_id}' is not served by this mock{reason}."
        )

    handler.__name__ = operation_id
    return handler


def handler_table(
    spec: Spec,
    written: dict[str, Handler],
    maker: BodyMaker,
    crud: CrudHandlers,
    actions: dict[str, Action],
    errors: ErrorShaper | None = None,
) -> dict[str, Handler]:
    """Every operation's handler: hand-written, else stateful for a recognised resource
    (`actions`, from `resources.recognise`), else answered from the spec; all of them
    yield to `Prefer`."""
    table: dict[str, Handler] = {}
    owners = Owners(actions)
    for operation_id, operation in spec.operations.items():
        generic = documented_response(spec, operation, maker, errors)
        own = written.get(operation_id)
        # An operation documenting no success answers only what it documents: no record
        # can be its answer (sendgrid's PATCH of a certificate lists errors alone).
        stateful = own is None and documents_success(
            spec.operation_object(operation).get("responses") or {}
        )
        if stateful and operation_id in actions:
            own = crud.handler(operation, actions[operation_id], generic)
        elif stateful and (owner := owners.of(operation.path)) is not None:
            own = crud.under_item(operation, owner, generic)
        success = success_content(spec, operation) if own is not None else None
        if own is None:
            table[operation_id] = generic
            continue
        insist = not spec.declares_header(operation, "accept")
        table[operation_id] = honouring_prefer(own, generic, success, insist)
    return table


def success_content(spec: Spec, operation: Operation) -> dict[str, Any]:
    """The media types of the operation's success response."""
    responses = spec.operation_object(operation).get("responses") or {}
    if not responses:
        return {}
    found: dict[str, Any] = spec.resolve(responses[success_status(responses)[0]]).get("content")
    return found or {}


def inline(handler: Handler) -> Handler:
    """`handler` as a coroutine function, run on the event loop: Connexion's ASGI app runs
    a plain function on a worker thread, two thread switches per request (a third of a
    list's time), for handlers that compute over the store and never wait long."""
    if inspect.iscoroutinefunction(handler):
        return handler

    @functools.wraps(handler)
    async def answer(*args: Any, **kwargs: Any) -> Any:
        return handler(*args, **kwargs)

    return answer


class HandlerResolver(Resolver):
    """Connexion resolver over a table built once at start; `on_loop`: the handlers run on
    the event loop (an ASGI app), else as they are (Flask calls them on its threads)."""

    def __init__(self, handlers: dict[str, Handler], on_loop: bool = False) -> None:
        super().__init__()
        self.handlers = {op: inline(h) for op, h in handlers.items()} if on_loop else handlers

    def resolve_operation_id(self, operation: Any) -> str:
        # Operations without an operationId get the same derived id as in `spec`.
        return str(operation.operation_id or derived_operation_id(operation.method, operation.path))

    def resolve_function_from_operation_id(self, operation_id: str) -> Handler:
        return self.handlers.get(operation_id) or not_implemented(operation_id)
