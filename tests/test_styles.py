"""styles: parameter values taken apart as OpenAPI lays them out, before typing."""

from __future__ import annotations

from typing import Any

import pytest

from ibl_mock.pipeline.coercion import Schemas
from ibl_mock.pipeline.styles import deep_object, exploded_object, serialised, simple

SCHEMAS = Schemas()
INTEGER = {"type": "integer"}


def query(schema: dict[str, Any], **param: Any) -> dict[str, Any]:
    return {"in": "query", "name": "q", "schema": schema, **param}


LIST = {"type": "array", "items": INTEGER}
OBJECT = {"type": "object", "properties": {"x": INTEGER}}


@pytest.mark.parametrize(
    ("values", "param", "laid_out"),
    [
        (["1", "2"], query(LIST), ["1", "2"]),  # form, exploded: one item per occurrence
        (["1,2"], query(LIST), ["1,2"]),
        (["1,2"], query(LIST, explode=False), ["1", "2"]),
        (["1 2"], query(LIST, style="spaceDelimited", explode=False), ["1", "2"]),
        (["1|2"], query(LIST, style="pipeDelimited", explode=False), ["1", "2"]),
        ([""], query(LIST, explode=False), []),
        (["null"], query({**LIST, "nullable": True}, explode=False), "null"),
        (["x,1,y,2"], query(OBJECT, explode=False), {"x": "1", "y": "2"}),
        (["a", "b"], query({"oneOf": [{"type": "string"}, {"type": "array"}]}), ["a", "b"]),
        (["a", "b"], query({"type": "string"}), "b"),  # the last one, as Connexion reads it
        (['{"x": 1}'], {"in": "query", "name": "q", "content": {"application/json": {}}},
         {"x": 1}),
    ],
)  # fmt: skip
def test_query_values_are_laid_out_by_style(
    values: list[str], param: dict[str, Any], laid_out: Any
) -> None:
    assert serialised(values, param, SCHEMAS) == laid_out


def path(schema: dict[str, Any], **param: Any) -> dict[str, Any]:
    return {"in": "path", "name": "p", "schema": schema, **param}


@pytest.mark.parametrize(
    ("text", "param", "laid_out"),
    [
        ("1,2", path(LIST), ["1", "2"]),
        ("x=1,y=2", path(OBJECT, explode=True), {"x": "1", "y": "2"}),
        (".1.2", path(LIST, style="label", explode=True), ["1", "2"]),
        (".1,2", path(LIST, style="label"), ["1", "2"]),
        (";p=1,2", path(LIST, style="matrix"), ["1", "2"]),
        (";p=1;p=2", path(LIST, style="matrix", explode=True), ["1", "2"]),
        (";x=1;y=2", path(OBJECT, style="matrix", explode=True), {"x": "1", "y": "2"}),
        (";p=5", path(INTEGER, style="matrix"), "5"),
    ],
)  # fmt: skip
def test_path_values_are_laid_out_by_style(text: str, param: dict[str, Any], laid_out: Any) -> None:
    assert simple(text, param, SCHEMAS) == laid_out


def test_deep_objects_nest() -> None:
    sent = {"f[size]": ["3"], "f[at][x]": ["1"], "other": ["y"]}
    assert deep_object("f", sent) == {"size": "3", "at": {"x": "1"}}
    assert deep_object("g", sent) is None


def test_an_exploded_object_gathers_its_properties_from_the_query() -> None:
    sent = {"x": ["1"], "y": ["2"], "page": ["3"]}
    assert exploded_object(query(OBJECT), sent, {"q", "page"}, SCHEMAS) == {"x": "1"}
    free = query({"type": "object"})
    assert exploded_object(free, sent, {"q", "page"}, SCHEMAS) == {"x": "1", "y": "2"}
