"""Parameters whose schemas Connexion's own parsing cannot type (a 500 before): read by
`SchemaURIParser`, handed to handlers typed, and 400 naming the parameter when wrong."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from ibl_mock.app import create_app
from ibl_mock.settings import Settings
from tests.conftest import SPECS

SPEC = SPECS / "parameters" / "openapi.yaml"


@pytest.fixture(params=["async", "flask"])
def client(request: pytest.FixtureRequest) -> Iterator[TestClient]:
    server = create_app(Settings.build(spec_path=SPEC, app_type=request.param))
    with server.app.test_client() as test_client:
        yield test_client


EVERY_STYLE = (
    "colors=red&colors=green&ids=1&ids=all&limit=3&flag=true&tags=a%20b&levels=1|2"
    "&pages=1,2&filter[size]=3&filter[color]=red&x=1.5&y=2&where=%7B%22min%22%3A1%7D"
)


def test_parameters_reach_the_handler_typed(client: TestClient) -> None:
    answer = client.get(f"/reports/daily?{EVERY_STYLE}", headers={"X-Trace": "5"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "kind": "daily",
        "colors": ["red", "green"],  # items: a $ref to an enum without a type
        "ids": [1, "all"],  # items: anyOf integer or "all"
        "limit": 3,  # allOf of a $ref
        "flag": True,  # oneOf integer or boolean
        "tags": ["a", "b"],  # spaceDelimited
        "levels": [1, 2],  # pipeDelimited
        "pages": [1, 2],  # form, not exploded
        "filter_": {"size": 3, "color": "red"},  # deepObject
        "point": {"x": 1.5, "y": 2},  # form, exploded: its properties as parameters
        "where": {"min": 1},  # `content` instead of `schema`
    }


def test_an_array_property_of_an_exploded_object_takes_every_value(client: TestClient) -> None:
    answer = client.get("/reports/daily?x=1&labels=a&labels=b")
    assert answer.status_code == 200, answer.text
    assert answer.json()["point"] == {"x": 1, "labels": ["a", "b"]}
    empty = client.get("/reports/daily?x=1&labels=")  # how a client sends one of none
    assert (empty.status_code, empty.json()["point"]) == (200, {"x": 1, "labels": []})


def test_an_array_inside_an_unexploded_object_is_taken_as_sent(client: TestClient) -> None:
    # `panes,,size,3`: commas part the pairs, so no array inside has a layout of its own
    answer = client.get("/windows", headers={"X-Frame": "panes,,size,3"})
    assert answer.status_code == 200, answer.text
    wrong = client.get("/windows", headers={"X-Frame": "panes,a,size,big"})
    assert wrong.status_code == 400  # the rest still judged


def test_an_object_inside_an_exploded_object_may_be_sent_by_its_parts(
    client: TestClient,
) -> None:
    for query in ("options[days]=3", "options.days=3", "options="):
        answer = client.get(f"/schedules?{query}")
        assert answer.status_code == 200, (query, answer.text)
    assert client.get("/schedules?days=3").status_code == 400  # `options` is not there


def test_the_objects_of_an_exploded_map_may_be_sent_by_their_parts(client: TestClient) -> None:
    # SQS' `MessageAttribute`: a map of objects, each sent as `name[part]=` or `name.part=`
    sent = client.get("/messages?colour[Kind]=text&colour[Value]=red&size.Kind=number")
    assert sent.status_code == 200, sent.text
    # each entry is an object inside an object, which OpenAPI gives no layout: as sent
    listed = client.get("/messages?colour[Value]=red&colour[Tags]=&colour[Tags][0]=a")
    assert listed.status_code == 200, listed.text


def test_a_parameter_of_json_content_is_only_its_own_query_key(client: TestClient) -> None:
    # `where` is JSON text under its own name: `min`, a property of its schema, is not it
    answer = client.get("/reports/daily?min=1")
    assert answer.status_code == 200, answer.text
    nothing = client.get("/reports/daily").json()
    assert answer.json()["where"] == nothing["where"] != {"min": 1}


def test_an_object_inside_an_exploded_object_is_taken_as_sent(client: TestClient) -> None:
    answer = client.get("/windows?start=1&lifecycle=")  # OpenAPI gives it no layout
    assert answer.status_code == 200, answer.text
    assert client.get("/windows?start=early").status_code == 400  # the rest still judged


def test_a_nullable_array_may_be_null(client: TestClient) -> None:
    answer = client.get("/reports/weekly?pages=null")
    assert (answer.status_code, answer.json()["pages"]) == (200, None)


def test_path_parameters_are_read_in_their_style(client: TestClient) -> None:
    answer = client.get("/points/;x=1;y=2")  # matrix, exploded
    assert (answer.status_code, answer.json()) == (200, {"at": {"x": 1, "y": 2}})


def test_path_numbers_are_routed_however_json_writes_them(client: TestClient) -> None:
    answer = client.get("/frames/-1.5e-308/100")  # no route before: a 404 not documented
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(
    ("url", "headers", "detail"),
    [
        ("/reports/monthly", {}, "Path parameter 'kind': 'monthly' is not one of"),
        ("/reports/daily?colors=blue", {}, "Query parameter 'colors': 'blue' is not one of"),
        ("/reports/daily?ids=1&ids=some", {}, "Query parameter 'ids': 'some' is not one of"),
        ("/reports/daily?limit=0", {}, "Query parameter 'limit': 0 is less than the minimum"),
        ("/reports/daily?flag=maybe", {}, "Query parameter 'flag': 'maybe' is not valid"),
        ("/reports/daily?levels=1|x", {}, "Query parameter 'levels': 'x' is not of type"),
        ("/reports/daily?filter[size]=big", {}, "Query parameter 'filter': 'big' is not of"),
        ("/reports/daily?x=east", {}, "Query parameter 'point': 'east' is not of type"),
        ("/reports/daily?where=%7Bmin", {}, "Query parameter 'where': '{min' is not of type"),
        ("/reports/daily", {"X-Trace": "no"}, "Header parameter 'X-Trace': 'no' is not"),
        ("/reports/daily", {"X-Range": "1,0"}, "Header parameter 'X-Range': 0 is less than"),
        ("/points/;x=one", {}, "Path parameter 'at': 'one' is not of type 'integer'"),
        ("/frames/1/2.5", {}, "Path parameter 'count': '2.5' is not of type"),
    ],
)
def test_a_value_that_fits_no_alternative_is_a_400_naming_it(
    client: TestClient, url: str, headers: dict[str, str], detail: str
) -> None:
    answer = client.get(url, headers=headers)
    assert answer.status_code == 400, answer.text
    assert answer.json()["detail"].startswith(detail)


def test_a_parameter_described_with_content_is_served() -> None:
    spec = SPECS / "corpus" / "unsupported-bits" / "openapi.yaml"
    server = create_app(Settings.build(spec_path=spec))
    key = {"X-API-Key": "convert-key-0001"}
    with server.app.test_client() as client:
        found = client.get('/conversions?where={"min_pages":2}', headers=key)
        assert found.status_code == 200, found.text
        wrong = client.get('/conversions?where={"min_pages":0}', headers=key)
        assert wrong.status_code == 400
        assert wrong.json()["detail"].startswith("Query parameter 'where': 0 is less than")


def test_a_header_parameter_named_accept_is_ignored(client: TestClient) -> None:
    answer = client.get("/reports/daily", headers={"Accept": "*/*"})  # enum: application/json
    assert answer.status_code == 200, answer.text


def test_a_cookie_holds_every_item_of_an_array(client: TestClient) -> None:
    client.cookies.set("seen", "1,2")
    assert client.get("/reports/daily").status_code == 200
    client.cookies.set("seen", "1,x")
    wrong = client.get("/reports/daily")
    assert wrong.json()["detail"] == "Cookie parameter 'seen': 'x' is not of type 'integer'"


def test_a_parameter_allowing_empty_values_may_be_sent_empty(client: TestClient) -> None:
    assert client.get("/reports/daily?verbose=").status_code == 200
    assert client.get("/reports/daily?verbose=yes").status_code == 400


def test_a_deep_object_nested_beyond_any_schema_is_not_followed(client: TestClient) -> None:
    answer = client.get("/reports/daily?filter" + "[a]" * 3000 + "=1")
    assert answer.status_code == 200, answer.text  # RecursionError typing it: a 500 before


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("since=", 200),  # not a string of one character or more: a list of one empty one
        ("since=2017", 200),
        ("count=0", 200),  # below the minimum as a number; a list of one number
        ("count=x", 400),  # neither
        ("ids=", 200),  # no items, which minItems refuses; or one empty item, which it takes
    ],
)
def test_a_single_value_of_a_parameter_taking_a_list_may_be_a_list_of_one(
    query: str, status: int
) -> None:
    server = create_app(Settings.build(spec_path=SPECS / "mixed-shape-parameters" / "openapi.yaml"))
    with server.app.test_client() as test_client:
        answer = test_client.get(f"/pulses?{query}")
    assert answer.status_code == status, answer.text


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("type=transaction&amount=3", 200),  # `type` is the parameter's, not movements'
        ("type=sales&amount=3", 200),
        ("type=account&amount=3", 400),  # the `type` parameter takes no `account`
        ("type=transaction&amount=x", 400),  # movements' own property still checked
    ],
)
def test_a_key_another_parameter_is_named_after_is_that_parameters(query: str, status: int) -> None:
    server = create_app(Settings.build(spec_path=SPECS / "colliding-parameters" / "openapi.yaml"))
    with server.app.test_client() as test_client:
        answer = test_client.get(f"/reconcile?{query}")
    assert answer.status_code == status, answer.text
