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

from .connexion_copy import ESCAPED, REF, prepared
from .refs import RefError, pointer_get


class TrustedSpecification(OpenAPISpecification):
    """A document ibl-mock validated itself: not validated again, not copied again."""

    @classmethod
    def _validate_spec(cls, spec: Any) -> None:
        return None

    @classmethod
    def of_prepared(cls, document: dict[str, Any]) -> TrustedSpecification:
        """The Specification of `document`, a copy made by `prepared`, kept as it is."""
        built = cls.__new__(cls)
        cls._set_defaults(document)
        built._raw_spec = document
        built._spec = resolved(document)
        built._base_uri = ""
        return built

    @classmethod
    def of_document(cls, document: dict[str, Any]) -> TrustedSpecification:
        return cls.of_prepared(prepared(document))

    def clone(self) -> TrustedSpecification:
        """A copy of its own (Connexion's Swagger UI sets a base path on it per request)."""
        return self.of_prepared(prepared(self._raw_spec))


def resolved(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of `document` with each internal reference replaced by its target, merged
    over the keys beside the `$ref` (an unfollowable pointer is left as written), and
    each escaped key named `$ref` again. `document` is not changed."""
    targets: dict[str, Any] = {}
    merges: list[tuple[dict[str, Any], Any]] = []

    def target(ref: str) -> Any:
        if ref in targets:
            return targets[ref]
        found = pointer_get(document, ref)
        if is_reference(found) and len(found) == 1:  # another name for the same target
            targets[ref] = {}  # a loop of such names ends here, at nothing
            targets[ref] = target(found[REF])
        elif isinstance(found, dict) and not is_reference(found):
            # Placed before it is filled: a recursive schema's reference to itself finds it.
            targets[ref] = placed = {}
            placed.update(mapping_copy(found))
        else:
            targets[ref] = copy(found)
        return targets[ref]

    def copy(node: Any) -> Any:
        if isinstance(node, list):
            return [copy(item) for item in node]
        if not isinstance(node, dict):
            return node
        if is_reference(node):
            try:
                found = target(node[REF])
            except RefError:
                found = None
            if isinstance(found, dict):
                if len(node) == 1:
                    return found
                beside = {key: copy(value) for key, value in node.items() if key != REF}
                merges.append((beside, found))  # `found` may not be filled yet
                return beside
        return mapping_copy(node)

    def mapping_copy(node: dict[str, Any]) -> dict[str, Any]:
        return {(REF if key == ESCAPED else key): copy(value) for key, value in node.items()}

    out: dict[str, Any] = copy(document)
    for beside, found in merges:  # in order: a merged target was merged before its users
        beside.update(found)
    placed_at_home(out, targets)
    return out


def is_reference(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get(REF), str) and node[REF].startswith("#")


def placed_at_home(out: dict[str, Any], targets: dict[str, Any]) -> None:
    """Each target put where it lives in the copy: a component and the references to it
    are then one object, as in Connexion's resolution (and kept once in memory)."""
    for ref, found in sorted(targets.items(), key=lambda item: item[0].count("/")):
        home, _, last = ref.rpartition("/")
        if not home or not isinstance(found, dict):
            continue
        try:
            parent = pointer_get(out, home)
        except RefError:
            continue
        key = last.replace("~1", "/").replace("~0", "~")
        if isinstance(parent, dict) and key in parent:
            parent[key] = found
