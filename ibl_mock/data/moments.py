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


def sized_datetime(text: str, low: int, high: int) -> str | None:
    """The RFC 3339 instant `text` holds, written in `low`..`high` characters (a schema of
    `format: date-time` with `maxLength: 25`): seconds' fraction of 0-6 digits, `Z` or
    `+00:00`. None if no such writing fits (or `text` is no instant)."""
    try:
        moment = datetime.fromisoformat(text).astimezone(UTC)
    except ValueError:
        return None
    base = moment.strftime("%Y-%m-%dT%H:%M:%S")
    digits = f"{moment.microsecond:06d}"
    for zone in ("Z", "+00:00"):
        for places in range(7):
            written = base + (f".{digits[:places]}" if places else "") + zone
            if low <= len(written) <= high:
                return written
    return None


def iso_datetime(fake: Faker) -> str:
    return drf_datetime(past_instant(fake))


def iso_date(fake: Faker) -> str:
    return past_instant(fake).date().isoformat()
