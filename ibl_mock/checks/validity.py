"""What openapi-spec-validator finds wrong with a document: every error, located.

Two passes, as the library makes them: the document against the OpenAPI schema
(structure), then its keyword validators (duplicate operationIds, unresolved path
parameters, schemas that are not valid JSON Schema...). The library stops at the first
error and points at `$` for the second pass; here each error carries the pointer of the
node it is about, through `$ref`s to where that node is written.

Defaults are checked by `examples` instead (with the examples, where the mock uses them),
so the library's own default check is switched off here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import jsonschema_rs
from jsonschema.exceptions import ValidationError, relevance
from jsonschema_path import SchemaPath
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator.schemas import (
    openapi_v30_schema_validator,
    openapi_v31_schema_validator,
    schema_v30,
    schema_v31,
)
from openapi_spec_validator.schemas.backend.jsonschema import create_validator
from openapi_spec_validator.validation import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.validation.exceptions import (
    DuplicateOperationIDError,
    ExtraParametersError,
)
from openapi_spec_validator.validation.keywords import KeywordValidator, OpenAPIV30SchemaValidator
from openapi_spec_validator.validation.registries import KeywordValidatorRegistry
from referencing.exceptions import Unresolvable

from ..contract.refs import RefError, pointer_get
from .diagnostics import Finding, one_line, parts_of, pointer

# version -> (the OpenAPI schema, a fast validator of it: jsonschema-rs where installed)
SCHEMAS: dict[str, tuple[Any, Any]] = {
    "3.0": (schema_v30, openapi_v30_schema_validator),
    "3.1": (schema_v31, openapi_v31_schema_validator),
}
SPEC_VALIDATORS: dict[str, Any] = {"3.0": OpenAPIV30SpecValidator, "3.1": OpenAPIV31SpecValidator}
UNCHECKED = "not checked further"
JSON_NAMES: dict[type, str] = {dict: "object", list: "array", str: "string"}
# Where, below the node a keyword validator was given, an error of this kind is.
ERROR_SUFFIX: dict[type[ValidationError], tuple[str, ...]] = {
    DuplicateOperationIDError: ("operationId",),
    ExtraParametersError: ("required",),
}


def conformance(
    document: dict[str, Any], version: str, pause: Callable[[], object] = lambda: None
) -> list[Finding]:
    """Every error of both passes. The second pass assumes a well-formed document: where
    the first found errors, what it trips on is theirs to say, not said again. `pause`
    is called before the first and at each node the second pass visits."""
    pause()
    found = structure(document, version)
    said = {f.pointer for f in found}
    for finding in keywords(document, version, pause):
        if not (found and (finding.pointer in said or finding.reason.startswith(UNCHECKED))):
            found.append(finding)
    return found


def structure(document: dict[str, Any], version: str) -> list[Finding]:
    """Errors against the OpenAPI schema. The fast validator (jsonschema-rs, where
    installed) finds them in milliseconds even in 10 MiB, but says little; Python's
    jsonschema, run again on each failing node only, says what is wrong there."""
    schema, fast = SCHEMAS[version]
    detailed = create_validator(schema)
    try:
        errors = list(fast.iter_errors(document))
    except (ValueError, TypeError):  # data JSON lacks (YAML's !!binary, !!set): Python's way
        fast = detailed
        errors = list(fast.iter_errors(document))
    if not errors:
        return []
    if not hasattr(fast, "_rs_validator"):  # Python's already: errors with their context
        return [as_finding(deepest(error)) for error in errors]
    found: list[Finding] = []
    for error in errors:
        found.extend(explained(detailed, schema, document, error))
    return found


def explained(detailed: Any, schema: Any, document: Any, error: Any) -> Iterator[Finding]:
    """A fast validator's error, said again by Python's jsonschema from the same rule."""
    where = tuple(str(p) for p in error.path)
    keyword = tuple(str(p) for p in error.schema_path)
    rule = node_at(schema, keyword[:-1])  # the schema holding the failing keyword
    instance = node_at(document, where)
    inner = []
    if rule is not MISSING and instance is not MISSING:
        inner = list(detailed.evolve(schema=rule).iter_errors(instance))
    if not inner:  # the rule not found, or the two validators disagree: the fast one's words
        yield Finding(pointer(where), reason(error))
    for found in map(deepest, inner):
        yield Finding(pointer((*where, *map(str, found.absolute_path))), reason(found))


MISSING = object()


def node_at(node: Any, parts: tuple[str, ...]) -> Any:
    for part in parts:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return MISSING
    return node


def deepest(error: ValidationError) -> ValidationError:
    """The error that says what is wrong: into `oneOf`/`anyOf`, the branch the writer
    meant (the one failing deepest, and not "Reference" when the node is no `$ref`)."""
    while error.context:
        branches: dict[Any, list[ValidationError]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        meant = [b for b in branches.values() if not wants_reference(b)] or list(branches.values())
        choices = [choice_in(b) for b in meant]
        if len(meant) > 1 and all(c is not None and same_place(c, choices[0]) for c in choices):
            return none_of([c for c in choices if c is not None])
        branch: list[ValidationError] = max(meant, key=branch_weight)
        error = max(branch, key=relevance)
    return error


def branch_weight(errors: list[ValidationError]) -> tuple[bool, int, int]:
    """A branch the writer meant: not refused for a value chosen among others (`in:
    query` when the parameter is a path one), failing deep, failing little."""
    chose = any(e.validator in ("enum", "const") for e in errors)
    return (not chose, max(len(e.absolute_path) for e in errors), -len(errors))


def wants_reference(errors: list[ValidationError]) -> bool:
    return any(e.validator == "required" and "'$ref'" in e.message for e in errors)


def choice_in(errors: list[ValidationError]) -> ValidationError | None:
    """The branch's refusal of a value for being none of its choices (`in: query`)."""
    return next((e for e in errors if e.validator in ("enum", "const")), None)


