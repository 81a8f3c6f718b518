"""Parameter text typed as its schema says, whatever the schema looks like.

Connexion types a parameter by `schema["type"]` and `schema["items"]["type"]`, a KeyError
(a 500) for items that are a `$ref`, an `anyOf` or a 3.1 type list, and for parameters
whose schema has no `type` of its own (`allOf`, `oneOf`, a bare `enum`, no schema at all,
`content` instead of `schema`). Here each piece of a value (laid out by `styles`) is typed
by trying every type its schema admits, alternatives in order. Text that fits none stays
text: validation then answers 400 naming the parameter, as for any other wrong value.
"""

from __future__ import annotations

import math
import re
from typing import Any

from ..contract.refs import MAX_CHAIN, RefError, pointer_get

NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
SCALAR_ORDER = ("null", "boolean", "integer", "number", "string")  # most particular first
NOTHING = object()  # a text that is not of the type tried
# Compositions are followed this deep: Connexion's resolved document holds cycles where a
# schema refers to itself (a filter of filters), which would recurse without end.
MAX_DEPTH = 16


def parameter_schema(param: dict[str, Any]) -> Any:
    """The schema of a parameter: its `schema`, else that of its `content`, else any."""
    if "schema" in param:
        return param["schema"]
    content = param.get("content")
    if isinstance(content, dict) and content:
        media = next(iter(content.values()))
        return media.get("schema", {}) if isinstance(media, dict) else {}
    return {}


class Schemas:
    """Reads schemas of one document: `$ref`s followed, compositions looked through."""

    def __init__(self, document: Any = None) -> None:
        self.document = document

    def deref(self, schema: Any) -> Any:
        """`schema` with its `$ref` chain followed; an unresolvable one admits anything."""
        for _ in range(MAX_CHAIN):
            if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
                return schema if isinstance(schema, dict) else {}
            try:
                schema = pointer_get(self.document, schema["$ref"])
            except RefError:
                return {}
        return {}

    def alternatives(self, schema: Any, depth: int = 0) -> list[dict[str, Any]]:
        """The schemas a value may fit: the branches of anyOf/oneOf, else the schema."""
        schema = self.deref(schema)
        branches = [*(schema.get("anyOf") or []), *(schema.get("oneOf") or [])]
        if not branches or depth > MAX_DEPTH:
            return [schema]
        return [leaf for branch in branches for leaf in self.alternatives(branch, depth + 1)]

    def kinds(self, schema: Any, depth: int = 0) -> list[str]:
        """The JSON types a schema admits, declared or implied by `enum`/`const`; [] for any."""
        schema = self.deref(schema)
        if depth > MAX_DEPTH:
            return []
        declared = schema.get("type")
        if isinstance(declared, str):
            found = [declared]
        elif isinstance(declared, list):
            found = [str(kind) for kind in declared]
        elif "enum" in schema or "const" in schema:
            values = schema.get("enum") or [schema.get("const")]
            found = [json_kind(value) for value in values]
        else:
            found = self.composed_kinds(schema, depth)
        if schema.get("nullable") is True and found:
            found.append("null")
        return list(dict.fromkeys(found))

    def composed_kinds(self, schema: dict[str, Any], depth: int) -> list[str]:
        parts = [self.kinds(part, depth + 1) for part in schema.get("allOf") or []]
        restricting = [kinds for kinds in parts if kinds]
        if restricting:  # allOf: only what every part admits
            return [kind for kind in restricting[0] if all(kind in k for k in restricting)]
        branches = [*(schema.get("anyOf") or []), *(schema.get("oneOf") or [])]
        found = [self.kinds(branch, depth + 1) for branch in branches]
        if not found or not all(found):
            return []  # a branch admitting anything admits anything
        return [kind for kinds in found for kind in kinds]

    def parts(self, schema: Any, depth: int = 0) -> list[dict[str, Any]]:
        """The schema and its allOf parts, flattened: where items and properties live."""
        schema = self.deref(schema)
        if depth > MAX_DEPTH:
            return [schema]
        nested = (self.parts(part, depth + 1) for part in schema.get("allOf") or [])
        return [schema, *(p for found in nested for p in found)]

    def items(self, schema: Any) -> Any:
        """The item schema of the array alternative of `schema`."""
        for alternative in self.alternatives(schema):
            for part in self.parts(alternative):
                if isinstance(part.get("items"), dict):
                    return part["items"]
        return {}

    def member(self, schema: Any, name: str) -> Any:
        """The schema of the property `name` of the object alternative of `schema`."""
        for alternative in self.alternatives(schema):
            for part in self.parts(alternative):
                properties = part.get("properties")
                if isinstance(properties, dict) and name in properties:
                    return properties[name]
        for alternative in self.alternatives(schema):
            for part in self.parts(alternative):
                extra = part.get("additionalProperties")
                if isinstance(extra, dict):
                    return extra
        return {}

    def names(self, schema: Any) -> set[str]:
        """Every declared property name of the object alternatives of `schema`."""
        return {
            name
            for alternative in self.alternatives(schema)
            for part in self.parts(alternative)
            for name in (part.get("properties") or {})
        }

    def required(self, schema: Any) -> set[str]:
        """Every property name an object alternative of `schema` requires."""
        return {
            str(name)
            for alternative in self.alternatives(schema)
            for part in self.parts(alternative)
            for name in (part.get("required") or [])
        }

    def open_object(self, schema: Any) -> bool:
        """Whether an object of `schema` takes properties it does not name."""
        parts = [p for a in self.alternatives(schema) for p in self.parts(a)]
        if any(p.get("additionalProperties") is False for p in parts):
            return False
        return any(p.get("additionalProperties") not in (None, False) for p in parts) or not any(
            p.get("properties") for p in parts
        )

    def typed(self, value: Any, schema: Any) -> Any:
        """`value` (text, a list of texts, a mapping of texts) typed as `schema` says."""
        if isinstance(value, list):
            item = self.items(schema)
            return [self.typed(part, item) for part in value]
        if isinstance(value, dict):
            return {key: self.typed(part, self.member(schema, key)) for key, part in value.items()}
        if not isinstance(value, str):
            return value  # typed already (a default, a Flask converter's int)
        for alternative in self.alternatives(schema):
            found = scalar(value, self.kinds(alternative))
            if found is not NOTHING:
                return found
        return value

    def shape(self, schema: Any) -> str:
        """ "array", "object" or "scalar": how a serialised value of `schema` is laid out.
        Only a schema admitting nothing but arrays (or objects), null aside, is split."""
        kinds = set(self.kinds(schema)) - {"null"}
        if kinds == {"array"}:
            return "array"
        if kinds == {"object"}:
            return "object"
        return "scalar"


