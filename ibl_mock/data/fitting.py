"""Made values brought to fit their schema: answers are valid by construction.

The faker makes a likely value quickly but cannot honour every combination real documents
write (an example of the wrong shape, `oneOf` options that overlap, a pattern with a
length). `fit` checks the value with the schema's own validator and repairs what the
validator names, where it names it: extra properties dropped, missing ones made, any other
failing node made again without examples. A few rounds, then the value as it stands.
"""

from __future__ import annotations

import copy
from typing import Any

from faker import Faker

from .faking import SchemaFaker, types_of
from .vocabulary import EMPTY, Vocabulary

ROUNDS = 8  # repairs are local; a value still wrong after this many rounds stays as it is
Path = list[str | int]


def fit(
    value: Any,
    checker: Any,
    document: dict[str, Any],
    fake: Faker,
    vocabulary: Vocabulary = EMPTY,
) -> Any:
    """`value`, repaired until `checker` (a jsonschema validator) accepts it; values remade
    follow `vocabulary`, the mock's words."""
    remaker = SchemaFaker(document, fake, use_examples=False, vocabulary=vocabulary)
    failed: dict[tuple[Any, ...], int] = {}
    for _ in range(ROUNDS):
        errors = first_errors(checker, value)
        if not errors:
            return value
        doomed: list[tuple[Any, ...]] = []
        for error in errors:
            where = tuple(error.absolute_path)
            failed[where] = failed.get(where, 0) + 1
            if failed[where] > 2 and where:
                doomed.append(where)  # remade twice and still refused: parts disagree
            else:
                value = repaired(value, error, remaker, checker)
        # Last items first, so that removing one moves none of the others.
        for where in sorted(doomed, key=lambda w: [str(p).zfill(12) for p in w], reverse=True):
            left_out(value, list(where))
    return value


def left_out(value: Any, path: Path) -> bool:
    """The property or item at `path` removed (an `allOf` part's `additionalProperties`
    refusing what another part defines, say, or items of a `oneOf` listing one option
    twice: only their absence satisfies the schema)."""
    parent = get_at(value, path[:-1]) if path else None
    if isinstance(parent, dict) and path[-1] in parent:
        del parent[path[-1]]
        return True
    if isinstance(parent, list) and isinstance(path[-1], int) and path[-1] < len(parent):
        del parent[path[-1]]
        return True
    return False


def first_errors(checker: Any, value: Any) -> list[Any]:
    """One error per failing place, deepest first (a child fixed may fix its parent)."""
    try:
        errors = list(checker.iter_errors(value))
    except Exception:  # a schema the validator cannot run (a pattern `re` cannot read)
        return []
    seen: dict[tuple[Any, ...], Any] = {}
    for error in errors:
        seen.setdefault(tuple(error.absolute_path), error)
    return sorted(seen.values(), key=lambda e: -len(e.absolute_path))


