"""Resources recognised from a spec: collections (`/things/`) and items (`/things/{id}/`).

An operation becomes a stateful action when its path and method (or a DRF operationId
suffix) say what it does and the spec shows what a record looks like. Everything here is
worked out once at start; nothing touches HTTP or the store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Literal

from .refs import merged
from .spec import Operation, Spec

Kind = Literal["list", "create", "retrieve", "update", "partial_update", "destroy"]
SUFFIXES: tuple[Kind, ...] = ("partial_update", "list", "create", "retrieve", "update", "destroy")
BY_METHOD: dict[tuple[str, bool], Kind] = {
    ("get", False): "list",
    ("post", False): "create",
    ("get", True): "retrieve",
    ("put", True): "update",
    ("patch", True): "partial_update",
    ("delete", True): "destroy",
}
WHOLE_PARAM = re.compile(r"^\{([^{}]+)\}$")
PARAM = re.compile(r"\{([^{}]+)\}")
ENVELOPE_NAMES = ("data", "item", "result", "record", "resource")
COUNT_NAMES = ("count", "total", "total_count", "totalCount", "total_items", "totalItems")
ITEM_KINDS = ("retrieve", "update", "partial_update", "destroy")


@dataclass(frozen=True)
class ListShape:
    """Where a list response puts its records: a bare array, or a property of an object."""

    items: str | None  # None: the body is the array itself
    count: str | None = None
    next: str | None = None
    previous: str | None = None


@dataclass(frozen=True)
class Variants:
    """A record that is one of several schemas (`oneOf`/`anyOf`, maybe discriminated)."""

    options: tuple[Any, ...]  # the entries as written: their `$ref`s name their tags
    discriminator: dict[str, Any] | None = None


@dataclass(frozen=True)
class Resource:
    key: str  # the collection path, without trailing slash
    id_param: str | None  # the path parameter naming one record
    id_field: str | None  # the record property holding the same value
    scope: tuple[str, ...]  # parent path parameters (`/authors/{author_id}/books`)
    record: dict[str, Any]  # the record schema, dereferenced
    parent: Resource | None = None  # whose item path this collection hangs under
    id_schema: dict[str, Any] | None = None  # what new ids look like (the path's, if stricter)
    variants: Variants | None = None  # `record` is then the union of their properties


@dataclass(frozen=True)
class Action:
    kind: Kind
    resource: Resource
    shape: ListShape | None = None
    wrap: str | None = None  # the property a single record travels in (`{"data": {...}}`)
    # A shallow-nested view (`/events/{eventId}/sessions` of `/sessions/{id}`): its path,
    # the record field each of its parameters names, and the resource it hangs under.
    view: str | None = None
    fields: tuple[tuple[str, str], ...] = ()
    parent: Resource | None = None


def split_path(path: str) -> tuple[str, str | None]:
    """`/a/{x}/b/{id}/` -> (`/a/{x}/b`, `id`); a collection path gives (itself, None)."""
    trimmed = path.rstrip("/") or "/"
    head, _, last = trimmed.rpartition("/")
    found = WHOLE_PARAM.match(last)
    return (head, found.group(1)) if found else (trimmed, None)


def kind_of(operation: Operation, is_item: bool) -> Kind | None:
    for suffix in SUFFIXES:
        if operation.operation_id.endswith("_" + suffix):
            return suffix if (suffix in ITEM_KINDS) == is_item else None
    return BY_METHOD.get((operation.method, is_item))


def success_schema(spec: Spec, operation: Operation) -> Any:
    responses = spec.operation_object(operation).get("responses") or {}
    for key in sorted(responses):
        if key.startswith("2"):
            content = spec.resolve(responses[key]).get("content") or {}
            for media, body in content.items():
                if "json" in media and isinstance(body, dict) and "schema" in body:
                    return body["schema"]
    return None


def resolved(spec: Spec, schema: Any) -> dict[str, Any]:
    found = merged(spec.document, schema)
    return found if isinstance(found, dict) else {}


def list_shape(spec: Spec, schema: Any) -> tuple[ListShape, Any] | None:
    """The list's shape and its item schema, if the response holds a list at all."""
    body = resolved(spec, schema)
    if body.get("type") == "array" or ("items" in body and "properties" not in body):
        return ListShape(items=None), body.get("items")
    properties = body.get("properties") or {}
    arrays = [n for n, p in properties.items() if resolved(spec, p).get("type") == "array"]
    if not arrays:
        return None
    items = next((n for n in ("results", "data", "items") if n in arrays), arrays[0])
    count = next((n for n in COUNT_NAMES if n in properties), None)
    shape = ListShape(
        items=items,
        count=count,
        next="next" if "next" in properties else None,
        previous="previous" if "previous" in properties else None,
    )
    return shape, resolved(spec, properties[items]).get("items")


