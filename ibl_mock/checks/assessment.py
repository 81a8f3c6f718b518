"""Everything wrong with a document, and the document the mock can serve despite it.

`assess` gathers the located findings of every check (schema keywords of a wrong form,
dangling `$ref`s, the OpenAPI schema and keyword validators, examples and defaults
breaking their schema, bodies HTTP does not send, operations too broken to serve). The
keywords are repaired first (`malformed`) and the other checks look at the repaired
document, so that each problem is said once. `servable_document` is the document
repaired and without what the findings make unusable: bad examples and defaults removed,
broken operations left out, dangling `$ref`s replaced by an empty schema so that nothing
resolving references trips on them. An assessment is plain data, kept as JSON between
starts.
"""

from __future__ import annotations

import copy
import urllib.parse
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from ..contract.docwalk import sharing_walks
from ..contract.refs import RefError, pointer_get
from .bodiless import bodiless_content
from .diagnostics import Finding, pointer, unique
from .examples import breaking_values
from .malformed import Repaired, malformed
from .pruning import REMOVE, pruned
from .servable import LeftOut, dangling, left_out


@dataclass(frozen=True)
class Assessment:
    findings: tuple[Finding, ...] = ()
    left_out: tuple[LeftOut, ...] = ()
    dangling: tuple[str, ...] = ()  # pointers of `$ref` nodes that resolve nowhere
    repairs: tuple[tuple[str, Any], ...] = ()  # (pointer, REMOVE or new value): `malformed`

    def to_json(self) -> dict[str, Any]:
        return {
            "findings": [asdict(f) for f in self.findings],
            "left_out": [{**asdict(o), "why": asdict(o.why)} for o in self.left_out],
            "dangling": list(self.dangling),
            "repairs": [[where, as_json(change)] for where, change in self.repairs],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Assessment:
        return cls(
            findings=tuple(Finding(**f) for f in data["findings"]),
            left_out=tuple(
                LeftOut(o["method"], o["path"], Finding(**o["why"]), o["echoed"])
                for o in data["left_out"]
            ),
            dangling=tuple(data["dangling"]),
            repairs=tuple((where, from_json(change)) for where, change in data["repairs"]),
        )


def as_json(change: Any) -> dict[str, Any]:
    return {"remove": True} if change is REMOVE else {"value": change}


def from_json(change: dict[str, Any]) -> Any:
    return REMOVE if change.get("remove") else change["value"]


def assess(document: dict[str, Any], version: str) -> Assessment:
    """Every check's findings, one per place, and the operations left out."""
    checks = Checks.of(document, version)
    return checks.joined(checks.conforming())


@dataclass(frozen=True)
class Checks:
    """Every check's findings but the conformance passes' (openapi-spec-validator's,
    most of a large document's time): those only report, what is served is the same
    without them, so they may be run after the rest (`conforming`), and joined."""

    version: str
    document: dict[str, Any]  # repaired: what the conformance passes judge
    repaired: Repaired
    broken: tuple[Finding, ...]  # dangling `$ref`s
    values: tuple[Finding, ...]  # examples and defaults breaking their schema, bodies
    out: tuple[LeftOut, ...]

    @classmethod
    def of(cls, document: dict[str, Any], version: str) -> Checks:
        with sharing_walks():
            repaired = malformed(document, version)
            document = pruned(document, repaired.changes)  # what the other checks judge
            broken = tuple(dangling(document))
            values = (*breaking_values(document, version), *bodiless_content(document))
            out = tuple(left_out(document, broken))
        return cls(version, document, repaired, broken, values, out)

    def conforming(self, pause: Callable[[], object] = lambda: None) -> list[Finding]:
        """The conformance passes' findings; `pause` is called at every node, so that a
        caller may hold them (while a server answers, say)."""
        from .validity import conformance  # its libraries imported only when it runs

        found = conformance(self.document, self.version, pause)
        # A pattern right as ECMA-262 writes it is no error for Python's re failing to read it.
        return [f for f in found if f.pointer not in self.repaired.spellings]

    def joined(self, conforming: list[Finding]) -> Assessment:
        found = [*self.repaired.findings, *self.broken, *conforming, *self.values]
        for leaving in self.out:  # said once: unless a check already spoke of that operation
            here = pointer(("paths", leaving.path, leaving.method))
            about = [f for f in found if f.pointer == here or f.pointer.startswith(here + "/")]
            if not (leaving.echoed or about):
                found.append(leaving.why)
        repairs = tuple(self.repaired.served.items())
        broken = tuple(f.pointer for f in self.broken)
        return Assessment(tuple(unique(found)), self.out, broken, repairs)


def servable_document(document: dict[str, Any], assessment: Assessment) -> dict[str, Any]:
    """The document repaired, without what the findings make unusable (the original is
    unchanged). In two steps: the findings' pointers are into the repaired document."""
    document = pruned(document, dict(assessment.repairs))
    changes: dict[str, Any] = {where: {} for where in assessment.dangling}
    changes.update({f.unused: REMOVE for f in assessment.findings if f.unused is not None})
    removed = [pointer(("paths", o.path, o.method)) for o in assessment.left_out]
    changes.update({where: REMOVE for where in removed})
    changes.update(kept_targets(document, removed))
    return pruned(document, changes)


def kept_targets(document: dict[str, Any], removed: list[str]) -> dict[str, Any]:
    """Each `$ref` into an operation left out (a parameter another path reuses by pointer)
    replaced by a copy of what it points at, so that it still resolves."""
    if not removed:
        return {}
    found: dict[str, Any] = {}
    stack: list[tuple[tuple[str, ...], Any]] = [((), document)]
    while stack:
        parts, node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            here = pointer(parts)
            inside_removed = any(here.startswith(r + "/") or here == r for r in removed)
            if isinstance(ref, str) and not inside_removed and refers_into(ref, removed):
                try:
                    found[here] = copy.deepcopy(pointer_get(document, ref))
                except RefError:
                    found[here] = {}
            stack.extend(((*parts, str(k)), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend(((*parts, str(i)), v) for i, v in enumerate(node))
    return found


def refers_into(ref: str, removed: list[str]) -> bool:
    target = urllib.parse.unquote(ref[1:]) if ref.startswith("#") else ""
    return any(target == r or target.startswith(r + "/") for r in removed)
