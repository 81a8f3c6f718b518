"""Made values are repaired until their schema accepts them (ibl_mock.data.fitting)."""

from __future__ import annotations

from typing import Any

from ibl_mock.data.faking import make_faker
from ibl_mock.data.fitting import fit
from ibl_mock.serving.responses import read_checker

DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "components": {
        "schemas": {
            "Closed": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "name"],
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
            }
        }
    },
}


def fitted(value: Any, schema: dict[str, Any]) -> Any:
    checker = read_checker(DOCUMENT, schema)
    result = fit(value, checker, DOCUMENT, make_faker(1))
    assert checker.is_valid(result), result
    return result


def test_extra_properties_are_dropped_and_missing_ones_made() -> None:
    result = fitted({"id": 3, "colour": "red"}, {"$ref": "#/components/schemas/Closed"})
    assert set(result) == {"id", "name"}
    assert result["id"] == 3  # what was right stays


def test_a_node_of_the_wrong_type_is_made_again_where_it_sits() -> None:
    schema = {
        "type": "object",
        "properties": {"units": {"type": "string"}, "n": {"type": "integer"}},
    }
    result = fitted({"units": -65.8, "n": 4}, schema)
    assert isinstance(result["units"], str)
    assert result["n"] == 4


def test_items_out_of_bounds_are_made_again() -> None:
    schema = {"type": "array", "items": {"type": "integer", "minimum": 10, "maximum": 20}}
    assert all(10 <= n <= 20 for n in fitted([1, 15, 99], schema))


def test_a_required_write_only_property_is_left_out_of_an_answer() -> None:
    schema = {
        "type": "object",
        "required": ["password"],
        "properties": {"password": {"type": "string", "writeOnly": True}},
    }
    checker = read_checker(DOCUMENT, schema)
    assert fit({"password": "x"}, checker, DOCUMENT, make_faker(1)) == {}


def test_a_value_that_fits_is_returned_as_it_is() -> None:
    value = {"id": 1, "name": "a"}
    assert fitted(value, {"$ref": "#/components/schemas/Closed"}) is value


def test_an_object_valid_under_several_one_of_options_is_told_apart() -> None:
    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "components": {
            "schemas": {
                "Lan": {"type": "object", "properties": {"type": {"type": "string"}}},
                "Vc": {
                    "type": "object",
                    "properties": {"type": {"type": "string"}, "capacity": {"type": "integer"}},
                },
            }
        },
    }
    schema = {
        "oneOf": [{"$ref": "#/components/schemas/Lan"}, {"$ref": "#/components/schemas/Vc"}],
        "discriminator": {"propertyName": "type", "mapping": {"lan": "#/components/schemas/Lan"}},
    }
    checker = read_checker(document, schema)
    result = fit({"type": "lan"}, checker, document, make_faker(1))
    assert checker.is_valid(result), result
    assert result["type"] == "lan"  # still the variant its tag names


def test_the_option_naming_the_object_keeps_it_when_options_overlap() -> None:
    # `{warning}` fits both (neither requires anything): it stays the "not found" answer
    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "components": {
            "schemas": {
                "Found": {
                    "type": "object",
                    "properties": {"data": {"type": "array", "items": {"type": "string"}}},
                },
                "NotFound": {"type": "object", "properties": {"warning": {"type": "string"}}},
            }
        },
    }
    options = [{"$ref": "#/components/schemas/Found"}, {"$ref": "#/components/schemas/NotFound"}]
    checker = read_checker(document, {"oneOf": options})
    result = fit({"warning": "no match"}, checker, document, make_faker(1))
    assert checker.is_valid(result), result
    assert result["warning"] == "no match" and not isinstance(result.get("data"), list)


def test_items_no_value_can_fit_are_left_out_of_their_list() -> None:
    # One option listed twice: whatever matches one matches both, so no item is valid
    twice = {"oneOf": [{"$ref": "#/components/schemas/Closed"}] * 2}
    schema = {"type": "object", "properties": {"included": {"type": "array", "items": twice}}}
    result = fitted({"included": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]}, schema)
    assert result == {"included": []}


def test_options_typing_one_property_differently_are_all_told_apart() -> None:
    # `{name}` fits all three; `x` typed a string by one and an integer by the other: a
    # value fitting neither tells both apart (a string set for one let the other in)
    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "components": {
            "schemas": {
                "Named": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {"name": {"type": "string"}},
                },
                "Texts": {"type": "object", "properties": {"x": {"type": "string"}}},
                "Counts": {"type": "object", "properties": {"x": {"type": "integer"}}},
            }
        },
    }
    options = [{"$ref": f"#/components/schemas/{n}"} for n in ("Named", "Texts", "Counts")]
    checker = read_checker(document, {"oneOf": options})
    result = fit({"name": "a"}, checker, document, make_faker(1))
    assert checker.is_valid(result), result
    assert result["name"] == "a"


def test_options_differing_only_in_their_items_are_told_apart_in_an_item() -> None:
    # Sent and Failed both take `{messages: [{status}]}`; only their items differ
    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "components": {
            "schemas": {
                "Sent": {"type": "object", "properties": {"messages": list_of("Message")}},
                "Failed": {"type": "object", "properties": {"messages": list_of("Problem")}},
                "Message": {"type": "object", "properties": {"status": {"type": "string"}}},
                "Problem": {
                    "type": "object",
                    "properties": {"status": {"type": "string"}, "text": {"type": "string"}},
                },
            }
        },
    }
    options = [{"$ref": "#/components/schemas/Sent"}, {"$ref": "#/components/schemas/Failed"}]
    checker = read_checker(document, {"oneOf": options})
    result = fit({"messages": [{"status": "0"}]}, checker, document, make_faker(1))
    assert checker.is_valid(result), result
    assert result["messages"][0]["status"] == "0"


def list_of(name: str) -> dict[str, Any]:
    return {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}}
