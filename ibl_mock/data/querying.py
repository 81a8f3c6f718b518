"""Filtering, search and ordering of records with Django REST Framework's semantics.

Pure functions over lists of dicts: no HTTP, no store.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

Record = Mapping[str, Any]
R = TypeVar("R", bound=Mapping[str, Any])


def filter_exact(records: Iterable[R], filters: Mapping[str, Any]) -> list[R]:
    """Keep records whose field equals each filter value; empty values are not filters.

    django-filter skips a filter whose value is missing or empty, so `?provider=` lists all.
    """
    active = {k: v for k, v in filters.items() if v not in (None, "")}
    return [r for r in records if all(_as_text(r.get(k)) == str(v) for k, v in active.items())]


# Django's smart_split: a word may hold quoted stretches, which keep their spaces.
SMART_SPLIT = re.compile(
    r"""((?:[^\s'"]*(?:(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')[^\s'"]*)+)|\S+)"""
)


def search_terms(text: str | None) -> list[str]:
    """Split a search string as DRF does: whitespace and commas separate terms; a term in
    quotes is kept whole, commas included."""
    if not text:
        return []
    terms: list[str] = []
    for word in SMART_SPLIT.findall(text.replace("\x00", "")):
        word = word.strip(",")
        if len(word) >= 2 and word[0] in "\"'" and word[0] == word[-1]:
            terms.append(word[1:-1].replace("\\" + word[0], word[0]).replace("\\\\", "\\"))
        else:
            terms.extend(part.strip() for part in word.split(",") if part.strip())
    return terms


def search(records: Iterable[R], text: str | None, fields: Sequence[str]) -> list[R]:
    """Keep records where every term occurs, case-insensitively, in at least one field."""
    terms = [t.lower() for t in search_terms(text)]
    if not terms:
        return list(records)
    return [r for r in records if all(_matches(r, t, fields) for t in terms)]


def _matches(record: Record, term: str, fields: Sequence[str]) -> bool:
    # lower(), not casefold(): icontains does not turn "ß" into "ss".
    return any(term in _as_text(record.get(f)).lower() for f in fields)


def ordering_fields(text: str | None, allowed: Iterable[str]) -> list[str]:
    """The valid `ordering` terms, in order; unknown fields are dropped as DRF drops them."""
    if not text:
        return []
    valid = set(allowed)
    terms = [t.strip() for t in text.split(",")]
    return [t for t in terms if t and t.lstrip("-") in valid and t.count("-") <= 1]


def order(
    records: Iterable[R],
    text: str | None,
    allowed: Iterable[str],
    default: Sequence[str],
    tiebreak: str = "id",
) -> list[R]:
    """Sort by the requested terms, else the default; `tiebreak` keeps the order total."""
    terms = ordering_fields(text, allowed) or list(default)
    result = sorted(records, key=lambda r: _sort_key(r.get(tiebreak)))
    for term in reversed(terms):  # stable sorts applied last-key-first
        result.sort(key=_field_key(term.lstrip("-")), reverse=term.startswith("-"))
    return result


def _field_key(field: str) -> Callable[[Record], tuple[int, Any]]:
    return lambda record: _sort_key(record.get(field))


def _sort_key(value: Any) -> tuple[int, Any]:
    # None sorts after every value ascending (as PostgreSQL does); mixed types compare as text.
    if value is None:
        return (2, "")
    if isinstance(value, bool | int | float):
        return (0, value)
    text = str(value)
    return (1, (text.lower(), text))  # as a database collation would: case after letters


def _as_text(value: Any) -> str:
    return "" if value is None else str(value)
