"""Patterns simplified for drawing text from them.

rstr draws from a regex as if every construct were a literal: lookarounds (`(?=...)`,
`(?!...)`, common in Amazon's ARN patterns) are drawn as text, and a pattern wrapped in
`.*` around its anchors (`.*(^arn:...$).*`) gets text before its `^`. Neither draw matches
the pattern. The simplified pattern drops both; what it draws is still checked against
the pattern as written."""

from __future__ import annotations

import re

LOOKAROUND_OPENERS = ("(?=", "(?!", "(?<=", "(?<!")
LEADING_WILDCARD = re.compile(r"^\.\*(?=\(*\^)")  # `.*` before the first anchor
TRAILING_WILDCARD = re.compile(r"(?<=\$)(\)*)\.\*$")  # `.*` after the last one


def drawable(pattern: str) -> str:
    """`pattern` without lookarounds and without the `.*` outside its anchors."""
    simpler = without_lookarounds(pattern)
    simpler = LEADING_WILDCARD.sub("", simpler)
    return TRAILING_WILDCARD.sub(r"\1", simpler)


def without_lookarounds(pattern: str) -> str:
    out: list[str] = []
    index, in_class = 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if not in_class and pattern.startswith(LOOKAROUND_OPENERS, index):
            index = group_end(pattern, index)
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
        index += 1
    return "".join(out)


def group_end(pattern: str, start: int) -> int:
    """The index just past the group opening at `start` (escapes and classes skipped)."""
    depth, index, in_class = 0, start, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return index


def matches(pattern: str, text: str) -> bool:
    """Whether `text` matches `pattern` as JSON Schema reads it (anywhere in the text); a
    pattern Python cannot read judges nothing here (the schema's own check says so)."""
    try:
        return re.search(pattern, text) is not None
    except (re.error, RecursionError, OverflowError):
        return True