def json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else "string"


def scalar(text: str, kinds: list[str]) -> Any:
    """`text` as the most particular of `kinds` it reads as; NOTHING if none. No kinds:
    any value, and text is one."""
    if not kinds:
        return text
    for kind in SCALAR_ORDER:
        if kind in kinds and (found := as_kind(text, kind)) is not NOTHING:
            return found
    return NOTHING


def as_kind(text: str, kind: str) -> Any:
    if kind == "string":
        return text
    if kind == "null":
        return None if text == "null" else NOTHING
    if kind == "boolean":
        lowered = text.lower()
        return lowered == "true" if lowered in ("true", "false") else NOTHING
    if not NUMBER.fullmatch(text):
        return NOTHING  # not "1_000", " 5", "inf", "٣": what int() and float() would take
    whole = text.lstrip("-").isdigit()
    try:
        number = int(text) if whole else float(text)
    except ValueError:  # more digits than Python converts (4,300)
        return NOTHING
    if kind == "integer" and not whole:
        # Past 2**53 clients write integers as floats (`1.5e+32`: JSON Schema's integer),
        # and a float holds no exact int there, so it stays the float it was written as.
        # Below, `5.0` is no integer a client meant: Django's int() refuses it, and so
        # does the mock (a one-item array of floats is sent so, too).
        if not (math.isfinite(number) and float(number).is_integer()) or abs(number) < 2**53:
            return NOTHING
        return number
    return number if isinstance(number, int) or math.isfinite(number) else NOTHING
