"""Values that look like what their property names say."""

from __future__ import annotations

import re

import pytest

from ibl_mock.data.faking import make_faker
from ibl_mock.data.naming import number_for, string_for


@pytest.mark.parametrize(
    ("name", "looks_like"),
    [
        ("attendee_name", r"[A-Z][a-z]+\.? [A-Z].*"),  # a person, not a random word
        ("employeeName", r"[A-Z][a-z]+\.? [A-Z].*"),
        ("plate", r"[A-Z0-9][A-Z0-9 -]{2,}"),
        ("serial", r"[A-Z]{2}[0-9]{8}"),
        ("contactEmail", r"[^@\s]+@[^@\s]+\.\w+"),
        ("created_at", r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"),
    ],
)
def test_strings_follow_their_names(name: str, looks_like: str) -> None:
    value = string_for(name, make_faker(7))
    assert value is not None and re.fullmatch(looks_like, value), value


def test_unknown_names_are_left_to_the_schema() -> None:
    assert string_for("flux_capacitance", make_faker(7)) is None
    assert number_for("flux_capacitance", make_faker(7)) is None


def test_money_has_two_decimals() -> None:
    price = number_for("unit_price", make_faker(7))
    assert price is not None and round(price, 2) == price and price > 0
