"""Repairs of schema keywords written in a wrong form, one function per keyword.

Real documents carry Swagger-2 habits (`required: true` on a property, `type: file`),
3.1 forms in 3.0 documents and the reverse, numbers written as strings, patterns for
another regex engine. The validators trip on them (a 500 for a request), so each is
served as its writer meant, or dropped where no meaning is sure. A repair says what it
did (the finding) and the changes it makes, relative to the schema holding the keyword.
`REPAIRS` maps a keyword to its repair; `malformed` walks the document with it.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .pruning import REMOVE

Parts = tuple[str, ...]
TYPES_30 = frozenset({"array", "boolean", "integer", "number", "object", "string"})
TYPES_31 = TYPES_30 | {"null"}
# Type names from other languages and from Swagger 2 -> (JSON Schema type, format or None).
TYPE_ALIASES: dict[str, tuple[str, str | None]] = {
    "file": ("string", "binary"),
    "int": ("integer", None),
    "long": ("integer", "int64"),
    "float": ("number", "float"),
    "double": ("number", "double"),
    "bool": ("boolean", None),
    "str": ("string", None),
}
# Annotations beside a 3.0 `$ref` are harmless (Swagger UI shows them): only assertions go.
ANNOTATIONS = frozenset({"description", "title", "example", "examples", "deprecated",
                         "externalDocs", "summary", "xml"})  # fmt: skip
BOUNDS = ("minimum", "maximum")  # any number
# Counts are non-negative integers; a fractional one is rounded to what it can mean.
COUNTS: dict[str, Callable[[float], float]] = {
    "minLength": math.ceil, "minItems": math.ceil, "minProperties": math.ceil,
    "maxLength": math.floor, "maxItems": math.floor, "maxProperties": math.floor,
}  # fmt: skip
ECMA_NAMED_GROUP = re.compile(r"\(\?<(?=[A-Za-z_])")  # `(?<name>`, not `(?<=` or `(?<!`


@dataclass(frozen=True)
class Scope:
    version: str  # "3.0" or "3.1"
    is_property: bool  # the schema is one of its parent's `properties`


@dataclass(frozen=True)
class Repair:
    keyword: Parts  # where the finding is said, relative to the schema
    reason: str | None  # None: the document is right, only the engine needs another spelling
    changes: dict[Parts, Any] = field(default_factory=dict)  # REMOVE or the new value


Repairer = Callable[[dict[str, Any], Scope], Iterator[Repair]]


def number(value: Any) -> int | float | None:
    """A finite number written as a number or a string; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return int(value) if float(value).is_integer() else value


def dropped(keyword: str, reason: str) -> Repair:
    return Repair((keyword,), f"{reason}: dropped", {(keyword,): REMOVE})


def served_as(keyword: str, reason: str, value: Any) -> Repair:
    return Repair((keyword,), f"{reason}: served as {value!r}", {(keyword,): value})


def bound(schema: dict[str, Any], scope: Scope, keyword: str = "minimum") -> Iterator[Repair]:
    written = schema[keyword]
    if isinstance(written, int | float) and not isinstance(written, bool):
        return
    value = number(written)
    yield (
        dropped(keyword, f"{keyword} {written!r} is not a number")
        if value is None
        else served_as(keyword, f"{keyword} {written!r} is not a number", value)
    )


def count(schema: dict[str, Any], scope: Scope, keyword: str) -> Iterator[Repair]:
    written = schema[keyword]
    if type(written) is int and written >= 0:
        return  # the usual case, first: most schemas are well formed
    value = number(written)
    if value is None or value < 0:
        yield dropped(keyword, f"{keyword} {written!r} is not a count")
    elif not (isinstance(written, int) and not isinstance(written, bool)):
        yield served_as(
            keyword, f"{keyword} {written!r} is not a count", int(COUNTS[keyword](value))
        )


