"""The one list pipeline: filters, search, ordering and a DRF page, in that order."""

from __future__ import annotations

import pytest

from ibl_mock.data.listing import DRF_PAGE_SIZE, ListView, drf_page
from ibl_mock.data.pagination import InvalidPage

BOOKS = [
    {"id": 1, "title": "Dune", "genre": "sf", "year": 1965},
    {"id": 2, "title": "Emma", "genre": "novel", "year": 1815},
    {"id": 3, "title": "Dune Messiah", "genre": "sf", "year": 1969},
    {"id": 4, "title": "Solaris", "genre": "sf", "year": 1961},
]
VIEW = ListView(
    search_fields=("title",), ordering_fields=("year", "title"), default_ordering=("id",)
)


def ids(records: list[dict[str, object]]) -> list[object]:
    return [r["id"] for r in records]


def test_filters_then_search_then_ordering() -> None:
    assert ids(VIEW.narrowed(BOOKS, {"genre": "sf"}, "dune", "-year")) == [3, 1]
    assert ids(VIEW.narrowed(BOOKS, {"genre": ""})) == [1, 2, 3, 4]  # an empty filter: none
    assert ids(VIEW.narrowed(BOOKS, {}, None, "author")) == [1, 2, 3, 4]  # unknown: default


def test_a_page_is_drfs_envelope_with_links_built_from_the_request() -> None:
    page = drf_page(BOOKS, 2, 3, "http://mock/books/?page=2&page_size=3", lambda r: r["title"])
    assert page == {
        "count": 4,
        "next": None,
        "previous": "http://mock/books/?page_size=3",
        "results": ["Solaris"],
    }


def test_page_sizes_follow_drfs_rule_and_pages_out_of_range_are_refused() -> None:
    assert [DRF_PAGE_SIZE.choose(v) for v in (None, "0", "-3", "5", "1000")] == [10, 10, 10, 5, 100]
    with pytest.raises(InvalidPage):
        drf_page(BOOKS, 3, 2, "http://mock/books/", dict)
