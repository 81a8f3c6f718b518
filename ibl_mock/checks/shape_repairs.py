"""Repairs of the keywords that give a schema its shape: subschemas, `required`,
`discriminator`, and what stands beside a `$ref` (see `repairs` for the value keywords).

A subschema that is no schema is made one where the writer's meaning is plain (`"false"`
-> false, `items: [A]` -> A, a property written as `string` -> `{type: string}`), else
left out, which accepts more, never less.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .pruning import REMOVE
from .repairs import ANNOTATIONS, TYPE_ALIASES, TYPES_31, Parts, Repair, Scope, dropped, served_as

FLAGS = {"true": True, "false": False}


def as_schema(value: Any, scope: Scope) -> Any:
    """`value` as a schema, when its meaning is plain; REMOVE when it has none."""
    if isinstance(value, str) and value.lower() in FLAGS:
        value = FLAGS[value.lower()]
    if isinstance(value, bool):
        return value if scope.version == "3.1" else ({} if value else {"not": {}})
    if isinstance(value, str) and value in TYPE_ALIASES:
        kind, form = TYPE_ALIASES[value]
        return {"type": kind} if form is None else {"type": kind, "format": form}
    if isinstance(value, str) and value in TYPES_31:
        return {"type": value}
    return REMOVE


def subschema(keyword: str, booleans: bool = False) -> Any:
    """The repair of a keyword holding one schema; `booleans`: true/false are allowed in
    3.0 too (`additionalProperties`)."""

    def repair(schema: dict[str, Any], scope: Scope) -> Iterator[Repair]:
        written = schema[keyword]
        if isinstance(written, dict) or (isinstance(written, bool) and booleans):
            return
        if isinstance(written, bool) and scope.version == "3.1":
            return
        value = as_schema(written, scope)
        if booleans and isinstance(written, str) and written.lower() in FLAGS:
            value = FLAGS[written.lower()]
        said = f"{keyword} {written!r} is not a schema"
        yield dropped(keyword, said) if value is REMOVE else served_as(keyword, said, value)

    return repair


def items(schema: dict[str, Any], scope: Scope) -> Iterator[Repair]:
    written = schema["items"]
    if not isinstance(written, list):
        yield from subschema("items")(schema, scope)
        return
    said = f"items as a list (tuple form) is not {scope.version}'s"
    if scope.version == "3.1":
        changes: dict[Parts, Any] = {("items",): REMOVE}
        if "prefixItems" not in schema:
            changes[("prefixItems",)] = written
        yield Repair(("items",), f"{said}: served as prefixItems", changes)
        return
    schemas = [s for s in written if isinstance(s, dict)]
    # Rebuilt from the items' repaired forms (`malformed` passes them in `items_now`).
    value: Any = schemas[0] if len(schemas) == 1 else {"anyOf": schemas} if schemas else {}
    shown = "its one schema" if len(schemas) == 1 else "anyOf its schemas" if schemas else "{}"
    yield Repair(("items",), f"{said}: served as {shown}", {("items",): value})


def combined(keyword: str) -> Any:
    """allOf/anyOf/oneOf: a list of schemas, not empty."""

    def repair(schema: dict[str, Any], scope: Scope) -> Iterator[Repair]:
        written = schema[keyword]
        if isinstance(written, dict):
            yield served_as(keyword, f"{keyword} is one schema, not a list of them", [written])
        elif not isinstance(written, list) or not written:
            yield dropped(keyword, f"{keyword} {written!r} is not a list of schemas")

    return repair


def properties(schema: dict[str, Any], scope: Scope) -> Iterator[Repair]:
    """`required: true|false` on a property (Swagger 2's habit, and JSON Schema draft 3's):
    the property joins its object's `required` list, or is just optional. A property
    that is no schema is made one."""
    written = schema["properties"]
    if not isinstance(written, dict):
        yield dropped("properties", f"properties {written!r} is not a map of schemas")
        return
    listed = schema.get("required")
    wanted = [n for n in listed if isinstance(n, str)] if isinstance(listed, list) else []
    for name, prop in written.items():
        where = ("properties", str(name))
        if not isinstance(prop, dict):
            value = as_schema(prop, scope)
            said = f"property {name!r} is {prop!r}, not a schema"
            value = {} if value is REMOVE else value
            yield Repair(where, f"{said}: served as {value!r}", {where: value})
            continue
        flag = prop.get("required")
        if not isinstance(flag, bool):
            continue
        changes: dict[Parts, Any] = {(*where, "required"): REMOVE}
        if flag and name not in wanted:
            wanted.append(str(name))
            changes[("required",)] = list(wanted)
        said = (f"required: true on a property: {name!r} is added to the object's required list"
                if flag else "required: false on a property: dropped, a property is optional "
                "unless its object lists it")  # fmt: skip
        yield Repair((*where, "required"), said, changes)


def required(schema: dict[str, Any], scope: Scope) -> Iterator[Repair]:
    """An object's `required`: a non-empty list of names (3.0 wants it non-empty)."""
    written = schema["required"]
    if isinstance(written, bool):
        if not scope.is_property:  # a property's flag is its parent's to repair
            yield dropped("required", f"required: {str(written).lower()} outside properties")
        return
    names = [written] if isinstance(written, str) else written if isinstance(written, list) else []
    kept = list(dict.fromkeys(n for n in names if isinstance(n, str)))
    if kept == written:
        if not kept and scope.version == "3.0":
            yield dropped("required", "required [] lists no property")
        return
    said = f"required {written!r} is not a list of property names"
    yield dropped("required", said) if not kept else served_as("required", said, kept)


def discriminator(schema: dict[str, Any], scope: Scope) -> Iterator[Repair]:
    written = schema["discriminator"]
    if not isinstance(written, dict) or not isinstance(written.get("propertyName"), str):
        yield dropped("discriminator", "discriminator without a propertyName")
    elif "mapping" in written and not isinstance(written["mapping"], dict):
        said = f"discriminator mapping {written['mapping']!r} is not a map"
        yield Repair(("discriminator", "mapping"), f"{said}: dropped",
                     {("discriminator", "mapping"): REMOVE})  # fmt: skip


def ref_siblings(schema: dict[str, Any], scope: Scope) -> Iterator[Repair]:
    """OpenAPI 3.0 ignores what stands beside a `$ref`; the engine's parts did not all
    agree, so the assertions go (annotations and extensions stay, for Swagger UI)."""
    if scope.version != "3.0":
        return  # 3.1 (JSON Schema 2020-12) applies them beside the reference
    ignored = [k for k in schema if k != "$ref" and k not in ANNOTATIONS and not k.startswith("x-")]
    if scope.is_property and isinstance(schema.get("required"), bool):
        ignored.remove("required")  # its parent's to repair (`properties`)
    if ignored:
        said = f"{', '.join(ignored)} beside $ref, which OpenAPI 3.0 ignores: dropped"
        yield Repair(("$ref",), said, {(k,): REMOVE for k in ignored})
