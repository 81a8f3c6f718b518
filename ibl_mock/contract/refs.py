"""Local JSON references (`#/components/schemas/X`) inside one loaded document."""

from __future__ import annotations

import urllib.parse
from typing import Any

MAX_CHAIN = 32  # a ref pointing at a ref ... stops here rather than looping forever


class RefError(Exception):
    """A `$ref` that does not resolve inside the document."""


def pointer_get(document: Any, ref: str) -> Any:
    return located(document, ref)[1]


def located(document: Any, ref: str) -> tuple[tuple[str | int, ...], Any]:
    """The node `ref` names, and the keys (list indices as ints) that lead to it."""
    if not ref.startswith("#"):
        raise RefError(f"not a local reference: {ref}")
    node = document
    keys: list[str | int] = []
    for raw in ref[1:].split("/")[1:] if ref != "#" else []:
        # A pointer in a URI fragment is percent-encoded (RFC 6901, 6): `~1%7Bid%7D` is
        # `/{id}`; a key that holds a `%` itself is found as written.
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part not in node:
            part = urllib.parse.unquote(part)
        if isinstance(node, dict) and part in node:
            node = node[part]
            keys.append(part)
        elif isinstance(node, list) and part.isascii() and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
            keys.append(int(part))
        else:
            raise RefError(f"unresolvable reference: {ref}")
    return tuple(keys), node


def deref(document: Any, node: Any) -> Any:
    """Follow `$ref` until a node without one; siblings of `$ref` are dropped (OAS 3.0)."""
    for _ in range(MAX_CHAIN):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return node
        node = pointer_get(document, node["$ref"])
    raise RefError("reference chain too long (a cycle?)")


ANNOTATIONS = frozenset({"description", "title", "example", "examples", "$comment", "deprecated"})


def both(first: Any, second: Any) -> Any:
    """One property schema holding the rules of two `allOf` parts that define it: either
    one where the other says nothing (`{}` or annotations only), else both."""
    if first == second or says_nothing(second):
        return first
    return second if says_nothing(first) else {"allOf": [first, second]}


def says_nothing(schema: Any) -> bool:
    return isinstance(schema, dict) and not set(schema) - ANNOTATIONS


def merged(document: Any, schema: Any) -> Any:
    """`schema` dereferenced, with `allOf` merged into one schema (properties and
    required united, a property several parts define held to all of them; other
    keywords: the first one seen wins)."""
    schema = deref(document, schema)
    if not (isinstance(schema, dict) and isinstance(schema.get("allOf"), list)):
        return schema
    result: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    for part in schema["allOf"]:
        part = merged(document, part)
        if not isinstance(part, dict):
            continue
        properties = dict(result.get("properties", {}))  # earlier parts keep their place
        for name, value in part.get("properties", {}).items():
            properties[name] = both(properties[name], value) if name in properties else value
        result["properties"] = properties
        result["required"] = sorted({*result.get("required", []), *part.get("required", [])})
        for key, value in part.items():
            result.setdefault(key, value)
    return result
