"""The vendor client's facts, plus the hand-written seed -> one OpenAPI 3.0 document.

Facts come from the client exactly (paths, operationIds, parameters and their types,
request bodies, response models by status, security); descriptions are left out. Two
things are the project's own, and written down in the README:

* the seed's operations (the reference page's), which replace the client's copy whole,
  and the seed's components, which win over the client's of the same name;
* the errors Django REST Framework answers on every such view, where the client leaves
  them out: 401 and 403 for an operation that needs a key, 404 where the path names
  something, 400 where the request carries input. A 4xx the client lists without a model
  gets the same `{"detail"}` body.
"""

from __future__ import annotations

import copy
import http
import re
from collections.abc import Iterable
from typing import Any

from .models import ModelIndex, component_schemas
from .operations import Operation, Parameter
from .types import Schema, schema_of, schema_of_type_name, split_optional

# The reference page's 21 tags; an operation whose path starts `/api/<tag>/` takes it.
REFERENCE_TAGS = (
    "ai-account",
    "ai-analytics",
    "ai-bot",
    "ai-finetuning",
    "ai-index",
    "ai-marketing",
    "ai-media",
    "ai-mentor",
    "ai-prompt",
    "career",
    "catalog",
    "core",
    "credentials",
    "features",
    "media",
    "notifications",
    "scim",
    "commerce",
    "recommendations",
    "reports",
    "skills",
)
METHOD_ORDER = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
JSON = "application/json"
# Shared error responses of the seed, by the status they answer.
ERROR_RESPONSES = {
    "400": "BadRequest",
    "401": "Unauthorized",
    "403": "Forbidden",
    "404": "NotFound",
}
GENERIC_ERROR = "ClientError"  # any other 4xx the client lists without a model
BODILESS = ("204", "304")


class DocumentError(ValueError):
    """The client and the seed cannot be put together as they are."""


def build_document(
    operations: list[Operation], index: ModelIndex, seed: dict[str, Any], version: str
) -> dict[str, Any]:
    seed = copy.deepcopy(seed)
    seeded = _seed_operations(seed)
    missing = sorted(set(seeded) - {op.operation_id for op in operations})
    if missing:
        raise DocumentError(f"seed operations the client does not have: {missing}")
    paths: dict[str, dict[str, Any]] = {}
    for op in sorted(operations, key=_route_order):
        item = paths.setdefault(op.path, {})
        if op.operation_id in seeded:
            path, method = seeded[op.operation_id]
            if (path, method) != (op.path, op.method):
                raise DocumentError(f"{op.operation_id}: seed has {method} {path}")
            item[op.method] = seed["paths"][path][method]
            for key, value in seed["paths"][path].items():
                if key not in METHOD_ORDER:
                    item.setdefault(key, value)
        else:
            item[op.method] = operation_object(op, index)
    components = seed.setdefault("components", {})
    schemas = component_schemas(index)
    schemas.update(components.get("schemas", {}))  # the seed's own wins
    components["schemas"] = dict(sorted(schemas.items()))
    components.setdefault("responses", {})[GENERIC_ERROR] = {
        "description": "The request was refused; `detail` says why.",
        "content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    _check_error_responses(components)
    return {
        "openapi": seed.get("openapi", "3.0.3"),
        "info": {**seed["info"], "version": version},
        "servers": seed["servers"],
        "tags": [{"name": t} for t in _all_tags(seed, paths)],
        "paths": paths,
        "components": _ordered_components(components),
    }


def _seed_operations(seed: dict[str, Any]) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for path, item in seed.get("paths", {}).items():
        for method, operation in item.items():
            if method in METHOD_ORDER:
                found[operation["operationId"]] = (path, method)
    return found


def _route_order(op: Operation) -> tuple[str, int]:
    return op.path, METHOD_ORDER.index(op.method)


def operation_object(op: Operation, index: ModelIndex) -> dict[str, Any]:
    found: dict[str, Any] = {"operationId": op.operation_id, "tags": tags_of(op)}
    if op.auth:
        found["security"] = [{name: []} for name in op.auth]
    parameters = [parameter_object(p, index) for p in op.located("path", "query", "header")]
    if parameters:
        found["parameters"] = parameters
    body = request_body(op, index)
    if body is not None:
        found["requestBody"] = body
    found["responses"] = responses_object(op, index, has_input=bool(parameters or body))
    return found


def tags_of(op: Operation) -> list[str]:
    """The reference page's tag where the path names one, else the client's grouping."""
    segment = re.match(r"^/api/([^/{}]+)/", op.path)
    if segment and segment.group(1) in REFERENCE_TAGS:
        return [segment.group(1)]
    return sorted({_class_tag(name) for name in op.api_classes or [op.api_class]})


def _class_tag(class_name: str) -> str:
    """`AiAnalyticsApi` -> `ai-analytics`, `FallbackLLMApi` -> `fallback-llm`."""
    stem = class_name.removesuffix("Api")
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z][a-z0-9]*", stem)
    return "-".join(w.lower() for w in words)


