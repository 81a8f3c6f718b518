"""The journal keeps the last N entries and never a credential."""

from __future__ import annotations

from ibl_mock.control.journal import Entry, Journal, Masker


def entry(n: int, operation_id: str = "op", status: int | None = 200) -> Entry:
    return Entry(
        n, "2026-01-01T00:00:00Z", "GET", "/x", "", {}, None, None, False, status, 1.0, operation_id
    )


def test_the_journal_is_bounded_and_filters_newest_first() -> None:
    journal = Journal(size=3)
    for n, (op, status) in enumerate([("a", 200), ("b", 404), ("a", 500), ("a", 200)], 1):
        journal.add(entry(n, op, status))
    assert [e.id for e in journal.entries()] == [4, 3, 2]
    assert [e.id for e in journal.entries(operation_id="a")] == [4, 3]
    assert [e.id for e in journal.entries(status=404)] == [2]
    assert [e.id for e in journal.entries(limit=1)] == [4]
    assert journal.clear() == 3 and journal.entries() == []


def test_credentials_are_masked_wherever_they_travel() -> None:
    masker = Masker(headers=["X-API-Key"], query=["api_key"])
    assert masker.header("Authorization", "Bearer abc.def") == "Bearer ***"
    assert masker.header("authorization", "abc") == "***"
    assert masker.header("X-Api-Key", "k-123") == "***"
    assert masker.header("Cookie", "session=s3cret; theme=dark") == "session=***; theme=***"
    assert masker.header("Accept", "application/json") == "application/json"
    assert masker.query_string("api_key=k-123&page=2") == "api_key=%2A%2A%2A&page=2"
    assert masker.query_string("page=2") == "page=2"