def unwrapped(spec: Spec, schema: Any, id_param: str | None) -> tuple[dict[str, Any], str | None]:
    """A single record's schema and the envelope property holding it, if it has one:
    `{"data": Vehicle}` gives (Vehicle, "data"); a plain record gives (record, None)."""
    body = resolved(spec, schema)
    properties = body.get("properties") or {}
    if id_field_of(body, id_param) is not None:
        return body, None
    named = [n for n in properties if n in ENVELOPE_NAMES]
    for name in named or (list(properties) if len(properties) == 1 else []):
        inner = resolved(spec, properties[name])
        if inner.get("properties") and id_field_of(inner, id_param) is not None:
            return inner, name
    return body, None


def union_of(spec: Spec, body: dict[str, Any]) -> tuple[dict[str, Any], Variants | None]:
    """A `oneOf`/`anyOf` record schema seen as one object holding every variant's
    properties (for fields, filters and ids), and its variants (for making records)."""
    options = body.get("oneOf") or body.get("anyOf")
    if body.get("properties") or not isinstance(options, list) or not options:
        return body, None
    properties: dict[str, Any] = {}
    for option in options:
        for name, schema in (resolved(spec, option).get("properties") or {}).items():
            properties.setdefault(name, schema)
    if not properties:
        return body, None
    discriminator = body.get("discriminator")
    view = {"type": "object", "properties": properties}
    return view, Variants(
        tuple(options), discriminator if isinstance(discriminator, dict) else None
    )


def id_schema_of(spec: Spec, operation: Operation, id_param: str) -> dict[str, Any] | None:
    """The schema of the item path's id parameter, when it says more than `string`."""
    item = spec.document["paths"][operation.path]
    # The operation's own first: they override the path's (OpenAPI's rule).
    declared = [*(item[operation.method].get("parameters") or []), *(item.get("parameters") or [])]
    for parameter in (spec.resolve(p) for p in declared):
        if parameter.get("in") == "path" and parameter.get("name") == id_param:
            schema = resolved(spec, parameter.get("schema"))
            strict = schema.get("type") == "string" and any(
                k in schema for k in ("pattern", "format", "enum", "maxLength")
            )
            return schema if strict else None
    return None


def id_field_of(record: dict[str, Any], id_param: str | None) -> str | None:
    properties = record.get("properties") or {}
    candidates = [id_param, "id", "uuid", "key", "slug"] if id_param else ["id", "uuid"]
    return next((c for c in candidates if c and c in properties), None)


def recognise(spec: Spec) -> dict[str, Action]:
    """operationId -> Action for every operation that reads or changes a resource."""
    by_collection: dict[str, list[tuple[Operation, Kind, str | None]]] = {}
    for operation in spec.operations.values():
        collection, id_param = split_path(operation.path)
        kind = kind_of(operation, id_param is not None)
        if kind is not None:
            by_collection.setdefault(collection, []).append((operation, kind, id_param))
    actions: dict[str, Action] = {}
    for collection, members in by_collection.items():
        actions.update(resource_actions(spec, collection, members))
    return with_parents(shallow_views(actions))


def template(path: str) -> str:
    """The path with its parameters unnamed: `/a/{x}/b` -> `/a/{}/b`."""
    return PARAM.sub("{}", path)


def field_for(param: str, properties: dict[str, Any]) -> str | None:
    """The record field a path parameter names: `eventId`, `event_id` or `event`."""
    snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", param).lower()
    candidates = (param, snake, snake.removesuffix("_id"), snake.removesuffix("id").rstrip("_"))
    return next((c for c in candidates if c and c in properties), None)


