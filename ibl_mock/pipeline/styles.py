"""How OpenAPI lays parameter values out in text, taken apart before they are typed.

Query (and cookie) values: `form`, `spaceDelimited`, `pipeDelimited`, `deepObject`, and
objects exploded into parameters of their own; path and header values: `simple`, and
`label` and `matrix` in the path. A parameter described with JSON `content` is JSON text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from .coercion import MAX_DEPTH, Schemas, parameter_schema

DELIMITERS = {"form": ",", "simple": ",", "spaceDelimited": " ", "pipeDelimited": "|"}
DEFAULT_STYLE = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}


def is_json_content(param: dict[str, Any]) -> bool:
    """A parameter whose `content` is JSON: its value is JSON text, decoded before typing."""
    content = param.get("content")
    return isinstance(content, dict) and any("json" in str(media) for media in content)


def style_of(param: dict[str, Any]) -> tuple[str, bool]:
    """(style, explode), OpenAPI's defaults filled in."""
    style = str(param.get("style") or DEFAULT_STYLE.get(str(param.get("in")), "form"))
    explode = param.get("explode")
    return style, bool(style == "form" if explode is None else explode)


def pairs(parts: list[str], explode: bool, separator: str = "=") -> dict[str, str]:
    """`k=v` parts (exploded) or `k,v,k2,v2` parts as a mapping."""
    if explode:
        return dict(part.partition(separator)[::2] for part in parts)
    return dict(zip(parts[::2], parts[1::2], strict=False))


def split(text: str, delimiter: str) -> list[str]:
    return text.split(delimiter) if text else []


def serialised(values: list[str], param: dict[str, Any], schemas: Schemas) -> Any:
    """A query or cookie parameter's values (one per occurrence) laid out as its style says."""
    schema = parameter_schema(param)
    if is_json_content(param):
        return decoded(values[-1])
    style, explode = style_of(param)
    shape = schemas.shape(schema)
    if values[-1] == "null" and "null" in schemas.kinds(schema):
        return values[-1]  # a nullable array or object sent as null: not split
    if shape == "array" or (explode and len(values) > 1 and "array" in schemas.kinds(schema)):
        return values if explode else split(values[-1], DELIMITERS.get(style, ","))
    if shape == "object" and style != "deepObject":
        parts = split(values[-1], DELIMITERS.get(style, ","))
        return pairs(parts, explode=False)
    return values[-1]


