"""Patterns rewritten for drawing text from them.

rstr draws from a regex as if every construct were a literal: lookarounds (`(?=...)`,
`(?!...)`, common in Amazon's ARN patterns) are drawn as text, and a pattern wrapped in
`.*` around its anchors (`.*(^arn:...$).*`) gets text before its `^`. Neither draw matches
the pattern. The simplified pattern drops both; what it draws is still checked against
the pattern as written."""

from __future__ import annotations

import re

from ..contract.ecma_regex import compiled, rewritten

LOOKAROUND_OPENERS = ("(?=", "(?!", "(?<=", "(?<!")
LEADING_WILDCARD = re.compile(r"^\.\*(?=\(*\^)")  # `.*` before the first anchor
TRAILING_WILDCARD = re.compile(r"(?<=\$)(\)*)\.\*$")  # `.*` after the last one


def drawable(pattern: str) -> str:
    """`pattern` without lookarounds and without the `.*` outside its anchors."""
    simpler = without_lookarounds(pattern)
    simpler = LEADING_WILDCARD.sub("", simpler)
    return TRAILING_WILDCARD.sub(r"\1", simpler)


def without_lookarounds(pattern: str) -> str:
    def lookaround(text: str, index: int, in_class: bool) -> tuple[str, int] | None:
        if in_class or not text.startswith(LOOKAROUND_OPENERS, index):
            return None
        return "", group_end(text, index)

    return rewritten(pattern, lookaround)


# Unicode classes (`\p{L}`, from ECMA and PCRE patterns) that Python's `re` cannot read,
# for generating text only: ASCII stand-ins of the same class.
UNICODE_CLASSES = {"L": "a-zA-Z", "Lu": "A-Z", "Ll": "a-z", "N": "0-9", "Nd": "0-9"}
UNICODE_CLASS = re.compile(r"\\([pP])\{(\w+)\}|\\([pP])(\w)")


def generable(pattern: str) -> str:
    """`pattern` with `\\p{..}` classes replaced by ASCII stand-ins, in brackets or not."""
    if "\\p" not in pattern and "\\P" not in pattern:
        return pattern

    def ascii_class(text: str, index: int, in_class: bool) -> tuple[str, int] | None:
        found = UNICODE_CLASS.match(text, index)
        if not found:
            return None
        name = found.group(2) or found.group(4)
        negated = (found.group(1) or found.group(3)) == "P"
        letters = " .,;:" if negated else UNICODE_CLASSES.get(name, "a-zA-Z0-9")
        return (letters if in_class else f"[{letters}]"), found.end()

    return rewritten(pattern, ascii_class)


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
    found = compiled(pattern)
    return found is None or found.search(text) is not None
