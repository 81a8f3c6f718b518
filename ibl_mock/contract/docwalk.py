"""Which parts of an OpenAPI document are structure, names or literal JSON.

Walkers of a document must not mistake literal JSON for structure: an example of a
JSON-Schema-describing API may hold `{"$ref": "#/definitions/x"}`, and a schema may have
a property named `$ref`, `example` or `default`. A small grammar of contexts tells them
apart: in a map of names (`properties`, `paths`, `responses`...) every key is a name;
`example`, `default`, `enum`, `const` and `x-` extensions hold literal JSON, never walked.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, Literal

from ..identity_cache import IdentityCache

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
Context = Literal["object", "names", "schema", "schemas", "examples", "example"]

LITERAL = frozenset({"example", "default", "enum", "const"})
# Maps of names to objects, outside schemas (`examples` is handled on its own: a map of
# Example Objects in media types and parameters, a list of literal values in 3.1 schemas).
NAME_MAPS = frozenset({
    "paths", "webhooks", "responses", "parameters", "requestBodies", "headers",
    "securitySchemes", "links", "callbacks", "pathItems", "content", "encoding",
    "variables", "mapping", "scopes",
})  # fmt: skip
SCHEMA_MAPS = frozenset({"properties", "patternProperties", "definitions", "$defs",
                         "dependentSchemas"})  # fmt: skip
SCHEMA_ONE = frozenset({
    "items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames",
    "unevaluatedItems", "unevaluatedProperties", "additionalItems", "contentSchema",
})  # fmt: skip
SCHEMA_LIST = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
SCHEMA_OBJECTS = frozenset({"discriminator", "xml", "externalDocs"})
# Maps of names: each of their values is an object of this context.
NAMED: dict[Context, Context] = {"names": "object", "schemas": "schema", "examples": "example"}


def child_context(context: Context, key: str, value: Any) -> Context | None:
    """The context of `value`, found under `key` in a node of `context`; None when it is
    literal JSON (or a name-to-string map) that holds no structure."""
    if context in NAMED:
        return NAMED[context]
    if key.startswith("x-") or key in LITERAL:
        return None
    if context == "example":
        return None if key == "value" else "object"
    if context == "schema":
        return schema_child(key, value)
    if key == "examples":
        return "examples" if isinstance(value, dict) else None
    if key == "schema":
        return "schema"
    if key == "schemas":
        return "schemas"
    return "names" if key in NAME_MAPS and isinstance(value, dict) else "object"


def schema_child(key: str, value: Any) -> Context | None:
    if key in SCHEMA_MAPS:
        return "schemas"
    if key in SCHEMA_ONE or key in SCHEMA_LIST:
        return "schema"  # a list of schemas: each item is walked as a schema
    if key in SCHEMA_OBJECTS:
        return "object"
    return None  # `examples`, `required`, annotations, unknown keywords: no structure


def walk(
    node: Any, context: Context = "object", parts: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], dict[str, Any], Context]]:
    """Every mapping of the document that is structure, with its location and context,
    parents before children, in the document's order; `$ref`s are not followed. A stack,
    not recursion: nested generators cost each node once per level above it."""
    stack: list[tuple[Any, Context, tuple[str, ...]]] = [(node, context, parts)]
    pop, push = stack.pop, stack.append
    while stack:
        node, context, parts = pop()
        if isinstance(node, list):
            for index in range(len(node) - 1, -1, -1):
                push((node[index], context, (*parts, str(index))))
            continue
        if not isinstance(node, dict):
            continue
        if context not in NAMED:
            yield parts, node, context
        children = []
        for key, value in node.items():
            if isinstance(value, dict | list):
                inner = child_context(context, str(key), value)
                if inner is not None:
                    children.append((value, inner, (*parts, str(key))))
        stack.extend(reversed(children))


Walked = list[tuple[tuple[str, ...], dict[str, Any], Context]]
_WALKED: IdentityCache[Walked] = IdentityCache(limit=2)
_SHARING = [0]  # how many `sharing_walks` blocks are open


@contextlib.contextmanager
def sharing_walks() -> Iterator[None]:
    """Within it, `walked` walks each document once for every check that asks (the checks
    of a start-up each go through every node: a fourth of their time on a large document,
    walking); after it, nothing is kept, so a document changed in place is walked anew."""
    _SHARING[0] += 1
    try:
        yield
    finally:
        _SHARING[0] -= 1
        if not _SHARING[0]:
            _WALKED.clear()


def walked(document: dict[str, Any]) -> Walked:
    """`walk(document)` as a list: made once per document within `sharing_walks`."""
    if not _SHARING[0]:
        return list(walk(document))
    return _WALKED.get(document, lambda: list(walk(document)))


def reference(node: dict[str, Any], context: Context) -> str | None:
    """The `$ref` of a node that is a reference; a map of names holding a `$ref` key
    (`properties` with a property named `$ref`) is not one."""
    if context in NAMED:
        return None
    ref = node.get("$ref")
    return ref if isinstance(ref, str) else None