def multiple_of(schema: dict[str, Any], scope: Scope) -> Iterator[Repair]:
    written = schema["multipleOf"]
    value = number(written)
    if value is None or value <= 0:
        yield dropped("multipleOf", f"multipleOf {written!r} is not a positive number")
    elif value != written or isinstance(written, str):
        yield served_as("multipleOf", f"multipleOf {written!r} is not a number", value)


def exclusive(schema: dict[str, Any], scope: Scope, keyword: str) -> Iterator[Repair]:
    """3.0 writes `exclusiveMinimum: true` beside `minimum`, 3.1 `exclusiveMinimum: 5`:
    either form in the other version is served as that version writes it."""
    written = schema[keyword]
    plain = "minimum" if keyword == "exclusiveMinimum" else "maximum"
    if scope.version == "3.0":
        if isinstance(written, bool):
            return
        value = number(written)
        if value is None:
            yield dropped(keyword, f"{keyword} {written!r} is neither a flag nor a number")
            return
        changes: dict[Parts, Any] = {(plain,): value, (keyword,): True}
        said = f"{keyword} {written!r} is the OpenAPI 3.1 form: served as {plain} {value!r}, "
        yield Repair((keyword,), said + f"{keyword} true", changes)
    elif isinstance(written, bool):
        limit = number(schema.get(plain))
        if not written or limit is None:
            yield dropped(keyword, f"{keyword} {written!r} is the OpenAPI 3.0 form")
            return
        changes = {(keyword,): limit, (plain,): REMOVE}
        said = f"{keyword} true is the OpenAPI 3.0 form: served as {keyword} {limit!r}"
        yield Repair((keyword,), said, changes)
    elif not isinstance(written, int | float) or isinstance(written, str):
        yield from bound(schema, scope, keyword)


def enum(schema: dict[str, Any], scope: Scope) -> Iterator[Repair]:
    written = schema["enum"]
    if isinstance(written, list):
        if not written:
            yield dropped("enum", "enum [] allows no value")
        elif (typed := enum_typed(written, schema.get("type"))) != written:
            kind = schema.get("type")
            said = f"enum {written!r} holds values that are not of type {kind}"
            yield served_as("enum", said, typed)
        elif schema.get("type") in ("array", "object") and not any(
            isinstance(v, list if schema["type"] == "array" else dict) for v in written
        ):  # the enum of the items, written beside them: no value is of the type
            yield dropped("enum", f"enum {written!r} holds no value of type {schema['type']}")
    elif isinstance(written, dict):
        yield dropped("enum", f"enum {written!r} is not a list")
    else:
        yield served_as("enum", f"enum {written!r} is not a list", [written])


def enum_typed(values: list[Any], kind: Any) -> list[Any]:
    """`values` written as `kind` where they plainly mean one (`type: string` with
    `enum: [10, 20]`, a schema no value fits, is `["10", "20"]`)."""
    if kind == "string":
        return [str(v) if number(v) is not None and not isinstance(v, str) else v for v in values]
    if kind in ("integer", "number"):
        return [number(v) if isinstance(v, str) and number(v) is not None else v for v in values]
    return values


def pattern(schema: dict[str, Any], scope: Scope) -> Iterator[Repair]:
    written = schema["pattern"]
    if not isinstance(written, str):
        yield dropped("pattern", f"pattern {written!r} is not a string")
        return
    problem = regex_problem(written)
    if problem is None:
        return
    translated = ECMA_NAMED_GROUP.sub("(?P<", written)
    if translated != written and regex_problem(translated) is None:
        # Right as OpenAPI has it (ECMA-262): no finding, only Python's spelling.
        yield Repair(("pattern",), None, {("pattern",): translated})
        return
    said = f"pattern {written!r} is not one Python's re reads ({problem}), not checked"
    yield dropped("pattern", said)


def regex_problem(text: str) -> str | None:
    try:
        re.compile(text)
    except (re.error, RecursionError, OverflowError) as exc:
        return str(exc)
    return None


