"""Realistic values for well-known property names: `email`, `city`, `price`, `created_at`...

Two tables, consulted in order, first match wins; the key is a regex over the property
name in snake_case, the value a function of a seeded Faker.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from faker import Faker

from .moments import iso_date, iso_datetime

StringMaker = Callable[[Faker], str]
NumberMaker = Callable[[Faker], float]

STRING_NAMES: list[tuple[str, StringMaker]] = [
    (r"e_?mail", lambda f: f.email()),
    (r"^(user_?name|login|handle)$", lambda f: f.user_name()),
    (r"first_?name|given_?name", lambda f: f.first_name()),
    (r"last_?name|family_?name|surname", lambda f: f.last_name()),
    (r"^(full_?name|name|display_?name|author|owner)$", lambda f: f.name()),
    (
        r"^(attendee|employee|customer|client|contact|speaker|member|guest|patient|student"
        r"|teacher|driver|manager|assignee|reporter|requester|recipient|sender|holder|person)"
        r"(_?name)?$",
        lambda f: f.name(),
    ),
    (r"(^|_)(license_?|licence_?|number_?)?plate$", lambda f: f.license_plate()),
    (r"^(make|brand|manufacturer|vendor|supplier)$", lambda f: f.company()),
    (r"(^|_)serial(_?number)?$", lambda f: f.bothify("??########").upper()),
    (r"company|organi[sz]ation|org_?name", lambda f: f.company()),
    (r"(^|_)(city|town)$", lambda f: f.city()),
    (r"country_?code", lambda f: f.country_code()),
    (r"country", lambda f: f.country()),
    (r"(^|_)state$|province|region", lambda f: f.state()),
    (r"street|address", lambda f: f.street_address()),
    (r"zip|postal|post_?code", lambda f: f.postcode()),
    (r"phone|mobile|fax", lambda f: f.phone_number()),
    (
        r"(^|_)(image|avatar|photo|picture|thumbnail|logo)(_url)?$",
        lambda f: f"https://picsum.photos/seed/{f.hexify('^^^^^^^^')}/640/480",
    ),
    (r"(^|_)(url|uri|link|href|website|homepage)$", lambda f: f.url()),
    (
        r"(^|_)(created|updated|modified|deleted)(_at|_on|_date)?$|_at$|timestamp",
        lambda f: iso_datetime(f),
    ),
    (r"(^|_)(date|birthday|dob)$|_date$|_on$", lambda f: iso_date(f)),
    (r"(^|_)(title|headline|subject)$", lambda f: f.sentence(nb_words=4).rstrip(".")),
    (
        r"description|summary|bio|about|comment|body|content|message|text|note",
        lambda f: f.paragraph(nb_sentences=2),
    ),
    (r"slug", lambda f: f.slug()),
    (r"colou?r", lambda f: f.color_name()),
    (r"currency", lambda f: f.currency_code()),
    (r"(^|_)(lang|language|locale)$", lambda f: f.language_code()),
    (r"(^|_)(ip|ip_?address)$", lambda f: f.ipv4()),
    (r"domain|host", lambda f: f.domain_name()),
    (r"uuid|guid", lambda f: f.uuid4()),
    (r"token|secret|api_?key|password", lambda f: f.hexify("^" * 32)),
    (r"(^|_)(sku|code)$", lambda f: f.bothify("??-####").upper()),
    (r"(^|_)(status|state)$", lambda f: f.random_element(["active", "pending", "archived"])),
    (r"(^|_)(tag|category|genre|type|kind)$", lambda f: f.word()),
    (r"(^|_)(job|occupation|role)$", lambda f: f.job()),
    (r"isbn", lambda f: f.isbn13()),
    (r"(^|_)(file_?name|filename)$", lambda f: f.file_name()),
    (r"mime|content_?type", lambda f: f.mime_type()),
    (r"user_?agent", lambda f: f.user_agent()),
]

NUMBER_NAMES: list[tuple[str, NumberMaker]] = [
    (
        r"price|amount|cost|total|balance|fee|salary",
        lambda f: round(f.random_int(100, 99_999) / 100, 2),
    ),
    (r"(^|_)(lat|latitude)$", lambda f: float(f.latitude())),
    (r"(^|_)(lng|lon|long|longitude)$", lambda f: float(f.longitude())),
    (r"(^|_)age$", lambda f: f.random_int(18, 90)),
    (r"year", lambda f: f.random_int(1990, 2026)),
    (r"rating|score|stars", lambda f: f.random_int(1, 5)),
    (r"quantity|count|stock|size|pages|number_of|num_", lambda f: f.random_int(0, 250)),
    (r"percent|ratio", lambda f: f.random_int(0, 100)),
]

_COMPILED_STRINGS = [(re.compile(p), m) for p, m in STRING_NAMES]
_COMPILED_NUMBERS = [(re.compile(p), m) for p, m in NUMBER_NAMES]


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).replace("-", "_").lower()


def string_for(name: str | None, fake: Faker) -> str | None:
    found = _first(_COMPILED_STRINGS, name, fake)
    return None if found is None else str(found)


def number_for(name: str | None, fake: Faker) -> float | None:
    found = _first(_COMPILED_NUMBERS, name, fake)
    return None if found is None else float(found)


def _first(table: list[tuple[re.Pattern[str], Any]], name: str | None, fake: Faker) -> Any:
    if not name:
        return None
    key = snake(name)
    for pattern, maker in table:
        if pattern.search(key):
            return maker(fake)
    return None