def decoded(text: str) -> Any:
    """JSON text decoded; text that is not JSON stays text (and fails validation)."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return text


def simple(text: str, param: dict[str, Any], schemas: Schemas) -> Any:
    """A path or header value in `simple` style (also `label` and `matrix` in the path)."""
    if is_json_content(param):
        return decoded(text)
    style, explode = style_of(param)
    name = str(param.get("name"))
    delimiter = ","
    if style == "label" and text.startswith("."):
        text, delimiter = text[1:], ("." if explode else ",")
    elif style == "matrix" and text.startswith(";"):
        text, delimiter = matrix(text, name, explode)
    schema = parameter_schema(param)
    shape = schemas.shape(schema)
    if text == "null" and "null" in schemas.kinds(schema):
        return text
    if shape == "array":
        parts = split(text, delimiter)
        return [p.removeprefix(f"{name}=") for p in parts] if style == "matrix" else parts
    if shape == "object":
        return pairs(split(text, delimiter), explode)
    return text


def matrix(text: str, name: str, explode: bool) -> tuple[str, str]:
    """`;id=5` -> `5`; exploded arrays and objects keep their `;` separated parts."""
    body = text[1:]
    if explode:
        return body, ";"
    return body.removeprefix(f"{name}="), ","


def deep_object(name: str, query: dict[str, list[str]]) -> dict[str, Any] | None:
    """`name[a]=1&name[b][c]=2` as {"a": "1", "b": {"c": "2"}}; None if none is sent."""
    found: dict[str, Any] = {}
    for key, values in query.items():
        if not key.startswith(name + "["):
            continue
        path = re.findall(r"\[([^\[\]]*)\]", key[len(name) :])
        if len(path) > MAX_DEPTH:
            continue  # nesting no schema describes: not followed (nor recursed into)
        node = found
        for step in path[:-1]:
            child = node.get(step)
            node = node.setdefault(step, {}) if not isinstance(child, dict) else child
            if not isinstance(node, dict):
                break
        else:
            if path:
                node[path[-1]] = values[-1]
    return found or None


# `Options[Field]` or `Options.Field`: a key naming a part of the property `Options`
NESTED_KEY = re.compile(r"(?P<outer>[^\[.]+)(?:\[(?P<part>[^\]]*)\](?P<rest>.*)|\.(?P<dotted>.+))")


def exploded_object(
    param: dict[str, Any], query: dict[str, list[str]], taken: Iterable[str], schemas: Schemas
) -> dict[str, Any] | None:
    """A form-exploded object's properties, sent as query parameters of their own; an
    array property as every value sent for it (`?Types=a&Types=b`; `?Types=` for none).
    A key another parameter is named after (`?type=` beside an object with a `type`) is
    that parameter's, unless the object requires it: no client can tell them apart."""
    schema = parameter_schema(param)
    names = schemas.names(schema) - (set(taken) - schemas.required(schema))
    free = schemas.open_object(schema)
    found: dict[str, Any] = {}

    def holds_objects(outer: str) -> bool:  # an open object's entries: objects themselves?
        return (
            free and outer not in taken and schemas.shape(schemas.member(schema, outer)) == "object"
        )

    for key, values in query.items():
        inner = NESTED_KEY.match(key) if key not in names else None
        if inner and (inner["outer"] in names or holds_objects(inner["outer"])):
            # `Options[Field]=a`, `Options.Field=a`: an object inside, which OpenAPI gives no
            # layout; its parts as sent (a map of objects, SQS' `MessageAttribute`, alike)
            nested = found.setdefault(inner["outer"], {})
            part = inner["dotted"] if inner["part"] is None else inner["part"] + inner["rest"]
            if isinstance(nested, dict):
                nested[part] = values[-1]
        elif key in names or (free and key not in taken):
            if schemas.shape(schemas.member(schema, key)) != "array":
                found[key] = values[-1]
            else:
                found[key] = [] if values == [""] else values
    return found or None


def exploded_properties(parameter: dict[str, Any]) -> dict[str, Any]:
    """The properties of a query object sent exploded (a key per property)."""
    schema = parameter_schema(parameter) if "content" not in parameter else None
    if parameter.get("in") != "query" or style_of(parameter) != ("form", True):
        return {}
    properties = schema.get("properties") if isinstance(schema, dict) else None
    return properties if isinstance(properties, dict) else {}


def shared_members(
    parameters: list[dict[str, Any]], lay: Callable[[Any], Any] = lambda schema: schema
) -> dict[str, list[Any]]:
    """Property names two exploded query objects both have, with each one's schema: a
    client sends both as one key (`?MinCapacity=` of RDS' ScalingConfiguration, an
    integer, and ServerlessV2ScalingConfiguration, a number), so no server can tell
    whose it is. Each schema as `lay` makes it (validation's layout)."""
    claimants: dict[str, list[Any]] = {}
    for parameter in parameters:
        for name, schema in exploded_properties(parameter).items():
            claimants.setdefault(name, []).append(lay(schema))
    return {name: found for name, found in claimants.items() if len(found) > 1}


def with_shared(schema: Any, shared: dict[str, list[Any]]) -> Any:
    """`schema` whose properties another exploded object shares take a value of either."""
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if not shared or not isinstance(properties, dict) or not shared.keys() & properties.keys():
        return schema
    either = {n: {"anyOf": shared[n]} if n in shared else v for n, v in properties.items()}
    return {**schema, "properties": either}
