from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

import pytest
from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker

from ibl_mock.contract.spec import read_document
from ibl_mock.data.faking import SchemaFaker, make_faker, types_of
from ibl_mock.data.naming import string_for
from ibl_mock.data.patterns import generable
from ibl_mock.data.vocabulary import Vocabulary, vocabulary_from
from tests.conftest import SPECS

DOCUMENT = read_document(SPECS / "schemas" / "openapi.yaml")
NAMES = sorted(DOCUMENT["components"]["schemas"])


def generate(name: str, seed: int, **kwargs: Any) -> Any:
    faker = SchemaFaker(DOCUMENT, make_faker(seed), use_examples=False)
    return faker.value({"$ref": f"#/components/schemas/{name}"}, **kwargs)


def errors(name: str, value: Any) -> list[str]:
    schema = {**DOCUMENT, "$ref": f"#/components/schemas/{name}"}
    validator = OAS30ReadValidator(schema, format_checker=oas30_format_checker)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(value)]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", range(25))
def test_every_value_is_valid_against_its_schema(name: str, seed: int) -> None:
    assert errors(name, generate(name, seed)) == []


def test_same_seed_same_value_other_seed_other_value() -> None:
    assert generate("Person", 3) == generate("Person", 3)
    assert generate("Person", 3) != generate("Person", 4)


def test_values_look_like_their_names_and_formats() -> None:
    person = generate("Person", 1)
    assert re.fullmatch(r"[^@\s]+@[^@\s]+\.\w+", person["email"])
    assert re.fullmatch(r"[A-Z]{3}-[0-9]{4}", person["code"])
    assert person["created_at"].endswith("Z") and person["created_at"] < "2026-07"
    assert " " in person["name"]  # a person's name, not a random word
    assert person["step"] % 5 == 0 and 0 < person["price"] <= 500


def test_direction_drops_write_only_from_responses_and_read_only_from_requests() -> None:
    response = generate("Person", 2)
    request = generate("Person", 2, direction="request")
    assert "password" not in response and "password" in request
    assert "id" in response  # required read-only fields stay in responses


def test_the_base_of_a_hierarchy_is_tagged_as_its_mapping_names() -> None:
    mapping = DOCUMENT["components"]["schemas"]["Problem"]["discriminator"]["mapping"]
    for seed in range(10):
        assert generate("Problem", seed)["type"] in mapping
        assert generate("ConflictProblem", seed)["type"] in mapping


def test_recursion_is_bounded() -> None:
    def depth(node: dict[str, Any]) -> int:
        return 1 + max([depth(c) for c in node["children"]] + [0])

    assert depth(generate("Node", 5)) <= 9


def test_discriminator_names_the_chosen_option() -> None:
    kinds = set()
    for seed in range(20):
        pet = SchemaFaker(DOCUMENT, make_faker(seed), use_examples=False).value(
            {"$ref": "#/components/schemas/Pet"}, depth=1
        )
        kinds.add(pet["kind"])
        assert ("lives" in pet) == (pet["kind"] == "cat")
    assert kinds == {"cat", "dog"}


def test_a_tag_the_option_refuses_is_not_forced_on_it() -> None:
    # No mapping: the implicit tags are the schema names, and `Folder` takes only `folder`
    kinds = {"type": "object", "required": ["type"]}
    document = {
        "components": {
            "schemas": {
                "Folder": {**kinds, "properties": {"type": {"type": "string", "enum": ["folder"]}}},
                "Share": {**kinds, "properties": {"type": {"type": "string"}}},
            }
        }
    }
    options = [{"$ref": "#/components/schemas/Folder"}, {"$ref": "#/components/schemas/Share"}]
    schema = {"anyOf": options, "discriminator": {"propertyName": "type"}}
    made = [
        SchemaFaker(document, make_faker(seed), use_examples=False).value(schema, depth=1)
        for seed in range(12)
    ]
    assert {item["type"] for item in made} == {"folder", "Share"}


def test_examples_are_used_unless_dynamic() -> None:
    schema = {"type": "string", "example": "from the spec"}
    assert SchemaFaker({}, make_faker(0)).value(schema) == "from the spec"
    assert SchemaFaker({}, make_faker(0), use_examples=False).value(schema) != "from the spec"


def test_types_of_reads_31_lists_and_infers() -> None:
    assert types_of({"type": ["null", "string"]}) == ["string", "null"]
    assert types_of({"properties": {}}) == ["object"]
    assert types_of({"items": {}}) == ["array"]


def test_an_example_of_the_wrong_type_is_not_used() -> None:
    faker = SchemaFaker({}, make_faker(1))
    made = faker.value({"type": "string", "example": -65.8})
    assert isinstance(made, str)
    assert faker.value({"type": "integer", "example": 7}) == 7


def test_a_string_of_max_length_zero_is_empty() -> None:
    assert SchemaFaker({}, make_faker(1)).value({"type": "string", "maxLength": 0}) == ""


def test_unicode_classes_are_generated_as_ascii_stand_ins() -> None:
    assert generable(r"^[\p{L}\p{N} _-]+$") == "^[a-zA-Z0-9 _-]+$"
    assert generable(r"\p{Lu}x") == "[A-Z]x"
    made = SchemaFaker({}, make_faker(1)).value({"type": "string", "pattern": r"^\p{L}+$"})
    assert re.fullmatch("[a-zA-Z]+", made)


