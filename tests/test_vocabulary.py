"""A mock's own vocabulary: rules read from a names file, and the values they give."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ibl_mock.data.faking import make_faker
from ibl_mock.data.vocabulary import Vocabulary, VocabularyError, vocabulary_from

LISTS = {"tutor": ["Algebra Ace", "Essay Owl"], "code": ["MATH1", "POEM2"]}


def vocabulary(*rules: dict[str, Any]) -> Vocabulary:
    return Vocabulary(vocabulary_from({"lists": LISTS, "names": list(rules)}))


def test_a_named_list_gives_its_values_to_names_that_match() -> None:
    words = vocabulary({"match": "^tutor_name$", "values": "tutor"})
    made = {words.string("tutorName", "", make_faker(seed)) for seed in range(20)}
    assert made == {"Algebra Ace", "Essay Owl"}  # camelCase read as snake_case
    assert words.string("name", "", make_faker(0)) is None  # left to the generic table


def test_within_narrows_a_rule_to_what_holds_the_property() -> None:
    words = vocabulary({"match": "^name$", "within": "(^|_)tutors?$", "values": "tutor"})
    assert words.string("name", "recently-seen-tutors", make_faker(1)) in LISTS["tutor"]
    assert words.string("name", "tutor", make_faker(1)) in LISTS["tutor"]
    assert words.string("name", "tutoring_sessions", make_faker(1)) is None


def test_the_first_rule_that_applies_wins() -> None:
    words = vocabulary(
        {"match": "^name$", "within": "tutors", "values": ["specific"]},
        {"match": "name", "values": ["general"]},
    )
    assert words.string("name", "tutors", make_faker(0)) == "specific"
    assert words.string("name", "courses", make_faker(0)) == "general"
    assert words.string("file_name", "", make_faker(0)) == "general"


def test_templates_fill_lists_then_faker_methods() -> None:
    words = vocabulary({"match": "^course_id$", "template": "course-v1:main+{code}+{year}"})
    made = words.string("course_id", "", make_faker(3))
    assert made is not None and re.fullmatch(r"course-v1:main\+(MATH1|POEM2)\+\d{4}", made)


def test_like_and_faker_reach_the_engines_generators() -> None:
    words = vocabulary(
        {"match": "^location$", "like": "city"},
        {"match": "^ref$", "faker": "uuid4"},
        {"match": "^pages$", "like": "pages"},
    )
    location = words.string("location", "", make_faker(2))
    assert location is not None and location[0].isupper() and len(location.split()) <= 3
    assert re.fullmatch(r"[0-9a-f-]{36}", words.string("ref", "", make_faker(2)) or "")
    assert words.number("pages", "", make_faker(2)) is not None  # a numeric generator
    assert words.string("pages", "", make_faker(2)) is None


def test_numbers_go_to_numeric_properties_and_text_to_text_ones() -> None:
    words = vocabulary(
        {"match": "^hours$", "values": [7, 9]}, {"match": "^hours$", "values": ["x"]}
    )
    assert words.number("hours", "", make_faker(0)) in (7.0, 9.0)
    assert words.string("hours", "", make_faker(0)) == "x"


def test_the_same_seed_draws_the_same_values() -> None:
    words = vocabulary({"match": "^tutor$", "values": "tutor"})
    first = [words.string("tutor", "", make_faker(5)) for _ in range(5)]
    assert first == [words.string("tutor", "", make_faker(5)) for _ in range(5)]


def test_a_faker_method_whose_arguments_are_optional_is_taken() -> None:
    words = vocabulary({"match": "^ref$", "faker": "pystr"})
    assert isinstance(words.string("ref", "", make_faker(0)), str)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"values": "tutor"}, r"rule #1: needs 'match:"),
        ({"match": "^a$"}, r"rule #1 \(\^a\$\): give exactly one of values, template"),
        ({"match": "^a$", "values": "tutor", "faker": "name"}, "give exactly one of"),
        ({"match": "^a$", "values": "tutor", "color": "red"}, "give exactly one of"),
        ({"match": "(", "values": "tutor"}, r"'\(' is not a regular expression"),
        ({"match": "^a$", "within": "[", "values": "tutor"}, "not a regular expression"),
        ({"match": "^a$", "values": "nope"}, "'nope' is neither a list nor the name of one"),
        ({"match": "^a$", "values": [1, "one"]}, "give all text or all numbers"),
        ({"match": "^a$", "template": "{nope}"}, "'nope' is neither a list nor a Faker method"),
        ({"match": "^a$", "faker": "parse"}, "Faker's 'parse' needs arguments"),
        ({"match": "^a$", "like": "flux_capacitance"}, "the engine's table has nothing"),
    ],
)
def test_rules_that_cannot_work_are_refused_with_the_reason(
    rule: dict[str, Any], message: str
) -> None:
    with pytest.raises(VocabularyError, match=message):
        vocabulary(rule)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"lists": {"a": []}}, "'lists' must map names to non-empty lists"),
        ({"lists": ["a"]}, "'lists' must map names"),
        ({"names": {"match": "a"}}, "'names' must be a list of rules"),
    ],
)
def test_sections_of_the_wrong_shape_are_refused(data: dict[str, Any], message: str) -> None:
    with pytest.raises(VocabularyError, match=message):
        vocabulary_from(data)
