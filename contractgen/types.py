"""Python annotations (as the openapi-generator client writes them) -> OpenAPI 3.0 schemas.

The client encodes every schema fact it keeps in its type hints: `StrictStr` is
`Annotated[str, Strict()]`, `Field(max_length=...)` becomes `MaxLen` metadata, `format: binary`
becomes `Union[StrictBytes, StrictStr, Tuple[StrictStr, StrictBytes]]`, and models/enums are
classes. This module turns such a hint back into the schema it came from.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import re
import types
import typing
import uuid
from collections.abc import Callable
from typing import Any

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic.types import Strict

Schema = dict[str, Any]

# Names a class as a component (and records that it was reached), or None if it is not one.
RefNamer = Callable[[type], str | None]

REF_PREFIX = "#/components/schemas/"

# Plain Python types with a direct OpenAPI spelling. bool before int: bool is an int subclass.
_SCALARS: dict[type, Schema] = {
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    float: {"type": "number"},
    decimal.Decimal: {"type": "number"},
    str: {"type": "string"},
    bytes: {"type": "string", "format": "binary"},
    bytearray: {"type": "string", "format": "binary"},
    datetime.datetime: {"type": "string", "format": "date-time"},
    datetime.date: {"type": "string", "format": "date"},
    uuid.UUID: {"type": "string", "format": "uuid"},
}

# The type names `_response_types_map` uses besides model names.
_TYPE_NAMES: dict[str, Schema] = {
    "str": {"type": "string"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "object": {},
    "bytearray": {"type": "string", "format": "binary"},
    "bytes": {"type": "string", "format": "binary"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "decimal": {"type": "number"},
}


class UnsupportedType(TypeError):
    """An annotation or type name this reader does not know how to express."""


def ref(name: str) -> Schema:
    return {"$ref": REF_PREFIX + name}


def with_facts(schema: Schema, facts: Schema) -> Schema:
    """Adds facts (nullable, readOnly, default...) to a schema. A `$ref`'s siblings are
    ignored in OpenAPI 3.0, so a reference is wrapped in `allOf` first."""
    if not facts:
        return schema
    if "$ref" in schema:
        return {"allOf": [schema], **facts}
    return {**schema, **facts}


def split_optional(annotation: Any) -> tuple[Any, bool]:
    """(the annotation without `None`, whether `None` was allowed), looking through an
    outer `Annotated` so that `Annotated[Optional[X], Field(...)]` counts as optional."""
    extras: tuple[Any, ...] = ()
    if typing.get_origin(annotation) is typing.Annotated:
        annotation, *rest = typing.get_args(annotation)
        extras = tuple(rest)
    if _is_union(annotation):
        members = [m for m in typing.get_args(annotation) if m is not type(None)]
        if len(members) < len(typing.get_args(annotation)):
            inner = members[0] if len(members) == 1 else typing.Union[tuple(members)]  # noqa: UP007
            return (typing.Annotated[(inner, *extras)] if extras else inner), True
    return (typing.Annotated[(annotation, *extras)] if extras else annotation), False


def schema_of(annotation: Any, refs: RefNamer) -> Schema:
    """The schema of a type hint; `None` members of a union become `nullable: true`."""
    base, constraints = _unwrap(annotation)
    schema = _base_schema(base, refs)
    return _constrain(schema, constraints)


def schema_of_type_name(text: str, refs: Callable[[str], Schema | None]) -> Schema:
    """The schema of a type as `_response_types_map` spells it: `Model`, `List[Model]`,
    `Dict[str, object]`, `str`, ... `refs` answers a model name with its `$ref`."""
    text = text.strip()
    generic = re.fullmatch(r"(List|Dict)\[(.*)\]", text)
    if generic:
        kind, inner = generic.groups()
        if kind == "List":
            return {"type": "array", "items": schema_of_type_name(inner, refs)}
        key, _, value = inner.partition(",")
        if key.strip() != "str":
            raise UnsupportedType(f"dictionary keys must be str: {text!r}")
        return {"type": "object", "additionalProperties": schema_of_type_name(value, refs)}
    if text in _TYPE_NAMES:
        return dict(_TYPE_NAMES[text])
    found = refs(text)
    if found is None:
        raise UnsupportedType(f"unknown response type {text!r}")
    return found


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def _unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """Peels `Annotated` layers: (the bare type, the constraint objects found)."""
    constraints: list[Any] = []
    while typing.get_origin(annotation) is typing.Annotated:
        annotation, *extras = typing.get_args(annotation)
        for extra in extras:
            constraints.extend(_flatten(extra))
    return annotation, constraints


def _flatten(extra: Any) -> list[Any]:
    # `Field(max_length=3)` inside `Annotated` is a FieldInfo holding MaxLen(3) etc.
    if isinstance(extra, FieldInfo):
        return list(extra.metadata)
    return [extra]


def _base_schema(base: Any, refs: RefNamer) -> Schema:
    if base is Any or base is object:
        return {}
    if base is type(None):
        return {"nullable": True}
    if isinstance(base, type) and base in _SCALARS:
        return dict(_SCALARS[base])
    if isinstance(base, type) and issubclass(base, BaseModel | enum.Enum):
        name = refs(base)
        if name is None:
            raise UnsupportedType(f"{base!r} is not a component of this client")
        return ref(name)
    origin = typing.get_origin(base)
    args = typing.get_args(base)
    if _is_union(base):
        return _union_schema(list(args), refs)
    if origin is typing.Literal:
        return _literal_schema(list(args))
    if origin in (list, set, frozenset):
        items = schema_of(args[0], refs) if args else {}
        array: Schema = {"type": "array", "items": items}
        if origin is not list:
            array["uniqueItems"] = True
        return array
    if origin is dict:
        value = schema_of(args[1], refs) if args else {}
        return {"type": "object", "additionalProperties": value}
    if base in (list, set):
        return {"type": "array", "items": {}}
    if base is dict:
        return {"type": "object", "additionalProperties": {}}
    raise UnsupportedType(f"no schema for {base!r}")


def _union_schema(members: list[Any], refs: RefNamer) -> Schema:
    nullable = type(None) in members
    members = [m for m in members if m is not type(None)]
    bare = [_unwrap(m)[0] for m in members]
    if _is_binary(bare):
        schema: Schema = {"type": "string", "format": "binary"}
    elif set(bare) <= {int, float} and float in bare:
        # `Union[StrictFloat, StrictInt]` is how the client writes `type: number`; both
        # members carry the same bounds, so the float member's are the schema's.
        schema = schema_of(members[bare.index(float)], refs)
    elif len(members) == 1:
        schema = schema_of(members[0], refs)
    else:
        schema = {"oneOf": [schema_of(m, refs) for m in members]}
    return with_facts(schema, {"nullable": True}) if nullable else schema


def _is_binary(bare: list[Any]) -> bool:
    """`format: binary` is spelled
    `Union[StrictBytes, StrictStr(, Tuple[StrictStr, StrictBytes])]`."""
    tuple_like = [b for b in bare if typing.get_origin(b) is tuple]
    rest = [b for b in bare if typing.get_origin(b) is not tuple]
    return bytes in rest and set(rest) <= {bytes, str, bytearray} and len(tuple_like) <= 1


def _literal_schema(values: list[Any]) -> Schema:
    kinds = {type(v) for v in values}
    schema: Schema = {"enum": values}
    if len(kinds) == 1:
        kind = kinds.pop()
        if kind in _SCALARS:
            schema = {**_SCALARS[kind], "enum": values}
    return schema


def _constrain(schema: Schema, constraints: list[Any]) -> Schema:
    """Applies annotated-types / pydantic metadata to a schema, naming each bound the way
    OpenAPI names it for that schema's type."""
    facts: Schema = {}
    kind = schema.get("type")
    for item in constraints:
        facts.update(_constraint_facts(item, kind))
    return with_facts(schema, facts)


