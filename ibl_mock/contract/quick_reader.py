"""A quick yes for what the server sends.

The strict reader (contract/strict.py, jsonschema in Python) spends milliseconds on a
deep body, and the mock checks every body it makes: on documents with large schemas the
check was a third of the server's time. jsonschema-rs answers in microseconds. It reads
the document as plain JSON Schema 2020-12, translated once, never more leniently than
the reader on what OpenAPI adds: `nullable` becomes a `null` type, a boolean
`exclusiveMinimum` the number it qualifies, a write-only schema one nothing may match
(the reader refuses any value of it), `int32`/`int64` their bounds, and string formats
the reader's own checks. What it accepts is sent; anything else (or a schema it cannot
compile) goes to the reader, whose errors the fitter repairs. Where the two still differ,
jsonschema-rs is the stricter-by-the-standard one (`3.0` is an integer, 19.99 a multiple
of 0.01), as the clients checking the mock (schemathesis among them) read it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import jsonschema_rs
from jsonschema import FormatChecker

from ..identity_cache import IdentityCache
from .formats import OAS30_FORMATS, OAS31_FORMATS
from .refs import RefError, located

BASE = "urn:ibl-mock:document"
INT_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_REGISTRIES: IdentityCache[Any] = IdentityCache(limit=4)  # a document's, while served
# A document's nodes translated, by the keys leading to them (for `sparse_registry`).
_TRANSLATED: IdentityCache[dict[Any, Any]] = IdentityCache(limit=4)


def plain(node: Any, legacy: bool, reading: bool = True) -> Any:
    """`node` as plain JSON Schema 2020-12; `legacy` for OpenAPI 3.0's dialect, `reading`
    for what a server sends. Keyword values are checked by type, so a property *named*
    `nullable` is left alone."""
    if isinstance(node, list):
        return [plain(item, legacy, reading) for item in node]
    if not isinstance(node, dict):
        return node
    if reading and node.get("writeOnly") is True:
        return False  # the reader refuses any value here (3.0's and 3.1's alike)
    out = {key: plain(value, legacy, reading) for key, value in node.items()}
    if legacy:
        nullable_type(out)
        exclusive_bounds(out)
    integer_bounds(out)
    return out


def nullable_type(schema: dict[str, Any]) -> None:
    declared = schema.get("type")
    if schema.get("nullable") is True and isinstance(declared, str):
        schema["type"] = [declared, "null"]


def exclusive_bounds(schema: dict[str, Any]) -> None:
    """Draft 4's boolean `exclusiveMinimum` qualifies `minimum`; 2020-12's is the bound."""
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        flag = schema.get(exclusive)
        if not isinstance(flag, bool):
            continue
        del schema[exclusive]
        if flag and isinstance(schema.get(bound), int | float):
            schema[exclusive] = schema.pop(bound)


def integer_bounds(schema: dict[str, Any]) -> None:
    """jsonschema-rs hands only strings to format checks: a number's format is its range."""
    written = schema.get("format")
    bounds = INT_BOUNDS.get(written) if isinstance(written, str) else None
    if bounds is None or schema.get("type") not in ("integer", ["integer", "null"]):
        return
    low, high = bounds
    minimum, maximum = schema.get("minimum"), schema.get("maximum")
    schema["minimum"] = max(minimum, low) if isinstance(minimum, int | float) else low
    schema["maximum"] = min(maximum, high) if isinstance(maximum, int | float) else high


