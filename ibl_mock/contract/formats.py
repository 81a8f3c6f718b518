"""Formats as their standards define them: `date-time` and `time` as RFC 3339 has them,
`duration`, `hostname`, `uri-reference`, `json-pointer`... as JSON Schema 2020-12 does.

jsonschema checks `date-time` only when an optional package is installed, `time` with
draft 3's `%H:%M:%S`, which refuses the offset RFC 3339 requires (`12:00:00Z`), and
`duration`, `iri` or `json-pointer` not at all. So the mock's own checks let through
what schemathesis (and any strict client) refuses in an answer, and refused good
requests. What the mock sends is held to the standards, checked by jsonschema-rs (the
engine clients' validators use); requests are read leniently (a time without its offset
is still a time, the other formats as jsonschema reads them).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import jsonschema_rs
from jsonschema import FormatChecker
from openapi_schema_validator import oas30_format_checker, oas31_format_checker

TIME = re.compile(
    r"(?P<hour>\d{2}):(?P<minute>\d{2}):(?P<second>\d{2})(?:\.\d+)?"
    r"(?P<offset>[Zz]|[+-](?P<off_hour>\d{2}):(?P<off_minute>\d{2}))?\Z",
    re.ASCII,
)
DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z", re.ASCII)


def is_time(instance: object, offset_required: bool = True) -> bool:
    """RFC 3339 `full-time` (`partial-time` alone where the offset is not required)."""
    if not isinstance(instance, str):
        return True
    found = TIME.match(instance)
    if found is None or (offset_required and found["offset"] is None):
        return False
    hour, minute, second = int(found["hour"]), int(found["minute"]), int(found["second"])
    shift = 0  # minutes east of UTC
    if found["off_hour"] is not None:
        off_hour, off_minute = int(found["off_hour"]), int(found["off_minute"])
        if off_hour > 23 or off_minute > 59:
            return False
        shift = (off_hour * 60 + off_minute) * (-1 if found["offset"][0] == "-" else 1)
    if hour > 23 or minute > 59 or second > 60:
        return False
    # A leap second is the last second of a UTC day.
    return second < 60 or (hour * 60 + minute - shift) % 1440 == 1439


def is_lenient_time(instance: object) -> bool:
    return is_time(instance, offset_required=False)


def is_date_time(instance: object) -> bool:
    """RFC 3339 `date-time`: a full date, `T`, a full time."""
    if not isinstance(instance, str):
        return True
    day, separator, time = instance.partition("T") if "T" in instance else instance.partition("t")
    found = DATE.match(day)
    if not separator or found is None:
        return False
    try:
        date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return False
    return is_time(time)


# Formats whose definition is a standard's, whatever draft a document is written in.
STANDARD = (
    "date", "duration", "email", "hostname", "idn-email", "idn-hostname", "ipv4", "ipv6",
    "iri", "iri-reference", "json-pointer", "regex", "relative-json-pointer", "uri",
    "uri-reference", "uri-template", "uuid",
)  # fmt: skip


def standard(format_: str) -> Callable[[object], bool]:
    """A check of `format_` as JSON Schema 2020-12 defines it."""
    validator = jsonschema_rs.Draft202012Validator({"format": format_}, validate_formats=True)

    def check(instance: object) -> bool:
        return not isinstance(instance, str) or bool(validator.is_valid(instance))

    return check


def rfc3339(source: FormatChecker) -> FormatChecker:
    """`source`, with `date-time` and `time` checked as RFC 3339 has them and the other
    standard formats as JSON Schema 2020-12 defines them."""
    checker = FormatChecker(formats=())
    checker.checkers = {
        **source.checkers,
        **{name: (standard(name), ()) for name in STANDARD},
        "date-time": (is_date_time, ()),
        "time": (is_time, ()),
    }
    return checker


def lenient_time(source: FormatChecker) -> FormatChecker:
    """`source`, with a `time` read as a client may write it, with or without an offset
    (`date-time` is left as `source` has it)."""
    checker = FormatChecker(formats=())
    checker.checkers = {**source.checkers, "time": (is_lenient_time, ())}
    return checker


# What the server sends (made bodies, stored records, examples) is held to these.
OAS30_FORMATS = rfc3339(oas30_format_checker)
OAS31_FORMATS = rfc3339(oas31_format_checker)