def _constraint_facts(item: Any, kind: str | None) -> Schema:
    if isinstance(item, Strict):
        return {}  # strictness is Python-side only
    if isinstance(item, annotated_types.MaxLen):
        return {_length_key(kind, "max"): item.max_length}
    if isinstance(item, annotated_types.MinLen):
        return {_length_key(kind, "min"): item.min_length}
    if isinstance(item, annotated_types.Ge):
        return {"minimum": item.ge}
    if isinstance(item, annotated_types.Le):
        return {"maximum": item.le}
    if isinstance(item, annotated_types.Gt):
        return {"minimum": item.gt, "exclusiveMinimum": True}
    if isinstance(item, annotated_types.Lt):
        return {"maximum": item.lt, "exclusiveMaximum": True}
    if isinstance(item, annotated_types.MultipleOf):
        return {"multipleOf": item.multiple_of}
    pattern = getattr(item, "pattern", None)
    if isinstance(pattern, str):
        return {"pattern": pattern}
    if isinstance(pattern, re.Pattern):
        return {"pattern": pattern.pattern}
    if type(item).__name__ == "_PydanticGeneralMetadata":
        return {}  # e.g. allow_inf_nan, which has no OpenAPI spelling
    raise UnsupportedType(f"unknown constraint {item!r}")


def _length_key(kind: str | None, bound: str) -> str:
    if kind == "array":
        return f"{bound}Items"
    if kind == "object":
        return f"{bound}Properties"
    return f"{bound}Length"