def anchored(node: Any) -> Any:
    """`node` with its local references (`#/...`) made absolute, so that they name the
    document in the registry rather than `node` itself."""
    if isinstance(node, list):
        return [anchored(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: anchored(value) for key, value in node.items()}
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#"):
        out["$ref"] = BASE + ref
    return out


def registry(document: dict[str, Any]) -> Any:
    """The whole document translated, as a jsonschema-rs registry, built once per document
    (where a schema's references cannot be followed apart: see `reached`)."""
    return _REGISTRIES.get(
        document,
        lambda: jsonschema_rs.Registry([(BASE, plain(document, is_legacy(document)))]),
    )


# Keywords that give a schema a name of its own: a reference may reach it by that name,
# not by a pointer, so a document holding them is read whole.
NAMING = frozenset({"$id", "$anchor", "$dynamicAnchor", "$dynamicRef", "$recursiveRef"})
Keys = tuple[str | int, ...]


def reached(document: dict[str, Any], schema: Any) -> list[tuple[Keys, Any]] | None:
    """Every node to place for `schema`'s references, through theirs, with the keys
    leading to it (a node within a list: its owner, `within_lists`); None when one cannot
    be followed by pointer (not local, or named)."""
    found: dict[Keys, Any] = {}
    seen: set[str] = set()
    todo = local_refs(schema)
    if todo is None:
        return None
    while todo:
        ref = todo.pop()
        if ref in seen:
            continue
        seen.add(ref)
        try:
            keys = within_lists(located(document, ref)[0])
        except RefError:
            return None
        if keys in found:
            continue
        found[keys] = node = node_at(document, keys)
        inner = local_refs(node)
        if inner is None:
            return None
        todo.extend(inner)
    return list(found.items())


def local_refs(node: Any) -> list[str] | None:
    """The `$ref`s within `node` (examples included: one too many costs nothing); None
    when one is not a pointer into the document, or a schema is named."""
    refs: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if not NAMING.isdisjoint(item):
                return None
            ref = item.get("$ref")
            if ref is not None:
                if not (isinstance(ref, str) and ref.startswith("#/")):
                    return None
                refs.append(ref)
            stack.extend(v for v in item.values() if isinstance(v, dict | list))
    return refs


def sparse_registry(document: dict[str, Any], schema: Any) -> Any | None:
    """A registry of only what `schema` reaches, translated: a large document's first
    body need not wait for the whole of it. None where `reached` cannot tell."""
    nodes = reached(document, schema)
    if nodes is None:
        return None
    translated = _TRANSLATED.get(document, dict)
    legacy = is_legacy(document)
    sparse: dict[str, Any] = {}
    placed: set[Keys] = set()
    for keys, node in sorted(nodes, key=lambda found: len(found[0])):
        if not keys or any(keys[:n] in placed for n in range(1, len(keys) + 1)):
            continue  # within a node placed whole (or a list, placed with its owner)
        if keys not in translated:
            translated[keys] = plain(node, legacy)
        holder = sparse
        for key in keys[:-1]:
            holder = holder.setdefault(str(key), {})
        holder[str(keys[-1])] = translated[keys]
        placed.add(keys)
    return jsonschema_rs.Registry([(BASE, sparse)])


def within_lists(keys: Keys) -> Keys:
    """The keys of the node to place for one at `keys`: the owner of the first list on
    the way (a sparse document has no sparse lists)."""
    first = next((i for i, key in enumerate(keys) if isinstance(key, int)), len(keys))
    return keys[:first]


def node_at(document: Any, keys: Keys) -> Any:
    for key in keys:
        document = document[key]
    return document


def is_legacy(document: dict[str, Any]) -> bool:
    return not str(document.get("openapi", "")).startswith("3.1")


def format_checks(checker: FormatChecker) -> dict[str, Callable[[str], bool]]:
    def check(name: str) -> Callable[[str], bool]:
        return lambda value: bool(checker.conforms(value, name))

    return {name: check(name) for name in checker.checkers}


FORMATS = {True: format_checks(OAS30_FORMATS), False: format_checks(OAS31_FORMATS)}


def quick_validator(document: dict[str, Any], schema: Any) -> Any:
    """A jsonschema-rs validator of `schema` as the reader reads it, or None where
    jsonschema-rs cannot compile it (a pattern it cannot read, say)."""
    legacy = is_legacy(document)
    root = anchored(plain(schema, legacy))
    sparse = sparse_registry(document, schema)
    if sparse is not None:
        found = compiled(root, sparse, legacy)
        if found is not None:
            return found
    return compiled(root, registry(document), legacy)  # refused sparse: the whole document


def compiled(root: Any, registry: Any, legacy: bool) -> Any:
    try:
        return jsonschema_rs.validator_for(
            root, registry=registry, validate_formats=True, formats=FORMATS[legacy]
        )
    except Exception:  # any schema it refuses: the reader alone judges
        return None


class QuickReader:
    """The reader `slow`, asked only when jsonschema-rs does not accept the value.
    Compiles on first use: building readers is cheap, and many are never asked."""

    def __init__(self, document: dict[str, Any], schema: Any, slow: Any) -> None:
        self.document, self.schema, self.slow = document, schema, slow
        self._quick: Any = None
        self._compiled = False

    def accepts(self, instance: Any) -> bool:
        if not self._compiled:
            self._quick = quick_validator(self.document, self.schema)
            self._compiled = True
        try:
            return self._quick is not None and bool(self._quick.is_valid(instance))
        except Exception:  # a value it cannot take (an integer past 64 bits): ask the reader
            return False

    def is_valid(self, instance: Any) -> bool:
        return self.accepts(instance) or bool(self.slow.is_valid(instance))

    def iter_errors(self, instance: Any) -> Iterator[Any]:
        if self.accepts(instance):
            return iter(())
        return iter(self.slow.iter_errors(instance))

    def evolve(self, **changes: Any) -> Any:
        return self.slow.evolve(**changes)
