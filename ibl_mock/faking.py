"""Seeded Faker instances: the same seed gives the same values on every run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from faker import Faker

# Generated dates are counted back from a fixed instant, not from now, so that the same
# seed gives byte-identical data on any day, and every date lies in the past.
ANCHOR = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)


def make_faker(seed: int, locale: str = "en_US") -> Faker:
    fake = Faker(locale)
    fake.seed_instance(seed)
    return fake


def past_instant(fake: Faker, within_days: int = 365) -> datetime:
    """A moment within `within_days` before the anchor, to the microsecond."""
    seconds = fake.random_int(0, within_days * 86_400)
    micros = fake.random_int(0, 999_999)
    return ANCHOR - timedelta(seconds=seconds, microseconds=micros)


def drf_datetime(moment: datetime) -> str:
    """Django REST Framework's rendering of an aware UTC datetime."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
