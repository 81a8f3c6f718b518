"""Path templates indexed by segment, so that finding the templates a concrete path may
match costs the same with 3 templates or 1,400.

A template's literal segments must equal the path's; a segment holding a parameter
(`{id}`, `{name}:download`, `{n:int}`) stands for any one segment. That is a superset of
what the template's own pattern matches: the index narrows the candidates, and the
caller still matches each candidate, in the original order, as before. Templates it
cannot place (a parameter spanning segments, a mount's prefix) are always candidates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class _Node:
    literal: dict[str, _Node] = field(default_factory=dict)
    wild: _Node | None = None
    ends: list[int] = field(default_factory=list)

    def child(self, segment: str) -> _Node:
        if "{" in segment:
            self.wild = self.wild or _Node()
            return self.wild
        return self.literal.setdefault(segment, _Node())


class TemplateIndex:
    def __init__(self, templates: Sequence[str | None]) -> None:
        """`templates[i]` is the i-th template, or None for one always to be tried."""
        self.size = len(templates)
        self._root = _Node()
        self._always: list[int] = []
        for position, template in enumerate(templates):
            if template is None:
                self._always.append(position)
                continue
            node = self._root
            for segment in template.split("/"):
                node = node.child(segment)
            node.ends.append(position)

    def candidates(self, path: str) -> list[int]:
        """The positions of the templates `path` may match, in their original order."""
        found = list(self._always)
        self._collect(self._root, path.split("/"), 0, found)
        return sorted(found)

    def _collect(self, node: _Node, segments: list[str], at: int, found: list[int]) -> None:
        if at == len(segments):
            found.extend(node.ends)
            return
        literal = node.literal.get(segments[at])
        if literal is not None:
            self._collect(literal, segments, at + 1, found)
        if node.wild is not None:
            self._collect(node.wild, segments, at + 1, found)


def path_values(template: str, path: str) -> dict[str, str]:
    """The values a concrete path gives its template's parameters ({} if it does not fit)."""
    names = re.findall(r"\{([^}/]+)\}", template)
    parts = re.split(r"\{[^}/]+\}", template)
    matched = re.fullmatch("([^/]+)".join(re.escape(part) for part in parts), path)
    return dict(zip(names, matched.groups(), strict=True)) if matched else {}
