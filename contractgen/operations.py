"""The client's `*Api` classes -> one `Operation` record per endpoint.

Each `_<op>_serialize` method is called with a sentinel per argument through a stub
`api_client` that records what `param_serialize` receives: the method, the path, where each
argument went (path, query, header, form, file or body, under which wire name), the auth
names, the collection formats and the Accept / Content-Type lists. What only the source
holds is read with `ast`: `_response_types_map` (in the public method) and the order in
which the serializer processes its arguments (the document's parameter order).
"""

from __future__ import annotations

import ast
import inspect
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic_core import PydanticUndefined

Location = Literal["path", "query", "header", "cookie", "form", "file", "body"]
# Arguments of every generated method that steer the client, not the request.
_CLIENT_ARGUMENTS = {"_request_auth": None, "_content_type": None, "_headers": None}
_HEADERS_SET_BY_CLIENT = {"Accept", "Content-Type"}
_DOC_TYPE = re.compile(r"^\s*:type (\w+): (.+?)\s*$", re.MULTILINE)
_PRIVATE_SUFFIXES = ("_with_http_info", "_without_preload_content")


class OperationReadError(RuntimeError):
    """An operation that cannot be read completely; never skipped silently."""


@dataclass(frozen=True)
class Parameter:
    python_name: str
    wire_name: str
    location: Location
    required: bool
    annotation: Any
    default: Any = None
    collection_format: str | None = None
    doc_type: str | None = None  # `:type x: T` of the docstring; names enums hidden as Any


@dataclass
class Operation:
    api_class: str  # the first of `api_classes`, where it was read
    operation_id: str
    method: str
    path: str
    parameters: list[Parameter] = field(default_factory=list)
    accepts: list[str] = field(default_factory=list)
    content_types: list[str] = field(default_factory=list)
    auth: list[str] = field(default_factory=list)
    responses: dict[str, str | None] = field(default_factory=dict)
    ignored_collection_formats: dict[str, str] = field(default_factory=dict)
    # Every class holding it: the generator copies an operation of two tags into both.
    api_classes: list[str] = field(default_factory=list)

    def located(self, *locations: Location) -> list[Parameter]:
        return [p for p in self.parameters if p.location in locations]


