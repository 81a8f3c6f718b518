"""Examples and defaults that break their own schema: found, located, and left unused.

The schema wins. A media type's or parameter's `example`/`examples`, a schema's
`example`, `examples` (3.1) or `default` that does not fit the schema it belongs to is
named, and `spec` removes it from the document the mock serves, so that a body is made
from the schema in its place. Values are checked as the mock would send or receive them:
response examples by OpenAPI's read rules, request ones by its write rules, with formats,
by the validator of the document's own OpenAPI version.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import ValidationError, best_match
from openapi_schema_validator import (
    OAS30Validator,
    OAS30WriteValidator,
)

from ..contract.docwalk import walked
from ..contract.formats import OAS30_FORMATS, OAS31_FORMATS
from ..contract.refs import deref
from ..contract.strict import (
    StrictOAS30ReadValidator,
    StrictOAS31ReadValidator,
    StrictOAS31Validator,
)
from .diagnostics import Finding, one_line, pointer

Parts = tuple[str, ...]
RESPONSE_PARTS = frozenset({"responses", "headers"})  # where what is described is sent


class Checkers:
    """One validator per direction, rooted at the document so that `$ref`s resolve."""

    def __init__(self, document: dict[str, Any], version: str) -> None:
        if version == "3.1":
            plain = StrictOAS31Validator(document, format_checker=OAS31_FORMATS)
            read = StrictOAS31ReadValidator(document, format_checker=OAS31_FORMATS)
            self.by_direction = {"response": read, "request": plain, "schema": plain}
        else:
            self.by_direction = {
                "response": StrictOAS30ReadValidator(document, format_checker=OAS30_FORMATS),
                "request": OAS30WriteValidator(document, format_checker=OAS30_FORMATS),
                "schema": OAS30Validator(document, format_checker=OAS30_FORMATS),
            }

    def error(self, direction: str, schema: Any, value: Any) -> ValidationError | None:
        """Why `value` breaks `schema`, or None; a schema the validator cannot apply
        (an unknown type, a malformed keyword) is the OpenAPI check's to report."""
        try:
            checker = self.by_direction[direction].evolve(schema=schema)
            return best_match(checker.iter_errors(value))
        except Exception:
            return None


def breaking_values(document: dict[str, Any], version: str) -> list[Finding]:
    checkers = Checkers(document, version)
    found: list[Finding] = []
    for parts, node, context in walked(document):
        if context == "schema":
            found.extend(schema_values(checkers, parts, node))
        elif context == "object" and isinstance(node.get("schema"), dict | bool):
            found.extend(described_values(checkers, document, parts, node))
    return found


def schema_values(checkers: Checkers, parts: Parts, schema: dict[str, Any]) -> Iterator[Finding]:
    """A schema's own `default`, `example` and `examples` against the schema."""
    for key in ("default", "example"):
        if key in schema:
            where = (*parts, key)
            yield from judged(checkers, "schema", schema, schema[key], where, key, where)
    listed = schema.get("examples")
    if isinstance(listed, list):
        for index, value in enumerate(listed):
            where = (*parts, "examples", str(index))
            yield from judged(checkers, "schema", schema, value, where, "example", where)


def described_values(
    checkers: Checkers, document: dict[str, Any], parts: Parts, holder: dict[str, Any]
) -> Iterator[Finding]:
    """A media type's, parameter's or header's `example` and `examples` against its schema."""
    direction = "response" if RESPONSE_PARTS & set(parts) else "request"
    schema = holder["schema"]
    if "example" in holder:
        where = (*parts, "example")
        yield from judged(checkers, direction, schema, holder["example"], where, "example", where)
    named = holder.get("examples")
    for name, entry in named.items() if isinstance(named, dict) else ():
        try:
            example = deref(document, entry)
        except Exception:
            continue  # a dangling `$ref`: `servable` says so
        if not (isinstance(example, dict) and "value" in example):
            continue  # externalValue, or malformed: nothing the mock would serve
        where = (*parts, "examples", str(name))
        ref = entry.get("$ref") if isinstance(entry, dict) else None
        label = f"example {name!r}" + (f" ({ref})" if isinstance(ref, str) else "")
        written = None if isinstance(ref, str) else (*where, "value")
        yield from judged(checkers, direction, schema, example["value"], where, label, written)


def judged(
    checkers: Checkers,
    direction: str,
    schema: Any,
    value: Any,
    where: Parts,
    label: str,
    written: Parts | None,
) -> Iterator[Finding]:
    """A finding when `value` breaks `schema`, at its wrong part where the value is
    written here (`written`; None when it is a `$ref`'s target), the whole value at
    `where` left unused."""
    error = checkers.error(direction, schema, value)
    if error is None:
        return
    at = where if written is None else (*written, *map(str, error.absolute_path))
    yield Finding(
        pointer(at),
        one_line(f"{label} does not fit its schema, not used: {error.message}"),
        unused=pointer(where),
    )
