"""One list pipeline, in the order a Django REST Framework list view runs it: exact
filters, search, ordering, then a page.

Hand-written handlers (handlers/) and the generic resource handlers (serving/crud.py)
list through it, with one page-size rule, so that a fix, or a faster path, serves every
list of the mock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from .pagination import PageSize, envelope, paginate
from .querying import filter_exact, order, search

R = TypeVar("R", bound=Mapping[str, Any])

# DRF's PAGE_SIZE and the paginator's max_page_size, as the ibl API configures them.
DRF_PAGE_SIZE = PageSize(default=10, maximum=100)


@dataclass(frozen=True)
class ListView:
    """What a list view searches and orders by: its search_fields, ordering_fields and
    default ordering."""

    search_fields: Sequence[str]
    ordering_fields: Sequence[str]
    default_ordering: Sequence[str]

    def narrowed(
        self,
        records: Iterable[R],
        filters: Mapping[str, Any],
        searched: str | None = None,
        ordering: str | None = None,
    ) -> list[R]:
        """The records a request lists, in the order it asks (all pages)."""
        found = filter_exact(records, filters)
        found = search(found, searched, self.search_fields)
        return order(found, ordering, self.ordering_fields, self.default_ordering)


def drf_page(
    found: Sequence[R], page: Any, page_size: Any, url: str, render: Callable[[R], Any]
) -> dict[str, Any]:
    """The `count/next/previous/results` answer for one page of `found`; a page out of
    range raises `pagination.InvalidPage`."""
    chosen = paginate(found, page, DRF_PAGE_SIZE.choose(page_size))
    return envelope(url, chosen, [render(record) for record in chosen.items])
