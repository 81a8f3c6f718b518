"""Dates for generated data, counted back from a fixed instant rather than from now.

The same seed then gives byte-identical data on any day, and every date lies in the past.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from faker import Faker

ANCHOR = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)


def past_instant(fake: Faker, within_days: int = 365) -> datetime:
    """A moment within `within_days` before the anchor, to the microsecond."""
    seconds = fake.random_int(0, within_days * 86_400)
    micros = fake.random_int(0, 999_999)
    return ANCHOR - timedelta(seconds=seconds, microseconds=micros)


def drf_datetime(moment: datetime) -> str:
    """Django REST Framework's rendering of an aware UTC datetime."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def iso_datetime(fake: Faker) -> str:
    return drf_datetime(past_instant(fake))


def iso_date(fake: Faker) -> str:
    return past_instant(fake).date().isoformat()
