"""Located findings about a document: JSON pointer, file line, one-line reason.

Findings are data; this module also places them on the lines of the file (YAML, and
JSON read as YAML, keep line marks when composed) and writes the start-up report.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

REPORT_LIMIT = 50  # findings printed at start; `ibl-mock validate` prints them all
REASON_LIMIT = 200  # characters of a reason: a message quoting a huge value is cut


@dataclass(frozen=True)
class Finding:
    pointer: str  # JSON pointer into the document ("" is the whole document)
    reason: str  # one line
    unused: str | None = None  # pointer of the value the mock does not use because of it
    line: int | None = None  # 1-based line in the file, where the file says

    def describe(self, path: Path) -> str:
        where = f"{path}:{self.line}" if self.line is not None else str(path)
        return f"{where}: {self.pointer or '/'}: {self.reason}"


def pointer(parts: Iterable[object]) -> str:
    """RFC 6901: `("paths", "/pets")` -> `/paths/~1pets`."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def parts_of(text: str) -> list[str]:
    if not text:
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in text.split("/")[1:]]


def one_line(text: str, limit: int = REASON_LIMIT) -> str:
    """The message on one line; an overlong one keeps its start and its end."""
    flat = " ".join(str(text).split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 43] + " ... " + flat[-38:]


def unique(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per location, the first said; a value unused by any stays unused."""
    kept: dict[str, Finding] = {}
    for finding in findings:
        first = kept.get(finding.pointer)
        if first is None:
            kept[finding.pointer] = finding
        elif first.unused is None and finding.unused is not None:
            kept[finding.pointer] = replace(first, unused=finding.unused)
    return list(kept.values())


def with_lines(
    findings: Sequence[Finding], text: str, known: Sequence[Finding] = ()
) -> list[Finding]:
    """The findings with the lines of `text` (YAML or JSON), in the file's order; without
    lines when the text does not compose or a pointer leads into another file. `known`:
    findings placed on `text` already, whose lines are taken as they are (composing a
    10 MiB text takes a second: done only for findings not among them)."""
    lines = {replace(f, line=None): f.line for f in known}
    fresh = [f for f in findings if replace(f, line=None) not in lines]
    root = None
    if fresh:
        with contextlib.suppress(yaml.YAMLError):  # unplaced, then
            root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))

    def place(finding: Finding) -> Finding:
        bare = replace(finding, line=None)
        if bare in lines:
            return replace(finding, line=lines[bare])
        return (
            finding
            if root is None
            else replace(finding, line=line_of(root, parts_of(bare.pointer)))
        )

    placed = [place(f) for f in findings]
    far = 1 << 62  # unplaced findings last, in the order found
    return sorted(placed, key=lambda f: far if f.line is None else f.line)


def line_of(node: Any, parts: list[str]) -> int | None:
    """The line of the node at `parts`: of its key, for a member of a mapping (a block
    mapping's value starts on the line after its key)."""
    mark = node.start_mark
    for part in parts:
        found = child_node(node, part)
        if found is None:
            return None
        mark, node = found
    return int(mark.line) + 1


def child_node(node: Any, part: str) -> tuple[Any, Any] | None:
    """(the mark where the child is written, the child) or None."""
    if isinstance(node, yaml.MappingNode):
        found = [(k.start_mark, v) for k, v in node.value if getattr(k, "value", None) == part]
        return found[-1] if found else None  # a repeated key: the last one counts, as loaded
    if isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
        item = node.value[int(part)]
        return item.start_mark, item
    return None


def report(
    path: Path,
    findings: Sequence[Finding],
    left_out: Sequence[str],
    limit: int | None,
    verdict: str,
) -> list[str]:
    """What is wrong with the document (the first `limit` findings) and what is not served;
    `verdict` says what becomes of the document."""
    if not findings:
        return []
    problems = f"{len(findings)} problem" + ("" if len(findings) == 1 else "s")
    shown = findings if limit is None else findings[:limit]
    lines = [f"{path}: {problems}, {verdict}:"]
    lines += [f"  {finding.describe(path)}" for finding in shown]
    if len(findings) > len(shown):
        lines.append(f"  ... and {len(findings) - len(shown)} more (ibl-mock validate {path})")
    lines += [f"  Left out (not served): {note}" for note in left_out]
    return lines
