"""Schema keywords of the wrong form, found, located, and repaired in the served document.

Every schema of the document is given to the repair of each keyword it holds (`REPAIRS`);
their changes make the document the mock serves (and Connexion, the validators and the
faker see), the user's file unchanged; each repair is a finding at the keyword. The other
checks then look at the repaired document, so that a keyword is reported once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

from ..contract.docwalk import walk, walked
from .diagnostics import Finding, pointer
from .pruning import REMOVE, pruned
from .repairs import (
    BOUNDS,
    COUNTS,
    Repairer,
    Scope,
    bound,
    count,
    enum,
    exclusive,
    format_,
    multiple_of,
    nullable,
    pattern,
    type_,
)
from .shape_repairs import (
    combined,
    discriminator,
    items,
    properties,
    ref_siblings,
    required,
    subschema,
)

# In this order: a later repair's change to a keyword wins (`type: file` sets `format`
# after `format` is judged; `exclusiveMinimum: 5` sets `minimum` after it is judged).
REPAIRS: dict[str, Repairer] = {
    "properties": properties,
    "required": required,
    "format": format_,
    "enum": enum,
    "pattern": pattern,
    "multipleOf": multiple_of,
    **{name: partial(bound, keyword=name) for name in BOUNDS},
    **{name: partial(count, keyword=name) for name in COUNTS},
    "exclusiveMinimum": partial(exclusive, keyword="exclusiveMinimum"),
    "exclusiveMaximum": partial(exclusive, keyword="exclusiveMaximum"),
    "type": type_,
    "nullable": nullable,
    "items": items,
    "additionalProperties": subschema("additionalProperties", booleans=True),
    "not": subschema("not"),
    **{name: combined(name) for name in ("allOf", "anyOf", "oneOf")},
    "discriminator": discriminator,
}

ORDER = {key: index for index, key in enumerate(REPAIRS)}


@dataclass
class Repaired:
    findings: list[Finding] = field(default_factory=list)
    changes: dict[str, Any] = field(default_factory=dict)  # pointer -> REMOVE or new value
    # Changes to what is right as written, for the engine only (a pattern in Python's
    # spelling): the checks judge the document without them.
    spellings: dict[str, Any] = field(default_factory=dict)

    @property
    def served(self) -> dict[str, Any]:
        return {**self.changes, **self.spellings}


def malformed(document: dict[str, Any], version: str) -> Repaired:
    """The repairs of every schema of `document`, and of its media type keys, located."""
    found = repaired_below(document, "object", version)
    for parts, content, media in bad_media_types(document):
        where = pointer((*parts, media))
        meant = SHORT_MEDIA_TYPES.get(media.strip().lower())
        found.changes[where] = REMOVE
        if meant is None or meant in content:
            found.findings.append(Finding(where, f"{media!r} is not a media type; left out"))
            continue
        found.changes[pointer((*parts, meant))] = content[media]
        found.findings.append(Finding(where, f"{media!r} is not a media type; read as {meant}"))
    return found


# What a media type key without a slash most likely means.
SHORT_MEDIA_TYPES = {
    "json": "application/json",
    "xml": "application/xml",
    "text": "text/plain",
    "html": "text/html",
    "form": "application/x-www-form-urlencoded",
    "multipart": "multipart/form-data",
    "binary": "application/octet-stream",
}


def bad_media_types(document: dict[str, Any]) -> list[tuple[tuple[str, ...], Any, str]]:
    """(where the `content` map is, the map, its key) of every key that is not a media
    type (`bob`, `json`): every HTTP layer reading them expects a slash."""
    found = []
    for parts, node, context in walked(document):
        content = node.get("content") if context == "object" else None
        if isinstance(content, dict):
            for media in content:
                if "/" not in str(media).split(";")[0]:
                    found.append(((*parts, "content"), content, str(media)))
    return found


def repaired_below(node: Any, context: Any, version: str) -> Repaired:
    found = Repaired()
    gone: list[str] = []  # removed nodes: what is below them is not said again
    scopes = (Scope(version, False), Scope(version, True))  # made once: 100k schemas
    nodes = walked(node) if context == "object" else walk(node, context)
    for parts, schema, inner in nodes:
        if inner != "schema" or (gone and below_any(pointer(parts), gone)):
            continue
        scope = scopes[len(parts) >= 2 and parts[-2] == "properties"]
        for repair in repairs_of(schema, scope):
            if repair.reason is not None:
                found.findings.append(Finding(pointer((*parts, *repair.keyword)), repair.reason))
            made = found.changes if repair.reason is not None else found.spellings
            for where, change in repair.changes.items():
                made[pointer((*parts, *where))] = change
                # A tuple `items` is rebuilt from its items, repaired: they are said.
                if change is REMOVE and repair.keyword != ("items",):
                    gone.append(pointer((*parts, *where)))
    return found


def below_any(here: str, gone: list[str]) -> bool:
    return any(here.startswith(g + "/") for g in gone)


def repairs_of(schema: dict[str, Any], scope: Scope) -> list[Any]:
    if "$ref" in schema and scope.version == "3.0":
        return list(ref_siblings(schema, scope))  # 3.0 reads nothing else of it
    seen = with_repaired_items(schema, scope.version)
    present = sorted((k for k in seen if k in REPAIRS), key=ORDER.__getitem__)
    return [r for key in present for r in REPAIRS[key](seen, scope)]


def with_repaired_items(schema: dict[str, Any], version: str) -> dict[str, Any]:
    """A tuple `items` is rebuilt from its items (3.0: one schema; 3.1: prefixItems):
    repaired first."""
    listed = schema.get("items")
    if not isinstance(listed, list):
        return schema
    return {**schema, "items": [repaired(item, version) for item in listed]}


def repaired(schema: Any, version: str) -> Any:
    """`schema` with its own repairs made (and its subschemas')."""
    return pruned(schema, repaired_below(schema, "schema", version).served)
