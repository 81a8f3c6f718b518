"""Quick verdicts on request bodies, before the lenient reader (pipeline/keywords.py).

The lenient reader is jsonschema in Python: on deep schemas (a form builder's
components, each holding components) one body cost tens of milliseconds, the larger part
of the server's time under a contract test. jsonschema-rs judges in microseconds, from
two translations of the schema Connexion resolved:

- `strict`: never more lenient than the reader (contract/quick_reader.py's reading, in
  the write direction: a read-only value may be sent, and is not asked for). What it
  accepts is accepted.
- `loose`: never stricter. Only keywords whose jsonschema-rs meaning takes all the reader
  takes are kept (type, properties, lengths, bounds, enum...); `oneOf` is read as
  `anyOf`, a discriminated choice and every other keyword (pattern, format, not,
  multipleOf...) is dropped, `nullable` admits null. What it refuses is refused, with
  its message.

Anything else (a body between the two, a schema jsonschema-rs cannot compile) goes to
the reader, as before. tests/test_quick_bodies.py checks both promises on real documents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jsonschema_rs
from jsonschema import FormatChecker

from ..contract.quick_reader import exclusive_bounds, format_checks, plain
from ..identity_cache import IdentityCache

# Keywords whose jsonschema-rs reading takes every value the reader takes, once the
# translation below has been applied.
LOOSE_KEYWORDS = frozenset(
    {
        "type", "properties", "required", "additionalProperties", "items", "enum",
        "minItems", "maxItems", "minLength", "maxLength", "minProperties", "maxProperties",
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "anyOf", "oneOf",
        "allOf", "$ref", "$defs",
    }
)  # fmt: skip
XOF = ("anyOf", "oneOf", "allOf")


@dataclass(frozen=True)
class Verdict:
    accepted: bool | None  # None: no quick verdict, ask the reader
    message: str = ""


UNKNOWN = Verdict(None)
ACCEPTED = Verdict(True)


# Where JSON Schema holds schemas: {name: schema}, [schema, ...], and a schema (`items`
# also a list of them, in older drafts).
SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SCHEMA_VALUES = (
    "items", "additionalProperties", "additionalItems", "not", "if", "then", "else",
    "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties",
)  # fmt: skip
MAX_DEPTH = 200  # a value nested deeper is no schema anyone wrote: no quick verdict


def acyclic(schema: Any) -> dict[str, Any]:
    """Connexion's resolved schema (a recursive one is a cyclic structure, and shared
    parts are one object) as JSON: every schema met twice becomes a `$defs` entry."""
    written, schema = schema, without_components(schema)
    shared = met_twice(schema)
    names: dict[int, str] = {id(schema): "#"}  # a cycle back to the root names the root
    defs: dict[str, Any] = {}

    def emit(node: Any, top: bool = False) -> Any:
        if not isinstance(node, dict):
            return copied(node, 0)
        if node is written and not top:
            return {"$ref": "#"}  # the root as written, `components` and all
        key = id(node)
        if key in shared and not top:
            if key not in names:
                name = f"n{len(defs)}"
                names[key] = f"#/$defs/{name}"
                defs[name] = {}  # placed first: a cycle back to it finds its name
                defs[name] = emit(node, top=True)
            return {"$ref": names[key]}
        out: dict[str, Any] = {}
        for word, value in node.items():
            if word in SCHEMA_MAPS and isinstance(value, dict):
                out[word] = {name: emit(sub) for name, sub in value.items()}
            elif word in SCHEMA_LISTS + SCHEMA_VALUES and isinstance(value, list):
                out[word] = [emit(sub) for sub in value]
            elif word in SCHEMA_VALUES:
                out[word] = emit(value)
            else:
                out[word] = copied(value, 0)
        return out

    root = emit(schema, top=True)
    if not isinstance(root, dict):
        root = {"allOf": [root]}
    if defs:
        root = {**root, "$defs": {**root.get("$defs", {}), **defs}}
    return root


def without_components(schema: Any) -> Any:
    """`schema` without the document's `components`, which Connexion sets beside every
    body schema it hands the validator (OpenAPIOperation.with_definitions) for `$ref`s
    its resolution has already followed: copied and translated, they cost a third of a
    second per operation on the ibl API (700,000 values), for nothing. Kept when a
    `$ref` is left that may point into them."""
    if not (isinstance(schema, dict) and "components" in schema):
        return schema
    rest = {word: value for word, value in schema.items() if word != "components"}
    return schema if refers(rest) else rest


def refers(schema: Any) -> bool:
    """Whether a `$ref` is left anywhere among `schema`'s subschemas."""
    seen: set[int] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        if "$ref" in node:
            return True
        stack.extend(subschemas(node))
    return False