class _Sentinel:
    """Stands in for one argument so that its destination can be recognised."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<argument {self.name}>"


class _RecordingClient:
    """Just enough of `ApiClient` for a `_serialize` method to run."""

    def __init__(self) -> None:
        self.accepts: list[str] = []
        self.content_types: list[str] = []
        self.call: dict[str, Any] | None = None

    def select_header_accept(self, accepts: list[str]) -> str | None:
        self.accepts = list(accepts)
        return accepts[0] if accepts else None

    def select_header_content_type(self, content_types: list[str]) -> str | None:
        self.content_types = list(content_types)
        return None  # no Content-Type header, so headers hold only real parameters

    def param_serialize(self, **arguments: Any) -> tuple[()]:
        self.call = arguments
        return ()


def read_operations(api_classes: list[type]) -> list[Operation]:
    operations = _merged_copies([op for cls in api_classes for op in read_api_class(cls)])
    _check_unique(operations)
    return operations


def _merged_copies(operations: list[Operation]) -> list[Operation]:
    """One operation per operationId: copies in other classes must be the same request."""
    first: dict[str, Operation] = {}
    for op in operations:
        kept = first.setdefault(op.operation_id, op)
        if kept is not op and not _same_request(kept, op):
            raise OperationReadError(
                f"operationId {op.operation_id} differs in {kept.api_class} and {op.api_class}"
            )
        kept.api_classes.append(op.api_class)
    return list(first.values())


def _same_request(a: Operation, b: Operation) -> bool:
    fields = ("method", "path", "accepts", "content_types", "auth", "responses")
    return all(getattr(a, f) == getattr(b, f) for f in fields) and [
        (p.wire_name, p.location, p.required) for p in a.parameters
    ] == [(p.wire_name, p.location, p.required) for p in b.parameters]


def read_api_class(cls: type) -> list[Operation]:
    return [read_operation(cls, name) for name in operation_names(cls)]


def operation_names(cls: type) -> list[str]:
    """The public operation methods, i.e. those with a `_<name>_serialize` twin."""
    names = []
    for name, _ in inspect.getmembers(cls, inspect.isfunction):
        if name.startswith("_") or name.endswith(_PRIVATE_SUFFIXES):
            continue
        if not hasattr(cls, f"_{name}_serialize"):
            raise OperationReadError(f"{cls.__name__}.{name} has no serializer")
        names.append(name)
    return names


def read_operation(cls: type, name: str) -> Operation:
    where = f"{cls.__name__}.{name}"
    public = getattr(cls, name)
    serializer = getattr(cls, f"_{name}_serialize")
    arguments = _request_arguments(serializer)
    recorder = _RecordingClient()
    sentinels = {arg: _Sentinel(arg) for arg in arguments}
    getattr(cls(recorder), f"_{name}_serialize")(**sentinels, **_CLIENT_ARGUMENTS, _host_index=0)
    if recorder.call is None:
        raise OperationReadError(f"{where}: the serializer did not call param_serialize")
    call = recorder.call
    placed = _placements(call, sentinels, where)
    syntax = _source_facts(cls, name)
    formats: dict[str, str] = dict(call.get("collection_formats") or {})
    operation = Operation(
        api_class=cls.__name__,
        operation_id=name,
        method=str(call["method"]).lower(),
        path=str(call["resource_path"]),
        accepts=recorder.accepts,
        content_types=recorder.content_types,
        auth=list(call.get("auth_settings") or []),
        responses=syntax.responses,
    )
    operation.parameters = _parameters(public, placed, formats, syntax.order, where)
    wire_names = {p.wire_name for p in operation.parameters if p.location != "body"}
    # e.g. `'VectorResult': ''` for a list body: the generator keys its entry by the item
    # type, which is no parameter at all.
    operation.ignored_collection_formats = {
        k: v for k, v in sorted(formats.items()) if k not in wire_names
    }
    _check_path(operation, where)
    return operation


def _request_arguments(serializer: Any) -> list[str]:
    names = [p for p in inspect.signature(serializer).parameters if p != "self"]
    return [n for n in names if not n.startswith("_")]


@dataclass(frozen=True)
class _Placement:
    location: Location
    wire_name: str


def _placements(
    call: dict[str, Any], sentinels: dict[str, _Sentinel], where: str
) -> dict[str, _Placement]:
    """Where each argument ended up in the `param_serialize` call."""
    found: dict[str, _Placement] = {}

    def place(value: Any, location: Location, wire_name: str) -> None:
        if not isinstance(value, _Sentinel):
            if location == "header" and wire_name in _HEADERS_SET_BY_CLIENT:
                return
            raise OperationReadError(f"{where}: unexpected {location} value {value!r}")
        if value.name in found:
            raise OperationReadError(f"{where}: {value.name} is sent twice")
        found[value.name] = _Placement(location, wire_name)

    for key, value in (call.get("path_params") or {}).items():
        place(value, "path", key)
    for key, value in call.get("query_params") or []:
        place(value, "query", key)
    for key, value in (call.get("header_params") or {}).items():
        place(value, "header", key)
    for key, value in call.get("post_params") or []:
        place(value, "form", key)
    for key, value in (call.get("files") or {}).items():
        place(value, "file", key)
    if call.get("body") is not None:
        place(call["body"], "body", "body")
    missing = sorted(set(sentinels) - set(found))
    if missing:
        raise OperationReadError(f"{where}: arguments {missing} are not sent anywhere")
    return found


def _parameters(
    public: Any,
    placed: dict[str, _Placement],
    formats: dict[str, str],
    order: list[str],
    where: str,
) -> list[Parameter]:
    hints = typing.get_type_hints(public, include_extras=True)
    signature = inspect.signature(public)
    doc_types = dict(_DOC_TYPE.findall(public.__doc__ or ""))
    rank = {name: i for i, name in enumerate(order)}
    parameters = []
    for python_name in sorted(placed, key=lambda n: rank.get(n, len(rank))):
        if python_name not in hints:
            raise OperationReadError(f"{where}: no type hint for {python_name}")
        placement = placed[python_name]
        default = signature.parameters[python_name].default
        parameters.append(
            Parameter(
                python_name=python_name,
                wire_name=placement.wire_name,
                location=placement.location,
                required=default is inspect.Parameter.empty,
                annotation=hints[python_name],
                default=None
                if default in (inspect.Parameter.empty, PydanticUndefined)
                else default,
                collection_format=formats.get(placement.wire_name) or None,
                doc_type=doc_types.get(python_name),
            )
        )
    return parameters


def _check_path(operation: Operation, where: str) -> None:
    """Path parameters and the template's `{placeholders}` must match one to one."""
    template = set(re.findall(r"{([^}]+)}", operation.path))
    sent = {p.wire_name for p in operation.located("path")}
    if template != sent:
        raise OperationReadError(
            f"{where}: path {operation.path} has {sorted(template)} but sends {sorted(sent)}"
        )


