"""Page-number pagination with Django REST Framework's semantics and links."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

T = TypeVar("T")


class InvalidPage(Exception):
    """The requested page does not exist (DRF answers 404 "Invalid page.")."""


@dataclass(frozen=True)
class PageSize:
    default: int = 10
    maximum: int = 100

    def choose(self, requested: Any) -> int:
        """DRF's rule: a positive integer, capped at the maximum; anything else, the default."""
        try:
            size = int(requested)
        except (TypeError, ValueError):
            return self.default
        return self.default if size <= 0 else min(size, self.maximum)


@dataclass(frozen=True)
class Page:
    items: Sequence[Any]
    number: int
    count: int
    last: int

    @property
    def has_next(self) -> bool:
        return self.number < self.last

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def paginate(items: Sequence[T], page: Any, size: int) -> Page:
    """Slice one page out of `items`; page 1 of an empty list exists, as in Django."""
    number = _page_number(page)
    last = max(1, -(-len(items) // size))
    if number < 1 or number > last:
        raise InvalidPage(f"page {number} is outside 1..{last}")
    start = (number - 1) * size
    return Page(items=items[start : start + size], number=number, count=len(items), last=last)


def _page_number(page: Any) -> int:
    if page is None or page == "":
        return 1
    if isinstance(page, int):
        return page
    try:
        return int(str(page))
    except ValueError as exc:
        raise InvalidPage(f"page {page!r} is not an integer") from exc


def replace_query_param(url: str, key: str, value: Any) -> str:
    """Set one query parameter; like DRF, the query comes back sorted by name."""
    scheme, netloc, path, query, fragment = urlsplit(url)
    params = parse_qs(query, keep_blank_values=True)
    params[key] = [str(value)]
    return urlunsplit(
        (scheme, netloc, path, urlencode(sorted(params.items()), doseq=True), fragment)
    )


def remove_query_param(url: str, key: str) -> str:
    scheme, netloc, path, query, fragment = urlsplit(url)
    params = parse_qs(query, keep_blank_values=True)
    params.pop(key, None)
    return urlunsplit(
        (scheme, netloc, path, urlencode(sorted(params.items()), doseq=True), fragment)
    )


def next_link(url: str, page: Page) -> str | None:
    return replace_query_param(url, "page", page.number + 1) if page.has_next else None


def previous_link(url: str, page: Page) -> str | None:
    if not page.has_previous:
        return None
    if page.number - 1 == 1:
        return remove_query_param(url, "page")
    return replace_query_param(url, "page", page.number - 1)


def envelope(url: str, page: Page, results: list[Any]) -> dict[str, Any]:
    """The `count/next/previous/results` body DRF's PageNumberPagination renders."""
    return {
        "count": page.count,
        "next": next_link(url, page),
        "previous": previous_link(url, page),
        "results": results,
    }
