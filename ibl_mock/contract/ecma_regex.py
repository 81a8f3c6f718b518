"""Patterns read as JSON Schema reads them: ECMA-262 regular expressions.

Python's `re` reads `\\s`, `\\d` and `\\w` by Unicode: `\\x1d` is a space to it and `٣` a
digit; to ECMA-262 (and so to every client's validator: schemathesis', a browser's)
neither is. A request of `^\\S+$` text schemathesis drew was refused for a character
Python calls a space. These classes are rewritten to ECMA-262's own sets before Python
compiles a pattern, for requests and for what the server sends alike.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import Any

from jsonschema.exceptions import ValidationError

# ECMA-262's WhiteSpace and LineTerminator code points: what its `\s` matches.
SPACE = "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
DIGIT = "0-9"
WORD = "A-Za-z0-9_"
SETS = {"s": SPACE, "d": DIGIT, "w": WORD}


def code_points(chars: str) -> list[tuple[int, int]]:
    """The ranges a set's text (as SETS writes it) holds, in order."""
    found = re.compile(f"[{chars}]")
    ranges: list[tuple[int, int]] = []
    for point in range(0x3100):  # every set above ends below U+3100, but for U+FEFF
        if found.match(chr(point)):
            ranges.append((point, point))
    if found.match("\ufeff"):
        ranges.append((0xFEFF, 0xFEFF))
    merged: list[tuple[int, int]] = []
    for low, high in ranges:
        if merged and merged[-1][1] + 1 == low:
            merged[-1] = (merged[-1][0], high)
        else:
            merged.append((low, high))
    return merged


def complement(chars: str) -> str:
    """Every code point outside the set, written for inside a bracket: a negated class
    there (`[\\s\\S]`, "any character") has no other way to be written."""
    parts, start = [], 0
    for low, high in code_points(chars):
        if start < low:
            parts.append(f"\\U{start:08x}-\\U{low - 1:08x}")
        start = high + 1
    parts.append(f"\\U{start:08x}-\\U0010ffff")
    return "".join(parts)


@functools.cache
def negated(letter: str) -> str:
    """`\\S`, `\\D`, `\\W` inside a bracket (made when first met: a scan of 12,000 code
    points, a hundredth of a second that every start would pay)."""
    return complement(SETS[letter])


# A rewriter at one place of a pattern: (text written instead, index to go on from), or
# None to copy the character there as it is.
Rewriter = Callable[[str, int, bool], "tuple[str, int] | None"]


def rewritten(pattern: str, rewrite: Rewriter) -> str:
    """`pattern` scanned once, escapes and character classes tracked, each place offered to
    `rewrite` (told whether it stands inside a class) before it is copied."""
    out: list[str] = []
    index, in_class = 0, False
    while index < len(pattern):
        found = rewrite(pattern, index, in_class)
        if found is not None:
            text, index = found
            out.append(text)
            continue
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
        index += 1
    return "".join(out)


def ecma(pattern: str) -> str:
    """`pattern` with `\\s`, `\\d`, `\\w` and their negations as ECMA-262 sets."""
    if "\\" not in pattern:
        return pattern

    def shorthand(text: str, index: int, in_class: bool) -> tuple[str, int] | None:
        letter = text[index + 1 : index + 2]
        if text[index] != "\\" or letter.lower() not in SETS:
            return None
        chars = SETS[letter.lower()]
        if in_class:
            return (chars if letter.islower() else negated(letter.lower())), index + 2
        return (f"[{chars}]" if letter.islower() else f"[^{chars}]"), index + 2

    return rewritten(pattern, shorthand)


@functools.lru_cache(maxsize=4096)
def compiled(pattern: str) -> re.Pattern[str] | None:
    """`pattern` as ECMA-262 reads it, compiled; None where Python cannot read it
    (ECMA's `\\p{L}`, a repeat beyond its limits)."""
    try:
        return re.compile(ecma(pattern))
    except (re.error, RecursionError, OverflowError):
        return None


def pattern_keyword(validator: Any, pattern: Any, instance: Any, _schema: Any) -> Iterator[Any]:
    """JSON Schema's `pattern`, read as ECMA-262; a pattern Python cannot read judges
    nothing (validation looser, never a crash)."""
    found = compiled(pattern) if isinstance(pattern, str) else None
    if found is None or not validator.is_type(instance, "string"):
        return
    if not found.search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")