def shallow_views(actions: dict[str, Action]) -> dict[str, Action]:
    """Collections nested under a parent whose items live at the top (`POST
    /events/{eventId}/sessions`, then `GET /sessions/{sessionId}`) become views of the top
    resource: one store collection, filtered and filled by the parent's field."""
    resources = {a.resource.key: a.resource for a in actions.values()}
    tops = {r.key.rsplit("/", 1)[-1]: r for r in resources.values() if r.id_param and not r.scope}
    viewed: dict[str, Action] = {}
    for operation_id, action in actions.items():
        nested = action.resource
        top = tops.get(nested.key.rsplit("/", 1)[-1])
        if nested.id_param or not nested.scope or top is None or top.id_field != nested.id_field:
            viewed[operation_id] = action
            continue
        properties = top.record.get("properties") or {}
        fields = [(p, field_for(p, properties)) for p in nested.scope]
        if any(f is None for _, f in fields):
            viewed[operation_id] = action  # a parent the records do not name: kept apart
            continue
        pairs = tuple((p, str(f)) for p, f in fields)
        viewed[operation_id] = replace(action, resource=top, view=nested.key, fields=pairs)
    return viewed


class Owners:
    """The resource whose item path a path hangs under (`/orders/{id}/cancel`: orders),
    found by the path's own prefixes: a scan of every resource for every operation took
    a fifth of a second of the ibl API's start."""

    def __init__(self, actions: dict[str, Action]) -> None:
        self.items: dict[str, list[Resource]] = {}
        resources = {a.resource.key: a.resource for a in actions.values() if a.resource.id_param}
        for resource in resources.values():
            self.items.setdefault(template(resource.key) + "/{}", []).append(resource)

    def of(self, path: str) -> Resource | None:
        shape = template(path)
        under = [
            resource
            for end, char in enumerate(shape)
            if char == "/"
            for resource in self.items.get(shape[:end], ())
        ]
        return max(under, key=lambda r: len(r.key)) if under else None


def with_parents(actions: dict[str, Action]) -> dict[str, Action]:
    """Link each nested resource (or view) to the resource whose item path it hangs
    under, so that deleting `/animals/3` takes `/animals/3/vaccinations` with it."""
    resources = {a.resource.key: a.resource for a in actions.values()}
    items = {template(r.key) + "/{}": r for r in resources.values()}  # with item path or not

    def parent_of(key: str) -> Resource | None:
        shape = template(key)  # `/authors/{author_id}/books` hangs under `/authors/{id}`
        under = [path for path in items if shape.startswith(path + "/")]
        return items[max(under, key=len)] if under else None  # the nearest level

    linked: dict[str, Resource] = {}
    for key, resource in resources.items():
        parent = parent_of(key)
        linked[key] = replace(resource, parent=parent) if parent else resource
    return {
        op: replace(
            a,
            resource=linked[a.resource.key],
            parent=parent_of(a.view) if a.view else linked[a.resource.key].parent,
        )
        for op, a in actions.items()
    }


def resource_actions(
    spec: Spec, collection: str, members: list[tuple[Operation, Kind, str | None]]
) -> dict[str, Action]:
    kinds = {kind: op for op, kind, _ in members}
    id_param = next((p for _, _, p in members if p), None)
    if id_param is None and "list" not in kinds:
        return {}  # a lone POST under an item (`/orders/{id}/cancel`) is an action, not a resource
    shape_and_items = (
        list_shape(spec, success_schema(spec, kinds["list"])) if "list" in kinds else None
    )
    wraps: dict[str, str | None] = {}
    record: dict[str, Any] = {}
    for kind in ("retrieve", "create", "update", "partial_update"):
        if kind in kinds and (schema := success_schema(spec, kinds[kind])) is not None:
            found, wraps[kind] = unwrapped(spec, schema, id_param)
            record = record or found
    if not record and shape_and_items is not None:
        record = resolved(spec, shape_and_items[1])
    record, variants = union_of(spec, record)
    id_field = id_field_of(record, id_param)
    if not record.get("properties") or id_field is None:
        return {}  # no record shape or no identity: answered statelessly
    if resolved(spec, record["properties"][id_field]).get("type") in ("array", "object"):
        return {}  # an id no path segment can carry (Go's UUID as an array of bytes)
    if "list" in kinds and shape_and_items is None:
        kinds.pop("list")
    item_op = next((op for op, _, p in members if p), None)
    resource = Resource(
        collection, id_param, id_field, tuple(PARAM.findall(collection)), record,
        id_schema=id_schema_of(spec, item_op, id_param) if item_op and id_param else None,
        variants=variants,
    )  # fmt: skip
    shape = shape_and_items[0] if shape_and_items else None
    return {
        op.operation_id: Action(kind, resource, shape if kind == "list" else None, wraps.get(kind))
        for op, kind, _ in members
        if kind in kinds and kinds[kind] is op
    }
