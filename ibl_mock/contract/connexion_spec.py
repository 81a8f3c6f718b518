"""Connexion's Specification of a document ibl-mock has read, checked and prepared.

Connexion's own loader validates the document again, copies it whole three times (string
keys enforced, the raw document kept, then a copy resolved) and resolves references in
a generic walk: a second of every start of the ibl API, for a document ibl-mock has
already read, checked (`checks`) and copied for it (`connexion_copy.prepared`). A
`TrustedSpecification` is built of that copy instead: the copy kept as the raw document,
and one resolving walk that also gives escaped `$ref` keys their name back. It resolves
as Connexion does: a reference takes its target's keys over its own, and targets are
shared, so a recursive schema refers to itself.
"""

from __future__ import annotations

from typing import Any

from connexion.spec import OpenAPISpecification

from .connexion_copy import ESCAPED, REF, prepared, rename
from .refs import RefError, pointer_get


class TrustedSpecification(OpenAPISpecification):
    """A document ibl-mock validated itself: not validated again, not copied again."""

    @classmethod
    def _validate_spec(cls, spec: Any) -> None:
        return None

    @classmethod
    def of_document(cls, document: dict[str, Any]) -> TrustedSpecification:
        """The Specification of `document`, which is left as it is: its raw document is
        `document` (a new top level: Connexion sets a clone's base path there), its
        resolved one a prepared copy, resolved in place."""
        built = cls.__new__(cls)
        built._raw_spec = dict(document)
        copy = prepared(document)
        cls._set_defaults(copy)
        built._spec = resolved(copy)
        built._base_uri = ""
        return built

    def clone(self) -> TrustedSpecification:
        """A copy of its own (Connexion's Swagger UI sets a base path on it per request)."""
        return self.of_document(self._raw_spec)


def resolved(document: dict[str, Any]) -> dict[str, Any]:
    """`document`, in place, with each internal reference replaced by its target, merged
    over the keys beside the `$ref` (an unfollowable pointer is left as written), and
    each escaped key named `$ref` again. A target is the object where it lives, so a
    component and the references to it are one object."""
    targets: dict[str, Any] = {}
    # id -> (node, what it became): a node met twice (operations share a path's
    # parameters) becomes the same; holding the node keeps its id from being reused.
    walked: dict[int, tuple[Any, Any]] = {}
    merges: list[tuple[dict[str, Any], Any]] = []

    def target(ref: str) -> Any:
        if ref not in targets:
            found = pointer_get(document, ref)
            if is_reference(found) and len(found) == 1:  # another name for one target
                targets[ref] = {}  # a loop of such names ends here, at nothing
                targets[ref] = target(found[REF])
            else:
                targets[ref] = found  # before its insides: a recursive schema finds it
                targets[ref] = walk(found)
        return targets[ref]

    def walk(node: Any) -> Any:
        if not isinstance(node, (dict, list)):
            return node
        if id(node) in walked:
            return walked[id(node)][1]
        walked[id(node)] = (node, node)
        result = walk_inside(node)
        walked[id(node)] = (node, result)
        return result

    def walk_inside(node: dict[str, Any] | list[Any]) -> Any:
        if isinstance(node, list):
            node[:] = [walk(item) for item in node]
            return node
        found = None
        if is_reference(node):
            try:
                found = target(node[REF])
            except RefError:
                found = None
        if isinstance(found, dict) and len(node) == 1:
            return found
        if ESCAPED in node:
            rename(node, ESCAPED, REF)
        for key, value in node.items():
            node[key] = walk(value)
        if isinstance(found, dict):
            del node[REF]
            merges.append((node, found))  # `found` may not be filled yet
        return node

    walk(document)
    for beside, found in merges:  # in order: a merged target was merged before its users
        beside.update(found)
    return document


def is_reference(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get(REF), str) and node[REF].startswith("#")