def same_place(error: ValidationError, other: ValidationError | None) -> bool:
    return other is not None and error.absolute_path == other.absolute_path


def none_of(refusals: list[ValidationError]) -> ValidationError:
    """One error for a value every branch refuses: none of all their choices."""
    choices: list[Any] = []
    for error in refusals:
        values = error.validator_value if error.validator == "enum" else [error.validator_value]
        choices += [v for v in values if v not in choices]
    first = refusals[0]
    return ValidationError(
        f"{first.instance!r} is not one of {choices!r}", path=first.absolute_path
    )


def as_finding(error: ValidationError) -> Finding:
    return Finding(pointer(error.absolute_path), reason(error))


def reason(error: ValidationError) -> str:
    """The message, without quoting a large value whole."""
    message = str(error.message)
    quoted = repr(error.instance)
    if len(quoted) > 60 and message.startswith(quoted):
        kind = JSON_NAMES.get(type(error.instance), "value")
        message = f"this {kind}{message[len(quoted) :]}"
    return one_line(message)


def keywords(
    document: dict[str, Any], version: str, pause: Callable[[], object] = lambda: None
) -> Iterator[Finding]:
    checker = SPEC_VALIDATORS[version](document)
    classes = {name: located(cls, pause) for name, cls in checker.keyword_validators.items()}
    classes["default"] = NoDefaults
    if version == "3.0":
        classes["schema"] = located(QuickMetaSchemaValidator, pause)
    root: Any = KeywordValidatorRegistry(classes)["__root__"]
    for item in root(checker.schema_path):
        parts = written_at(document, item[0])
        yield Finding(pointer(parts), item[1])


FAST_META = jsonschema_rs.validator_for(OAS30Validator.META_SCHEMA)  # 3.0 schemas' (draft 4)


class QuickMetaSchemaValidator(OpenAPIV30SchemaValidator):
    """The library checks each schema against the meta-schema with Python's jsonschema,
    half of a first start on a large document; jsonschema-rs says yes in microseconds,
    and only a schema it says no to is checked again the library's way, for its words."""

    def _validate_schema_meta(self, schema: SchemaPath, schema_value: Any) -> Any:
        try:
            if FAST_META.is_valid(schema_value):
                return None
        except (ValueError, TypeError):  # values JSON lacks: the library's way
            pass
        return super()._validate_schema_meta(schema, schema_value)


class NoDefaults(KeywordValidator):
    def __call__(self, schema: SchemaPath, value: Any) -> Iterator[ValidationError]:
        return iter(())


def located(cls: type[KeywordValidator], pause: Callable[[], object]) -> type[KeywordValidator]:
    """`cls` yielding (path, reason) pairs: its errors, at the node it was given;
    `pause` called first."""
    original: Callable[..., Iterator[Any]] = cls.__call__

    def call(self: KeywordValidator, *args: Any, **kwargs: Any) -> Iterator[Any]:
        pause()
        node = next((a for a in args if isinstance(a, SchemaPath)), None)
        where = tuple(str(p) for p in node.parts) if node is not None else ()
        try:
            for error in original(self, *args, **kwargs):
                if isinstance(error, tuple):  # said by a validator nested in this one
                    yield error
                else:
                    below = (*ERROR_SUFFIX.get(type(error), ()), *map(str, error.path))
                    yield (*where, *below), reason(error)
        except Unresolvable:
            return  # a dangling `$ref`: reported, with its place, by `servable`
        except Exception as exc:  # the library tripping on a malformed node
            yield where, one_line(f"{UNCHECKED} ({type(exc).__name__}: {exc})")

    return type(f"Located{cls.__name__}", (cls,), {"__call__": call})


def written_at(document: Any, parts: tuple[str, ...]) -> tuple[str, ...]:
    """Where the node at `parts` (a path that may pass through `$ref`s) is written."""
    node: Any = document
    where: tuple[str, ...] = ()
    for index, part in enumerate(parts):
        node, where = followed(document, node, where)
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return (*where, *parts[index:])
        where = (*where, part)
    return where


def followed(document: Any, node: Any, where: tuple[str, ...]) -> tuple[Any, tuple[str, ...]]:
    for _ in range(32):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not (isinstance(ref, str) and ref.startswith("#")):
            break
        try:
            node, where = pointer_get(document, ref), tuple(parts_of(ref[1:]))
        except RefError:
            break
    return node, where
