"""A mock's own words for property names, consulted before the engine's generic table.

The engine's table (`naming`) knows names any API has (`email`, `city`, `price`); what a
`name` or a `prompt` holds depends on the domain. A mock says it in `fixtures/names.yaml`
(read by `names_file`), whose `lists` and `names` sections become a `Vocabulary`:

    lists:                              # named lists, for rules and templates
      mentor: [Calculus Tutor, Essay Coach]
      course_code: [CS101, MATH201]
    names:                              # rules, in order: the first that applies wins
      - match: ^mentor_name$            # a regex searched in the property's snake_case name
        values: mentor                  # a list's name, or a list written here
      - match: ^name$
        within: mentors?$               # and in the name of the object holding it
        values: mentor
      - match: ^course_id$
        template: course-v1:main+{course_code}+2025   # {x}: a list, else a Faker method
      - match: ^location$
        like: city                      # what the generic table makes for `city`
      - match: ^session_id$
        faker: uuid4                    # a Faker method, called without arguments

A list of numbers gives values to numeric properties, anything else to text ones. Made
values still answer to their schema: the faker takes one only where it fits.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from faker import Faker

from .naming import number_for, snake, string_for

Maker = Callable[[Faker], Any]
KINDS = ("values", "template", "like", "faker")


class VocabularyError(ValueError):
    """A rule or list that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class Rule:
    match: re.Pattern[str]
    within: re.Pattern[str] | None  # None: wherever the property is
    make: Maker
    numeric: bool  # gives numbers (for numeric properties), else text

    def applies(self, name: str, within: str) -> bool:
        if self.match.search(name) is None:
            return False
        return self.within is None or self.within.search(within) is not None


class Vocabulary:
    """Rules in order; which one a (name, holder) pair takes is worked out once."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self._chosen: dict[tuple[str, str, bool], Rule | None] = {}

    def __bool__(self) -> bool:
        return bool(self.rules)

    def string(self, name: str | None, within: str, fake: Faker) -> str | None:
        rule = self.rule_for(name, within, numeric=False)
        return None if rule is None else str(rule.make(fake))

    def number(self, name: str | None, within: str, fake: Faker) -> float | None:
        rule = self.rule_for(name, within, numeric=True)
        return None if rule is None else float(rule.make(fake))

    def rule_for(self, name: str | None, within: str, numeric: bool) -> Rule | None:
        if not name or not self.rules:
            return None
        key = (name, within, numeric)
        if key not in self._chosen:  # a race makes it twice, the same both times
            wanted, holder = snake(name), snake(within)
            self._chosen[key] = next(
                (r for r in self.rules if r.numeric == numeric and r.applies(wanted, holder)),
                None,
            )
        return self._chosen[key]


EMPTY = Vocabulary(())


def vocabulary_from(data: Mapping[str, Any]) -> list[Rule]:
    """The rules of a names file's `lists` and `names` sections."""
    lists = data.get("lists") or {}
    if not isinstance(lists, dict) or not all(valid_list(v) for v in lists.values()):
        raise VocabularyError("'lists' must map names to non-empty lists of values")
    written = data.get("names") or []
    if not isinstance(written, list):
        raise VocabularyError("'names' must be a list of rules")
    return [rule_from(entry, index, lists) for index, entry in enumerate(written, 1)]


def rule_from(entry: Any, index: int, lists: Mapping[str, list[Any]]) -> Rule:
    label = f"names rule #{index}"
    if not isinstance(entry, dict) or not isinstance(entry.get("match"), str):
        raise VocabularyError(f"{label}: needs 'match: <regex over the property name>'")
    kinds = [k for k in KINDS if k in entry]
    unknown = set(entry) - {"match", "within", *KINDS}
    if len(kinds) != 1 or unknown:
        raise VocabularyError(f"{label} ({entry['match']}): give exactly one of {', '.join(KINDS)}")
    try:
        make, numeric = MAKERS[kinds[0]](entry[kinds[0]], lists)
    except VocabularyError as exc:
        raise VocabularyError(f"{label} ({entry['match']}): {exc}") from None
    within = entry.get("within")
    return Rule(
        compiled(entry["match"], label),
        None if within is None else compiled(within, label),
        make,
        numeric,
    )


def compiled(pattern: Any, label: str) -> re.Pattern[str]:
    try:
        return re.compile(str(pattern))
    except re.error as exc:
        raise VocabularyError(f"{label}: {pattern!r} is not a regular expression: {exc}") from None


def valid_list(values: Any) -> bool:
    return isinstance(values, list) and bool(values)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def values_maker(written: Any, lists: Mapping[str, list[Any]]) -> tuple[Maker, bool]:
    """One of a list, written in place or named."""
    values = lists.get(written) if isinstance(written, str) else written
    if not valid_list(values):
        raise VocabularyError(f"values: {written!r} is neither a list nor the name of one")
    assert isinstance(values, list)
    numeric = all(is_number(v) for v in values)
    if not numeric and not all(isinstance(v, str) for v in values):
        raise VocabularyError("values: give all text or all numbers")
    choices = tuple(values)
    return (lambda fake: fake.random_element(choices)), numeric


def template_maker(written: Any, lists: Mapping[str, list[Any]]) -> tuple[Maker, bool]:
    """Text with `{x}` filled from the list `x`, else from the Faker method `x`."""
    if not isinstance(written, str):
        raise VocabularyError("template: must be text")
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(written) if f is not None]
    except ValueError as exc:
        raise VocabularyError(f"template: {exc}") from None
    parts = {f: part_maker(f, lists) for f in fields}

    def make(fake: Faker) -> str:
        return written.format_map({name: part(fake) for name, part in parts.items()})

    return make, False


def part_maker(name: str, lists: Mapping[str, list[Any]]) -> Maker:
    if name in lists:
        return values_maker(name, lists)[0]
    return faker_maker(name, lists)[0]


def like_maker(written: Any, _lists: Mapping[str, list[Any]]) -> tuple[Maker, bool]:
    """What the engine's generic table makes for another property name."""
    name = str(written)
    if string_for(name, probe()) is not None:
        return (lambda fake: string_for(name, fake)), False
    if number_for(name, probe()) is not None:
        return (lambda fake: number_for(name, fake)), True
    raise VocabularyError(f"like: the engine's table has nothing for {name!r}")


def faker_maker(written: Any, _lists: Mapping[str, list[Any]]) -> tuple[Maker, bool]:
    """A Faker method called without arguments (`uuid4`, `catch_phrase`)."""
    name = str(written)
    if name.startswith("_") or not callable(getattr(probe(), name, None)):
        raise VocabularyError(f"{name!r} is neither a list nor a Faker method")
    try:
        made = getattr(probe(), name)()
    except TypeError:
        raise VocabularyError(f"Faker's {name!r} needs arguments") from None
    except Exception as exc:  # a method that cannot run as written: say so at start
        raise VocabularyError(f"Faker's {name!r} fails: {type(exc).__name__}: {exc}") from None
    return (lambda fake: getattr(fake, name)()), is_number(made)


MAKERS: dict[str, Callable[[Any, Mapping[str, list[Any]]], tuple[Maker, bool]]] = {
    "values": values_maker,
    "template": template_maker,
    "like": like_maker,
    "faker": faker_maker,
}


@functools.cache
def probe() -> Faker:
    """A Faker to check rules with when they are read (its values are thrown away)."""
    return Faker("en_US")