def copied(value: Any, depth: int) -> Any:
    """A value that is not a schema (an enum member, an example), copied."""
    if depth > MAX_DEPTH:
        raise RecursionError("a value nested too deeply to be a schema's")
    if isinstance(value, dict):
        return {k: copied(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [copied(v, depth + 1) for v in value]
    return value


def met_twice(schema: Any) -> set[int]:
    """The ids of the schema objects reached twice: shared, or inside their own
    recursion (`Pet.friend` is a Pet, whose `properties` are Pet's own mapping)."""
    seen: set[int] = set()
    shared: set[int] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        if id(node) in seen:
            shared.add(id(node))
            continue
        seen.add(id(node))
        stack.extend(subschemas(node))
    return shared


def subschemas(node: dict[str, Any]) -> list[Any]:
    found: list[Any] = []
    for word, value in node.items():
        if word in SCHEMA_MAPS and isinstance(value, dict):
            found.extend(value.values())
        elif word in SCHEMA_LISTS + SCHEMA_VALUES and isinstance(value, list):
            found.extend(value)
        elif word in SCHEMA_VALUES:
            found.append(value)
    return found


def strict_form(node: Any, defs: dict[str, Any]) -> Any:
    """The write direction of the reader's strict reading: a read-only value may be sent
    (the reader judges it by the rest of its schema and the server ignores it), and is
    not asked for (the reader's `required` skips it)."""
    if isinstance(node, list):
        return [strict_form(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    out = {
        key: strict_form(value, defs)
        for key, value in node.items()
        if not (key == "readOnly" and isinstance(value, bool))  # not a property so named
    }
    if isinstance(node.get("required"), list):
        loosened_required(out, node, defs)
    return out


def loose_form(node: Any, defs: dict[str, Any]) -> Any:
    """A reading that takes every body the lenient reader takes (see the module's doc);
    `defs` are the `$defs` of `acyclic`, to see through its references."""
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key not in LOOSE_KEYWORDS:
            continue
        if key in SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: loose_form(sub, defs) for name, sub in value.items()}
        elif key in SCHEMA_LISTS and isinstance(value, list):
            out[key] = [loose_form(sub, defs) for sub in value]
        elif key in SCHEMA_VALUES and isinstance(value, dict | bool):
            out[key] = loose_form(value, defs)
        elif key in SCHEMA_VALUES:
            continue  # `items: [...]`, draft 4's tuples: not read as the reader reads them
        else:
            out[key] = value  # a value, not a schema: enum members are compared as written
    if "discriminator" in node:
        for keyword in XOF:
            out.pop(keyword, None)  # the reader may judge by the named schema alone
    if "oneOf" in out:
        out["anyOf"] = [*out.pop("anyOf", []), *out.pop("oneOf")]
    if "patternProperties" in node:
        out.pop("additionalProperties", None)  # what patterns admit is not extra
    loosened_required(out, node, defs)
    exclusive_bounds(out)
    if node.get("nullable") is True:
        admit_null(out)
    return out


def followed(node: Any, defs: dict[str, Any]) -> Any:
    ref = node.get("$ref") if isinstance(node, dict) else None
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return defs.get(ref[len("#/$defs/") :])
    return node


def loosened_required(out: dict[str, Any], node: dict[str, Any], defs: dict[str, Any]) -> None:
    """A read-only property is not asked of a client (OpenAPI 3.0's write rule)."""
    required, properties = node.get("required"), node.get("properties")
    if not isinstance(required, list):
        out.pop("required", None)
        return
    properties = properties if isinstance(properties, dict) else {}
    out["required"] = [
        name
        for name in required
        if isinstance(name, str) and not read_only(followed(properties.get(name), defs))
    ]


def read_only(schema: Any) -> bool:
    return isinstance(schema, dict) and bool(schema.get("readOnly"))


def admit_null(out: dict[str, Any]) -> None:
    declared = out.get("type")
    if isinstance(declared, str):
        out["type"] = [declared, "null"]
    if isinstance(out.get("enum"), list) and None not in out["enum"]:
        out["enum"] = [*out["enum"], None]
    choices = {keyword: out.pop(keyword) for keyword in XOF if keyword in out}
    if choices:
        out["anyOf"] = [{"type": "null"}, choices]


def compiled(schema: Any, formats: dict[str, Callable[[str], bool]] | None) -> Any:
    try:
        return jsonschema_rs.validator_for(
            schema, validate_formats=formats is not None, formats=formats or None
        )
    except Exception:  # a schema jsonschema-rs refuses: the reader alone judges
        return None


class QuickBodies:
    """Both readings of one request body schema, compiled once."""

    def __init__(self, schema: Any, formats: FormatChecker, legacy: bool) -> None:
        self.strict: Any = None
        self.loose: Any = None
        try:
            json_schema = acyclic(schema)
        except RecursionError:
            return  # a value too deep to copy: the reader alone judges
        defs = json_schema.get("$defs") or {}
        strict = plain(strict_form(json_schema, defs), legacy, reading=False)
        self.strict = compiled(strict, format_checks(formats))
        self.loose = compiled(loose_form(json_schema, defs), None)

    def verdict(self, body: Any) -> Verdict:
        try:
            if self.strict is not None and self.strict.is_valid(body):
                return ACCEPTED
            if self.loose is not None:
                error = next(iter(self.loose.iter_errors(body)), None)
                message = None if error is None else described(error)
                if message is not None:
                    return Verdict(False, message)
        except Exception:  # a value it cannot take (an integer past 64 bits)
            return UNKNOWN
        return UNKNOWN


def described(error: Any) -> str | None:
    """The error as the reader words it, where its kind is one the reader words alike,
    with Connexion's `- '<a.b.0>'`; None for any other kind (the reader then judges)."""
    message = worded(type(error.kind).__name__, error.kind.as_dict(), error.instance)
    if message is None:
        return None
    path = ".".join(str(part) for part in error.instance_path)
    return f"{message} - '{path}'" if path else message


def worded(kind: str, facts: dict[str, Any], instance: Any) -> str | None:
    """jsonschema's wording of an error of `kind` about `instance`."""
    limit = facts.get("limit")
    if kind == "Required":
        return f"{facts['property']!r} is a required property"
    if kind == "Type":
        if instance is None:
            return "None for not nullable"  # openapi-schema-validator's words
        named = [t for t in facts["types"] if t != "null"] or facts["types"]  # null: nullable's
        return f"{instance!r} is not of type {', '.join(repr(t) for t in named)}"
    if kind == "Enum":
        return f"{instance!r} is not one of {facts['options']!r}"
    if kind == "AdditionalProperties":
        extras = sorted(facts["unexpected"], key=str)
        verb = "was" if len(extras) == 1 else "were"
        listed = ", ".join(repr(extra) for extra in extras)
        return f"Additional properties are not allowed ({listed} {verb} unexpected)"
    if kind == "AnyOf":
        return f"{instance!r} is not valid under any of the given schemas"
    if kind in SIZES:
        few, many = SIZES[kind]
        fewest = 1 if kind.startswith("Min") else 0
        return f"{instance!r} {few if limit == fewest else many}"
    if kind in BOUNDS:
        return f"{instance!r} {BOUNDS[kind]} {limit!r}"
    return None


SIZES = {  # kind: (wording at the smallest limit, wording otherwise)
    "MinLength": ("should be non-empty", "is too short"),
    "MinItems": ("should be non-empty", "is too short"),
    "MinProperties": ("should be non-empty", "does not have enough properties"),
    "MaxLength": ("is expected to be empty", "is too long"),
    "MaxItems": ("is expected to be empty", "is too long"),
    "MaxProperties": ("is expected to be empty", "has too many properties"),
}
BOUNDS = {
    "Minimum": "is less than the minimum of",
    "Maximum": "is greater than the maximum of",
    "ExclusiveMinimum": "is less than or equal to the minimum of",
    "ExclusiveMaximum": "is greater than or equal to the maximum of",
}


_QUICK: IdentityCache[QuickBodies] = IdentityCache(limit=20_000)


def quick_bodies(schema: Any, formats: FormatChecker, legacy: bool = True) -> QuickBodies:
    """The compiled readings of `schema` (a resolved schema Connexion holds for the app's
    life), built once."""
    return _QUICK.get(schema, lambda: QuickBodies(schema, formats, legacy))