def parameter_object(p: Parameter, index: ModelIndex) -> dict[str, Any]:
    required = p.required or p.location == "path"
    found: dict[str, Any] = {"name": p.wire_name, "in": p.location, "required": required}
    schema = _value_schema(p.annotation, index)
    found["schema"] = schema
    if schema.get("type") == "array" and p.location == "query":
        # `multi` is form with explode (a key per item); `csv` is one key, comma-joined.
        found["explode"] = p.collection_format in (None, "multi")
    return found


def _value_schema(annotation: Any, index: ModelIndex) -> Schema:
    bare, _ = split_optional(annotation)  # Optional: may be left out, not nullable
    return schema_of(bare, index.name_of)


def request_body(op: Operation, index: ModelIndex) -> dict[str, Any] | None:
    body = op.located("body")
    fields = op.located("form", "file")
    if body and fields:
        raise DocumentError(f"{op.operation_id}: both a body and form fields")
    if body:
        schema = _value_schema(body[0].annotation, index)
        return _body(schema, op.content_types or [JSON], body[0].required)
    if fields:
        properties = {f.wire_name: _value_schema(f.annotation, index) for f in fields}
        form: Schema = {"type": "object", "properties": properties}
        required = sorted(f.wire_name for f in fields if f.required)
        if required:
            form["required"] = required
        types = op.content_types or ["multipart/form-data"]
        return _body(form, types, bool(required))
    return None


def _body(schema: Schema, media_types: Iterable[str], required: bool) -> dict[str, Any]:
    found: dict[str, Any] = {"content": {t: {"schema": schema} for t in media_types}}
    if required:
        found["required"] = True
    return found


def responses_object(op: Operation, index: ModelIndex, has_input: bool) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for status, type_name in op.responses.items():
        found[status] = _response(status, type_name, op, index)
    for status in _drf_errors(op, has_input):
        found.setdefault(status, _error_response(status, op))
    return dict(sorted(found.items()))


def _error_response(status: str, op: Operation) -> dict[str, Any]:
    """A shared `{"detail"}` error; inlined where the operation answers other media types
    too (SCIM's `application/scim+json`): DRF renders its errors as it negotiated."""
    if not op.accepts or op.accepts == [JSON]:
        name = ERROR_RESPONSES.get(status, GENERIC_ERROR)
        return {"$ref": f"#/components/responses/{name}"}
    error = {"$ref": "#/components/schemas/Error"}
    return {
        "description": f"{_reason(status)}: `detail` says why.",
        "content": {t: {"schema": error} for t in op.accepts},
    }


def _drf_errors(op: Operation, has_input: bool) -> list[str]:
    """The errors every DRF view of this kind answers, documented or not by the client."""
    statuses = []
    if has_input:
        statuses.append("400")
    if op.auth:
        statuses += ["401", "403"]
    if op.located("path"):
        statuses.append("404")
    return statuses


def _response(
    status: str, type_name: str | None, op: Operation, index: ModelIndex
) -> dict[str, Any]:
    if status in BODILESS:
        return {"description": _reason(status)}  # HTTP sends no body, whatever the client says
    if type_name is None:
        if status.startswith("4"):
            return _error_response(status, op)
        return {"description": _reason(status)}
    schema = schema_of_type_name(type_name, index.ref_to)
    media_types = op.accepts or [JSON]
    return {
        "description": _reason(status),
        "content": {t: {"schema": schema} for t in media_types},
    }


def _reason(status: str) -> str:
    try:
        return http.HTTPStatus(int(status)).phrase
    except ValueError:
        return f"Status {status}"


def _all_tags(seed: dict[str, Any], paths: dict[str, dict[str, Any]]) -> list[str]:
    """The reference page's tags in its order, then the client's others by name."""
    used = {
        tag
        for item in paths.values()
        for method, operation in item.items()
        if method in METHOD_ORDER
        for tag in operation.get("tags", [])
    }
    listed = [t["name"] for t in seed.get("tags", [])]
    return [t for t in listed if t in used] + sorted(used - set(listed))


def _check_error_responses(components: dict[str, Any]) -> None:
    needed = {*ERROR_RESPONSES.values(), GENERIC_ERROR}
    missing = sorted(needed - set(components.get("responses", {})))
    if missing:
        raise DocumentError(f"the seed lacks the error responses {missing}")


def _ordered_components(components: dict[str, Any]) -> dict[str, Any]:
    order = ("securitySchemes", "parameters", "responses", "schemas")
    return {k: components[k] for k in sorted(components, key=lambda k: (k not in order, k))}
