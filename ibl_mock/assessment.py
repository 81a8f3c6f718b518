"""Everything wrong with a document, and the document the mock can serve despite it.

`assess` gathers the located findings of every check (dangling `$ref`s, the OpenAPI
schema and keyword validators, examples and defaults breaking their schema, operations
too broken to serve). `servable_document` is the document without what the findings make
unusable: bad examples and defaults removed, broken operations left out, dangling
`$ref`s replaced by an empty schema so that nothing resolving references trips on them.
An assessment is plain data, kept as JSON between starts.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .diagnostics import Finding, pointer, unique
from .examples import breaking_values
from .pruning import REMOVE, pruned
from .servable import LeftOut, dangling, left_out
from .validity import conformance


@dataclass(frozen=True)
class Assessment:
    findings: tuple[Finding, ...] = ()
    left_out: tuple[LeftOut, ...] = ()
    dangling: tuple[str, ...] = ()  # pointers of `$ref` nodes that resolve nowhere

    def to_json(self) -> dict[str, Any]:
        return {
            "findings": [asdict(f) for f in self.findings],
            "left_out": [{**asdict(o), "why": asdict(o.why)} for o in self.left_out],
            "dangling": list(self.dangling),
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
        )


def assess(document: dict[str, Any], version: str) -> Assessment:
    """Every check's findings, one per place, and the operations left out."""
    broken = dangling(document)
    found = [*broken, *conformance(document, version), *breaking_values(document, version)]
    out = left_out(document, broken)
    for leaving in out:  # said once: unless a check already spoke of that operation
        here = pointer(("paths", leaving.path, leaving.method))
        about = [f for f in found if f.pointer == here or f.pointer.startswith(here + "/")]
        if not (leaving.echoed or about):
            found.append(leaving.why)
    return Assessment(tuple(unique(found)), tuple(out), tuple(f.pointer for f in broken))


def servable_document(document: dict[str, Any], assessment: Assessment) -> dict[str, Any]:
    """The document without what the findings make unusable (the original is unchanged)."""
    changes: dict[str, Any] = {where: {} for where in assessment.dangling}
    changes.update({f.unused: REMOVE for f in assessment.findings if f.unused is not None})
    changes.update({pointer(("paths", o.path, o.method)): REMOVE for o in assessment.left_out})
    return pruned(document, changes)