def _check_unique(operations: list[Operation]) -> None:
    seen_ids: dict[str, str] = {}
    seen_routes: dict[tuple[str, str], str] = {}
    for op in operations:
        here = f"{op.api_class}.{op.operation_id}"
        if op.operation_id in seen_ids:
            raise OperationReadError(f"operationId {op.operation_id} twice: {here}")
        route = (op.path, op.method)
        if route in seen_routes:
            raise OperationReadError(f"{op.method} {op.path} twice: {seen_routes[route]}, {here}")
        seen_ids[op.operation_id] = here
        seen_routes[route] = here


@dataclass(frozen=True)
class _SyntaxFacts:
    responses: dict[str, str | None]
    order: list[str]  # arguments in the order the serializer first uses them


def _source_facts(cls: type, name: str) -> _SyntaxFacts:
    path = inspect.getsourcefile(cls)
    if path is None:
        raise OperationReadError(f"no source for {cls.__name__}")
    methods = _methods_in(path, cls.__name__)
    where = f"{cls.__name__}.{name}"
    if name not in methods or f"_{name}_serialize" not in methods:
        raise OperationReadError(f"{where}: not found in {path}")
    return _SyntaxFacts(
        responses=_response_types(methods[name], where),
        order=_first_uses(methods[f"_{name}_serialize"]),
    )


@cache
def _methods_in(path: str, class_name: str) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            return {f.name: f for f in node.body if isinstance(f, ast.FunctionDef)}
    raise OperationReadError(f"class {class_name} not found in {path}")


def _response_types(method: ast.FunctionDef, where: str) -> dict[str, str | None]:
    for node in ast.walk(method):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == "_response_types_map"
            and node.value is not None
        ):
            mapping = ast.literal_eval(node.value)
            if not isinstance(mapping, dict):
                break
            return {str(status): kind for status, kind in mapping.items()}
    raise OperationReadError(f"{where}: no _response_types_map")


def _first_uses(serializer: ast.FunctionDef) -> list[str]:
    arguments = {a.arg for a in serializer.args.args}
    order: list[str] = []
    for name in _loads_in_source_order(serializer):
        if name in arguments and name not in order:
            order.append(name)
    return order


def _loads_in_source_order(function: ast.FunctionDef) -> Iterator[str]:
    names = [
        n for n in ast.walk(function) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    ]
    for node in sorted(names, key=lambda n: (n.lineno, n.col_offset)):
        yield node.id
