"""Connexion's URI parser replaced (its `uri_parser_class` option): path, query and form
values laid out by `styles` and typed by `coercion`, whatever their schemas look like.

Connexion has resolved every `$ref` of the document before a parser sees a parameter, so
the parser reads schemas without a document. Its parameter decorator then casts each path
and query value once more by `schema["type"]` (the same KeyError); the values are typed
already, so `scoped_patches.typed_or_cast` hands them on as they are.
"""

from __future__ import annotations

import copy
from typing import Any

from connexion.uri_parsing import OpenAPIURIParser

from ..identity_cache import IdentityCache
from .coercion import Schemas, parameter_schema
from .styles import (
    decoded,
    deep_object,
    exploded_object,
    is_json_content,
    serialised,
    shared_members,
    simple,
    style_of,
    with_shared,
)

Query = dict[str, list[str]]
Declared = dict[str, dict[str, dict[str, Any]]]  # place -> name -> parameter


def layout(param_defns: list[dict[str, Any]]) -> tuple[Declared, dict[str, list[Any]]]:
    """An operation's parameters by place and name, and the keys two exploded objects
    both take (`styles.shared_members`)."""
    declared: Declared = {}
    for param in param_defns:  # the first one wins: Connexion appends path-level ones
        place = declared.setdefault(str(param.get("in")), {})
        place.setdefault(str(param.get("name")), param)
    return declared, shared_members(param_defns)


_LAYOUTS: IdentityCache[tuple[Declared, dict[str, list[Any]]]] = IdentityCache(limit=20_000)


class SchemaURIParser(OpenAPIURIParser):
    """Reads every declared parameter by its style and schema; one the document does not
    declare is handed on as Connexion's parser would (the list of its values)."""

    schemas = Schemas()

    def __init__(self, param_defns: list[dict[str, Any]], body_defn: dict[str, Any]) -> None:
        super().__init__(param_defns, body_defn)
        # Connexion makes a parser twice per request, of an operation's same list.
        self.declared, self.shared = _LAYOUTS.get(param_defns, lambda: layout(param_defns))

    def of(self, where: str) -> dict[str, dict[str, Any]]:
        return self.declared.get(where, {})

    def resolve_query(self, query_data: Query) -> dict[str, Any]:
        declared = self.of("query")
        resolved: dict[str, Any] = {}
        claimed: set[str] = set()
        for name, param in declared.items():
            raw = self.raw_query(name, param, query_data, set(declared))
            if raw is None:
                continue
            value, used = raw
            claimed.update(used)
            if self.shared and isinstance(value, dict):
                schema = with_shared(parameter_schema(param), self.shared)
                resolved[name] = self.schemas.typed(value, schema)
            else:
                resolved[name] = self.typed(value, param)
        for key, values in query_data.items():
            if key not in claimed and key not in resolved:
                resolved[key] = values
        return resolved

    def raw_query(
        self, name: str, param: dict[str, Any], query: Query, declared: set[str]
    ) -> tuple[Any, set[str]] | None:
        """The parameter's value laid out by its style, and the query keys it took."""
        style, explode = style_of(param)
        if name in query:
            return serialised(query[name], param, self.schemas), {name}
        if is_json_content(param):
            return None  # JSON text under its own name, never laid out over other keys
        if style == "deepObject":
            found = deep_object(name, query)
            return (
                None if found is None else (found, {k for k in query if k.startswith(name + "[")})
            )
        if explode and style == "form" and self.schemas.shape(parameter_schema(param)) == "object":
            props = exploded_object(param, query, declared, self.schemas)
            return None if props is None else (props, set(props))
        return None

    def resolve_path(self, path_data: dict[str, Any]) -> dict[str, Any]:
        # Routes name `{item-id}` `item_id`: a parameter is found under either name.
        declared = {name.replace("-", "_"): p for name, p in self.of("path").items()}
        resolved: dict[str, Any] = {}
        for key, value in path_data.items():
            param = declared.get(key)
            if param is None or not isinstance(value, str):
                resolved[key] = value
            else:
                resolved[key] = self.typed(simple(value, param, self.schemas), param)
        return resolved

    def typed(self, value: Any, param: dict[str, Any]) -> Any:
        if is_json_content(param):
            return value  # JSON says its own types
        return self.schemas.typed(value, parameter_schema(param))

    multipart = False  # reading multipart bodies: structured parts are JSON

    def for_form(self, schema: dict[str, Any], multipart: bool = False) -> SchemaURIParser:
        """This parser reading form bodies of `schema`. Connexion builds the parser with the
        operation's first media type, which need not be the form's."""
        parser = copy.copy(self)
        if schema is not self._body_schema:
            parser._body_schema, parser._body_encoding = schema, {}
        parser.multipart = multipart
        return parser

    def resolve_form(self, form_data: dict[str, Any]) -> dict[str, Any]:
        """Form fields typed by the body schema's properties; a field with a JSON
        `contentType` (or an object, multipart's default) decoded; several values kept
        only for an array property."""
        return {key: self.form_field(key, values) for key, values in form_data.items()}

    def form_field(self, key: str, values: Any) -> Any:
        values = values if isinstance(values, list) else [values]
        member = self.schemas.member(self._body_schema or {}, key)
        encoding = self._body_encoding.get(key) or {}
        shape = self.schemas.shape(member)
        if "json" in str(encoding.get("contentType", "")) or shape == "object":
            return decoded(values[-1])
        if self.multipart and json_part(member, self.schemas):
            # An array of objects (or of arrays): one JSON part, or a JSON part per item.
            items = [decoded(value) for value in values]
            return items[0] if len(items) == 1 and isinstance(items[0], list) else items
        if shape == "array":
            field = {"in": "query", **encoding, "schema": member}
            return self.schemas.typed(serialised(values, field, self.schemas), member)
        return self.schemas.typed(values[-1], member)


def json_part(schema: Any, schemas: Schemas) -> bool:
    """Whether a multipart part of `schema` is JSON by OpenAPI's default: an object, or an
    array of objects or arrays (an array of scalars is sent a part per item, as text)."""
    shape = schemas.shape(schema)
    if shape == "object":
        return True
    items = schema.get("items") if isinstance(schema, dict) else None
    return shape == "array" and schemas.shape(items) in ("object", "array")
