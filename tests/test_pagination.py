from __future__ import annotations

import pytest

from ibl_mock.data.pagination import (
    InvalidPage,
    PageSize,
    envelope,
    paginate,
    remove_query_param,
    replace_query_param,
)

ITEMS = list(range(1, 26))  # 25 items
URL = "http://mock.test/things/?search=a%20b&page=2&b=1"


@pytest.mark.parametrize(
    ("requested", "expected"),
    [
        (None, 10),
        ("", 10),
        ("abc", 10),
        (0, 10),
        (-3, 10),
        (5, 5),
        ("7", 7),
        (100, 100),
        (101, 100),
    ],
)
def test_page_size_follows_drf(requested: object, expected: int) -> None:
    assert PageSize(default=10, maximum=100).choose(requested) == expected


def test_pages_slice_and_count() -> None:
    first = paginate(ITEMS, None, 10)
    last = paginate(ITEMS, 3, 10)
    assert (list(first.items), first.count, first.last) == (ITEMS[:10], 25, 3)
    assert list(last.items) == ITEMS[20:]
    assert (first.has_previous, first.has_next, last.has_next) == (False, True, False)


@pytest.mark.parametrize("page", [0, -1, 4, 10**30, "x"])
def test_out_of_range_pages_are_invalid(page: object) -> None:
    with pytest.raises(InvalidPage):
        paginate(ITEMS, page, 10)


def test_an_empty_list_has_a_first_page_only() -> None:
    page = paginate([], 1, 10)
    assert (page.count, list(page.items), page.has_next) == (0, [], False)
    with pytest.raises(InvalidPage):
        paginate([], 2, 10)


def test_links_keep_other_parameters_sorted_and_drop_page_1() -> None:
    body = envelope(URL, paginate(ITEMS, 2, 10), [])
    assert body["next"] == "http://mock.test/things/?b=1&page=3&search=a+b"
    assert body["previous"] == "http://mock.test/things/?b=1&search=a+b"
    assert envelope(URL, paginate(ITEMS, 1, 10), [])["previous"] is None
    assert envelope(URL, paginate(ITEMS, 3, 10), [])["next"] is None


def test_query_param_helpers_keep_blank_values() -> None:
    assert replace_query_param("http://x/?a=&page=1", "page", 2) == "http://x/?a=&page=2"
    assert remove_query_param("http://x/?page=2", "page") == "http://x/"
