"""Values made once per object, by identity (ibl_mock.identity_cache)."""

from __future__ import annotations

from collections.abc import Callable

from ibl_mock.identity_cache import IdentityCache


def test_a_value_is_made_once_per_object_not_per_equal_object() -> None:
    made: list[int] = []

    def maker(value: int) -> Callable[[], int]:
        def make() -> int:
            made.append(value)
            return value

        return make

    cache: IdentityCache[int] = IdentityCache(limit=10)
    one, same_content = {"type": "string"}, {"type": "string"}
    assert cache.get(one, maker(1)) == 1
    assert cache.get(one, maker(2)) == 1  # kept
    assert cache.get(same_content, maker(3)) == 3  # another object
    assert made == [1, 3]


def test_past_the_limit_the_oldest_entry_goes() -> None:
    cache: IdentityCache[str] = IdentityCache(limit=2)
    first, second, third = [1], [2], [3]
    cache.get(first, lambda: "first")
    cache.get(second, lambda: "second")
    cache.get(third, lambda: "third")
    assert cache.get(second, lambda: "again") == "second"
    assert cache.get(first, lambda: "remade") == "remade"


def test_membership_and_clearing_make_nothing() -> None:
    cache: IdentityCache[int] = IdentityCache(limit=4)
    key, twin = {"a": 1}, {"a": 1}
    assert key not in cache
    cache.get(key, lambda: 1)
    assert key in cache and twin not in cache  # by identity, not equality
    cache.clear()
    assert key not in cache
