"""Formats as their standards define them: `date-time` and `time` as RFC 3339 has them,
`duration`, `hostname`, `uri-reference`, `json-pointer`... as JSON Schema 2020-12 does.

jsonschema checks `date-time` only when an optional package is installed, `time` with
draft 3's `%H:%M:%S`, which refuses the offset RFC 3339 requires (`12:00:00Z`), and
`duration`, `iri` or `json-pointer` not at all. So the mock's own checks let through
what schemathesis (and any strict client) refuses in an answer, and refused good
requests. What the mock sends is held to the standards, checked by jsonschema-rs (the
engine clients' validators use); requests are read leniently (a time without its offset
is still a time, an offset may lack its colon as Django reads it, the other formats as
jsonschema reads them).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import jsonschema_rs
from jsonschema import FormatChecker
from openapi_schema_validator import oas30_format_checker, oas31_format_checker

# Formats whose definition is a standard's, whatever draft a document is written in.
STANDARD = (
    "date", "date-time", "time", "duration", "email", "hostname", "idn-email",
    "idn-hostname", "ipv4", "ipv6", "iri", "iri-reference", "json-pointer", "regex",
    "relative-json-pointer", "uri", "uri-reference", "uri-template", "uuid",
)  # fmt: skip


def standard(format_: str) -> Callable[[object], bool]:
    """A check of `format_` as JSON Schema 2020-12 defines it."""
    validator = jsonschema_rs.Draft202012Validator({"format": format_}, validate_formats=True)

    def check(instance: object) -> bool:
        return not isinstance(instance, str) or bool(validator.is_valid(instance))

    return check


def rfc3339(source: FormatChecker) -> FormatChecker:
    """`source`, with the standard formats checked as JSON Schema 2020-12 defines them
    (`date-time` and `time` as RFC 3339 has them)."""
    checker = FormatChecker(formats=())
    checker.checkers = {**source.checkers, **{name: (standard(name), ()) for name in STANDARD}}
    return checker


FULL_TIME = standard("time")


def is_lenient_time(instance: object) -> bool:
    """RFC 3339's `full-time`, or a `partial-time` without its offset (`12:00:00`)."""
    return FULL_TIME(instance) or FULL_TIME(f"{instance}Z")


# An offset in ISO 8601's basic form (`+0000`): how Python's `%z` writes it, and so the
# published iblai client; Django's parser (and so DRF) reads it.
BASIC_OFFSET = re.compile(r"([+-]\d{2})(\d{2})$")


def lenient_date_time(source: Callable[[object], bool]) -> Callable[[object], bool]:
    """`source`'s `date-time` check, also taking an offset written without its colon."""

    def check(instance: object) -> bool:
        if source(instance):
            return True
        return isinstance(instance, str) and bool(source(BASIC_OFFSET.sub(r"\1:\2", instance)))

    return check


def lenient_time(source: FormatChecker) -> FormatChecker:
    """`source`, with a `time` read as a client may write it, with or without an offset,
    and a `date-time` whose offset has no colon (`2026-01-01T00:00:00+0000`)."""
    checker = FormatChecker(formats=())
    checkers = dict(source.checkers)
    checkers["time"] = (is_lenient_time, ())
    if "date-time" in checkers:
        written, raises = checkers["date-time"]
        checkers["date-time"] = (lenient_date_time(written), raises)
    checker.checkers = checkers
    return checker


# What the server sends (made bodies, stored records, examples) is held to these.
OAS30_FORMATS = rfc3339(oas30_format_checker)
OAS31_FORMATS = rfc3339(oas31_format_checker)