def repaired(value: Any, error: Any, remaker: SchemaFaker, checker: Any) -> Any:
    path: Path = list(error.absolute_path)
    node = get_at(value, path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    if (
        error.validator == "oneOf"
        and isinstance(node, dict)
        and told_apart(node, schema, checker, remaker)
    ):
        return value
    if error.validator == "additionalProperties" and isinstance(node, dict):
        allowed = set(schema.get("properties") or {})
        patterned = schema.get("patternProperties")
        if not patterned:
            for key in [k for k in node if k not in allowed]:
                del node[key]
            return value
    if error.validator == "writeOnly" and path:  # required yet write-only: never sent
        parent = get_at(value, path[:-1])
        if isinstance(parent, dict):
            parent.pop(path[-1], None)
            return value
    if error.validator == "required" and isinstance(node, dict):
        properties = schema.get("properties") or {}
        for name in schema.get("required") or []:
            if name not in node:
                node[name] = remaker.value(properties.get(name, {}), name, depth=1)
        return value
    if error.validator == "maxProperties" and isinstance(node, dict):
        keep = set(schema.get("required") or [])
        for key in [k for k in node if k not in keep][: max(0, len(node) - error.validator_value)]:
            del node[key]
        return value
    # Made again from the failing schema; depth 1 lets `oneOf` pick another option.
    return set_at(value, path, remaker.value(schema, str(path[-1]) if path else None, depth=1))


def told_apart(
    node: dict[str, Any], schema: dict[str, Any], checker: Any, remaker: SchemaFaker
) -> bool:
    """An object valid under several `oneOf` options (real documents' variants often
    constrain nothing that tells them apart) made valid under one: a property another
    option types, which this one does not name, is given a value of another type. The
    option the object looks most like is tried first; where it cannot be told apart (an
    option accepting all it accepts), the others, in order."""
    options = schema.get("oneOf") or []
    matching = [o for o in options if matches(checker, o, node)]
    if len(matching) < 2:
        return False
    tag = tagged(node, schema, matching)
    first = tag if tag is not None else most_named(node, matching, remaker)
    candidates = [first] if tag is not None else [first, *(o for o in matching if o is not first)]
    typed = {id(o): typed_properties(o, remaker) for o in matching}
    for kept in candidates:
        trial = copy.deepcopy(node)
        if set_apart(trial, kept, matching, typed, checker, remaker) and [
            o for o in matching if matches(checker, o, trial)
        ] == [kept]:
            node.clear()
            node.update(trial)
            return True
    return set_apart(node, first, matching, typed, checker, remaker)  # as near as it gets


def set_apart(
    node: dict[str, Any],
    kept: Any,
    matching: list[Any],
    typed: dict[int, dict[str, list[str]]],
    checker: Any,
    remaker: SchemaFaker,
) -> bool:
    """Values in `node` that options other than `kept` refuse; False where `kept` takes
    no property it does not name."""
    own = remaker.resolve(kept)
    if not isinstance(own, dict) or own.get("additionalProperties") is False:
        return False
    named = set(own.get("properties") or {})
    for other in matching:
        if other is kept or not matches(checker, other, node):
            continue  # kept, or told apart already by a value set for another option
        for name in typed[id(other)]:
            # Of a type no other option naming it takes: one value may tell several apart
            # without letting back in one that an earlier value had told apart.
            kinds = [k for o in matching if o is not kept for k in typed[id(o)].get(name, [])]
            contrary = None if name in named else contrary_to(kinds)
            if contrary is not None:
                node[name] = contrary
                break
        else:
            set_apart_within(node, own, remaker.resolve(other), remaker)
    return True


def set_apart_within(
    node: dict[str, Any], own: dict[str, Any], other: Any, remaker: SchemaFaker
) -> None:
    """Where no property of its own tells `other` apart, one level down: in an object
    both name (or the first object of a list both name; an item `other`'s items refuse
    refuses the list), a property `other` types and `own` does not name is given a
    value of another type."""
    own_properties = own.get("properties") or {}
    other_properties = other.get("properties") if isinstance(other, dict) else None
    for name, sub in (other_properties or {}).items():
        if name not in own_properties or name not in node:
            continue
        kept, refused, value = (
            remaker.resolve(own_properties[name]),
            remaker.resolve(sub),
            node[name],
        )
        if isinstance(value, list) and isinstance(kept, dict) and isinstance(refused, dict):
            kept, refused = (
                remaker.resolve(kept.get("items")),
                remaker.resolve(refused.get("items")),
            )
            value = next((item for item in value if isinstance(item, dict)), None)
        if not (isinstance(value, dict) and isinstance(kept, dict) and isinstance(refused, dict)):
            continue
        if kept.get("additionalProperties") is False:
            continue
        named = set(kept.get("properties") or {})
        for inner, kinds in typed_properties(refused, remaker).items():
            contrary = None if inner in named else contrary_to(kinds)
            if contrary is not None:
                value[inner] = contrary
                return


def matches(checker: Any, option: Any, node: Any) -> bool:
    return safely(checker.evolve(schema=option).is_valid, node)


def typed_properties(option: Any, remaker: SchemaFaker) -> dict[str, list[str]]:
    """The properties `option` gives a type, with their types."""
    resolved = remaker.resolve(option)
    properties = resolved.get("properties") if isinstance(resolved, dict) else None
    typed: dict[str, list[str]] = {}
    for name, sub in (properties or {}).items():
        kinds = types_of(remaker.resolve(sub)) if isinstance(sub, dict) else []
        if kinds:
            typed[name] = kinds
    return typed


def most_named(node: dict[str, Any], options: list[Any], remaker: SchemaFaker) -> Any:
    """The option naming most of the object's properties (`{warning}` is the "not found"
    answer, not the list one that names only `data`); the first among equals."""

    def named(option: Any) -> int:
        own = remaker.resolve(option)
        properties = own.get("properties") if isinstance(own, dict) else None
        return len(set(node) & set(properties or {}))

    return max(options, key=named)


# A value of each JSON type, to give a property a type its schema does not take.
CONTRARY: tuple[tuple[str, Any], ...] = (("string", "x"), ("integer", 0), ("boolean", True))


def contrary_to(kinds: list[str]) -> Any:
    """A value of a type none of `kinds` takes (None: they take all three)."""
    for kind, value in CONTRARY:
        if kind not in kinds and not (kind == "integer" and "number" in kinds):
            return value
    return None


def tagged(node: dict[str, Any], schema: dict[str, Any], options: list[Any]) -> Any:
    """The option the object's discriminator names, if any."""
    discriminator = schema.get("discriminator")
    if not isinstance(discriminator, dict):
        return None
    tag = node.get(str(discriminator.get("propertyName")))
    target = (discriminator.get("mapping") or {}).get(tag, f"/{tag}")
    for option in options:
        ref = option.get("$ref", "") if isinstance(option, dict) else ""
        if ref and (ref == target or ref.endswith(str(target))):
            return option
    return None


def safely(check: Any, node: Any) -> bool:
    try:
        return bool(check(node))
    except Exception:  # a schema corner the validator cannot run: no match
        return False


def get_at(value: Any, path: Path) -> Any:
    for part in path:
        value = value[part]
    return value


def set_at(value: Any, path: Path, new: Any) -> Any:
    if not path:
        return new
    get_at(value, path[:-1])[path[-1]] = new
    return value
