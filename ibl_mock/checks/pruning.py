"""A document with some of its nodes removed, replaced or added, the rest shared, not copied.

Only the mappings and lists on the way to a changed node are copied, so that a 10 MiB
document with three bad examples costs three short paths of copies, not a deep copy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import parts_of

REMOVE = object()  # the change that removes a node


@dataclass
class Cut:
    change: Any = None  # REMOVE, a replacement, or None: only something below changes
    below: dict[str, Cut] = field(default_factory=dict)


def pruned(document: dict[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """`document` with the node at each pointer of `changes` removed (REMOVE) or replaced
    (added, as a mapping's member it lacks); a change under a node that is itself changed
    is moot."""
    if not changes:
        return document
    root = Cut()
    for where, change in changes.items():
        cut = root
        for part in parts_of(where):
            cut = cut.below.setdefault(part, Cut())
        cut.change = change
    result: dict[str, Any] = applied(document, root)
    return result


def applied(node: Any, cut: Cut) -> Any:
    if isinstance(node, dict):
        out = dict(node)
        for key, inner in cut.below.items():
            if key in out:
                settle(out, key, out[key], inner)
            elif inner.change is not None and inner.change is not REMOVE:
                out[key] = inner.change  # a keyword a repair adds (`format: binary`)
        return out
    if isinstance(node, list):
        items: list[Any] = list(node)
        for key, inner in cut.below.items():
            if key.isdigit() and int(key) < len(items):
                settle(items, int(key), items[int(key)], inner)
        return [item for item in items if item is not REMOVE]  # indices hold until all are cut
    return node


def settle(container: Any, key: Any, value: Any, cut: Cut) -> None:
    if cut.change is None:
        container[key] = applied(value, cut)
    elif cut.change is REMOVE and isinstance(container, dict):
        del container[key]
    else:
        container[key] = cut.change  # REMOVE in a list: a mark, dropped once all are placed