def test_a_pattern_over_all_of_unicode_is_drawn_from_printable_ascii() -> None:
    schema = {"type": "string", "pattern": "^[\u0020-\ud7ff\t]*$", "minLength": 5}
    made = SchemaFaker({}, make_faker(1)).value(schema)
    assert len(made) >= 5
    assert all(" " <= c <= "~" or c == "\t" for c in made)


# Azure's host pattern: rstr's 100 draws per open repeat, nested, made ~10,000 characters.
NESTED_OPEN_REPEATS = (
    r"^(?:[hH][tT][tT][pP][sS]?\:\/\/(?:[a-zA-Z0-9-]+[.]?)+(?:\:[0-9]{1,5})?|[*])$"
)


@pytest.mark.parametrize("seed", range(20))
def test_nested_open_repeats_make_short_matching_strings(seed: int) -> None:
    made = SchemaFaker({}, make_faker(seed)).value(
        {"type": "string", "pattern": NESTED_OPEN_REPEATS}
    )
    assert re.fullmatch(NESTED_OPEN_REPEATS, made)
    assert len(made) < 200


def test_explicit_repeat_bounds_are_kept() -> None:
    made = SchemaFaker({}, make_faker(1)).value({"type": "string", "pattern": "^[a-z]{40,50}$"})
    assert re.fullmatch("[a-z]{40,50}", made)


def test_a_short_pattern_match_is_padded_within_the_pattern() -> None:
    schema = {"type": "string", "pattern": "^[a-f0-9]+$", "minLength": 150}
    made = SchemaFaker({}, make_faker(1)).value(schema)
    assert len(made) >= 150
    assert re.fullmatch("[a-f0-9]+", made)


def test_multiples_of_a_decimal_step_are_exact_as_written() -> None:
    # 2573942 * 0.01 is 25739.420000000002 in binary floats: "not a multiple of 0.01"
    faker = SchemaFaker({}, make_faker(1), use_examples=False)
    schema = {"type": "number", "multipleOf": 0.01, "minimum": 0, "maximum": 100000}
    for _ in range(200):
        value = faker.value(schema)
        assert (Fraction(repr(value)) / Fraction("0.01")).denominator == 1, value


def test_a_back_reference_to_a_group_not_drawn_does_not_crash() -> None:
    # rstr's KeyError for `\1` when the branch holding group 1 was not drawn: a 500 before
    faker = SchemaFaker({}, make_faker(1), use_examples=False)
    drawn = [faker.value({"type": "string", "pattern": r"^(?:(a)|b)\1$"}) for _ in range(20)]
    assert "aa" in drawn and all(isinstance(text, str) for text in drawn)


def test_an_array_of_at_most_no_items_is_empty() -> None:
    faker = SchemaFaker({}, make_faker(1), use_examples=False)
    assert faker.value({"type": "array", "maxItems": 0, "items": {"type": "string"}}) == []
    assert len(faker.value({"type": "array", "minItems": 2, "maxItems": 1, "items": {}})) == 2


def tutors_words(*rules: dict[str, Any]) -> Vocabulary:
    """A mock's vocabulary of `rules`, as its names file would give it."""
    return Vocabulary(vocabulary_from({"names": list(rules)}))


TUTOR = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "owner": {"type": "object", "properties": {"name": {"type": "string"}}},
        "slug": {"type": "string", "pattern": "^[a-z-]+$"},
        "code": {"type": "string", "pattern": "^T[0-9]{4}$"},
        "level": {"type": "string", "enum": ["intro", "advanced"]},
    },
}


def test_the_mocks_vocabulary_knows_what_holds_a_property() -> None:
    words = tutors_words(
        {"match": "^name$", "within": "(^|_)tutors$", "values": ["Algebra Ace"]},
        {"match": "^(slug|code|level)$", "values": ["algebra-ace"]},
    )
    for seed in range(10):
        faker = SchemaFaker({}, make_faker(seed), False, kind="my-tutors", vocabulary=words)
        made = faker.value(TUTOR)
        assert made["name"] == "Algebra Ace"
        assert made["owner"]["name"] != "Algebra Ace"  # held by `owner`: a person's name
        assert made["slug"] == "algebra-ace"  # a named value its pattern takes
        assert re.fullmatch(r"T[0-9]{4}", made["code"])  # one it refuses: drawn from it
        assert made["level"] in ("intro", "advanced")  # an enum is an enum
    other = SchemaFaker({}, make_faker(0), False, kind="courses", vocabulary=words).value(TUTOR)
    assert other["name"] != "Algebra Ace"


def test_named_values_its_pattern_takes_are_preferred_to_drawn_ones() -> None:
    schema = {"type": "string", "pattern": "^[a-z0-9._]+$"}
    for seed in range(10):
        made = SchemaFaker({}, make_faker(seed)).value(schema, "username")
        twin = make_faker(seed)
        twin.random.random()  # what SchemaFaker draws first, to seed its pattern drawing
        assert made == string_for("username", twin)  # a user name, not `a_3.x`