def format_(schema: dict[str, Any], scope: Scope) -> Iterator[Repair]:
    # An unknown format is legal OpenAPI ("an open string-valued property"): only a
    # format that is not a string at all is wrong.
    if not isinstance(schema["format"], str):
        yield dropped("format", f"format {schema['format']!r} is not a string")


def type_(schema: dict[str, Any], scope: Scope) -> Iterator[Repair]:
    written = schema["type"]
    if isinstance(written, list):
        yield from type_list(schema, scope, written)
    elif isinstance(written, str) and written in (TYPES_31 if scope.version == "3.1" else TYPES_30):
        if written == "array" and "items" not in schema and scope.version == "3.0":
            yield Repair(("type",), "type array without items: any items served", {("items",): {}})
    elif isinstance(written, str) and written in TYPE_ALIASES:
        kind, form = TYPE_ALIASES[written]
        changes: dict[Parts, Any] = {("type",): kind}
        if form is not None and "format" not in schema:
            changes[("format",)] = form
        shown = kind + (f", format {form}" if ("format",) in changes else "")
        yield Repair(
            ("type",), f"type {written!r} is not a JSON Schema type: served as {shown}", changes
        )
    elif written == "null":  # 3.0 has no null type: nullable, and nothing else
        changes = {("type",): REMOVE, ("nullable",): True, ("enum",): [None]}
        yield Repair(("type",), "type 'null' is the OpenAPI 3.1 form: served as nullable", changes)
    else:
        yield unknown_type(written, scope)


def unknown_type(written: Any, scope: Scope) -> Repair:
    """A misspelt type (`intger`) is the type it nearly is; anything else names none."""
    types = sorted(TYPES_31 if scope.version == "3.1" else TYPES_30)
    said = f"{written!r} is not one of {types!r}"
    near = (
        difflib.get_close_matches(written, types, n=1, cutoff=0.8)
        if isinstance(written, str)
        else []
    )
    if not near:
        return dropped("type", said)
    return Repair(("type",), f"{said}: served as {near[0]!r}, the nearest", {("type",): near[0]})


def type_list(schema: dict[str, Any], scope: Scope, written: list[Any]) -> Iterator[Repair]:
    names = [TYPE_ALIASES.get(t, (t, None))[0] if isinstance(t, str) else t for t in written]
    known = [t for t in dict.fromkeys(names) if isinstance(t, str) and t in TYPES_31]
    if scope.version == "3.1":
        if known != written:
            yield served_as("type", f"type {written!r} names what is not a type", known or REMOVE)
        return
    real = [t for t in known if t != "null"]
    changes: dict[Parts, Any] = {("type",): real[0] if len(real) == 1 else REMOVE}
    if "null" in known:
        changes[("nullable",)] = True
    if len(real) > 1 and "anyOf" not in schema:
        changes[("anyOf",)] = [{"type": t} for t in real]
    said = f"type {written!r} is the OpenAPI 3.1 form"
    shown = ", ".join([*(["type " + real[0]] if len(real) == 1 else []),
                       *(["anyOf of its types"] if ("anyOf",) in changes else []),
                       *(["nullable"] if "null" in known else [])])  # fmt: skip
    yield Repair(("type",), f"{said}: served as {shown or 'any type'}", changes)


def nullable(schema: dict[str, Any], scope: Scope) -> Iterator[Repair]:
    written = schema["nullable"]
    if scope.version == "3.0":
        if not isinstance(written, bool):
            yield served_as(
                "nullable", f"nullable {written!r} is not a flag", written in ("true", 1)
            )
        return
    declared = schema.get("type")
    changes: dict[Parts, Any] = {("nullable",): REMOVE}
    if written is True and isinstance(declared, str | list):
        types = [declared] if isinstance(declared, str) else list(declared)
        changes[("type",)] = types if "null" in types else [*types, "null"]
    said = "nullable is not an OpenAPI 3.1 keyword"
    shown = f"type {changes[('type',)]!r}" if ("type",) in changes else "nothing"
    yield Repair(("nullable",), f"{said}: served as {shown}", changes)
