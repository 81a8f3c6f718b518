from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from ibl_mock.app import create_app
from ibl_mock.pipeline import validation
from ibl_mock.pipeline.coercion import Schemas
from ibl_mock.pipeline.parsing import SchemaURIParser
from ibl_mock.pipeline.quick_bodies import UNKNOWN, Verdict
from ibl_mock.pipeline.validation import read_text
from ibl_mock.settings import Settings
from tests.conftest import SPECS, serve_spec


@pytest.fixture
def things() -> Iterator[TestClient]:
    spec = SPECS / "things" / "spec" / "openapi.yaml"
    with create_app(Settings.build(spec_path=spec)).app.test_client() as c:
        yield c


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("verbose=maybe", "Query parameter 'verbose': 'maybe' is not of type 'boolean'"),
        ("limit=9", "Query parameter 'limit': 9 is greater than the maximum of 5"),
        ("limit=0", "Query parameter 'limit': 0 is less than the minimum of 1"),
    ],
)
def test_one_line_errors_name_the_parameter(things: TestClient, query: str, detail: str) -> None:
    response = things.get(f"/things/1/?key=k&{query}")
    assert (response.status_code, response.json()) == (400, {"detail": detail})


def test_a_huge_value_is_not_echoed_whole(things: TestClient) -> None:
    response = things.get("/things/1/?key=k&limit=" + "x" * 50_000)
    detail = response.json()["detail"]
    assert response.status_code == 400
    assert detail.startswith("Query parameter 'limit': ") and len(detail) <= 250


def test_valid_parameters_pass(things: TestClient) -> None:
    assert things.get("/things/2/?key=k&limit=5&verbose=false").status_code == 200


@pytest.fixture
def formats() -> Iterator[TestClient]:
    spec = SPECS / "formats" / "openapi.yaml"
    with create_app(Settings.build(spec_path=spec)).app.test_client() as c:
        yield c


METER = "/meters/6f1c2a4e-8d3b-4f7a-9c2e-1b5d7e9a0c3f"


@pytest.mark.parametrize(
    ("url", "detail"),
    [
        ("/meters/not-a-uuid", "Path parameter 'meterId': 'not-a-uuid' is not a 'uuid'"),
        (f"{METER}?day=31/12/2025", "Query parameter 'day': '31/12/2025' is not a 'date'"),
    ],
)
def test_parameters_are_checked_for_openapi_formats(
    formats: TestClient, url: str, detail: str
) -> None:
    response = formats.get(url)
    assert (response.status_code, response.json()) == (400, {"detail": detail})
    assert formats.get(f"{METER}?day=2025-12-31").status_code == 200


def test_form_fields_are_checked_for_openapi_formats(formats: TestClient) -> None:
    bad = formats.post("/readings", data={"taken_on": "yesterday"})
    assert bad.status_code == 400 and "'yesterday' is not a 'date'" in bad.json()["detail"]
    assert formats.post("/readings", data={"taken_on": "2025-12-31"}).status_code == 201  # no id


def test_a_required_raw_body_must_be_sent_but_may_be_empty(formats: TestClient) -> None:
    missing = formats.put("/firmware")
    assert (missing.status_code, missing.json()) == (400, {"detail": "Request body is required."})
    empty_file = formats.put(
        "/firmware", content=b"", headers={"Content-Type": "application/octet-stream"}
    )
    assert empty_file.status_code == 202
    assert (
        formats.put(
            "/firmware", content=b"\x00\x01", headers={"Content-Type": "application/octet-stream"}
        ).status_code
        == 202
    )


def test_a_raw_body_over_the_limit_is_413(formats: TestClient) -> None:
    huge = formats.put(
        "/firmware", content=b"\x00" * (10 * 1024 * 1024 + 1),
        headers={"Content-Type": "application/octet-stream"},
    )  # fmt: skip
    assert huge.status_code == 413


INTEGER, BOOLEAN = {"type": "integer"}, {"type": "boolean"}


@pytest.mark.parametrize(
    ("value", "explode", "schema", "read"),
    [
        ("app=cli,version=2", True, {"type": "object", "properties": {"version": INTEGER}},
         {"app": "cli", "version": 2}),
        ("app,cli,debug,true", False, {"type": "object", "properties": {"debug": BOOLEAN}},
         {"app": "cli", "debug": True}),
        ("", True, {"type": "object"}, {}),
        ("1,2,x", False, {"type": "array", "items": {"type": "integer"}}, [1, 2, "x"]),
        ("12", False, {"type": "integer"}, 12),
        ("inf", False, {"type": "number"}, "inf"),
    ],
)  # fmt: skip
def test_headers_are_read_in_simple_style(
    value: str, explode: bool, schema: dict[str, Any], read: Any
) -> None:
    header = {"in": "header", "name": "X-Info", "schema": schema, "explode": explode}
    assert read_text(value, header, Schemas()) == read


def test_a_body_against_its_schema_is_422_where_422_is_documented(formats: TestClient) -> None:
    wrong = formats.post("/gauges", json={"unit": "kPa"})
    assert wrong.status_code == 422 and "'kPa' is not one of" in wrong.json()["detail"]
    malformed = formats.post("/gauges", content=b"{", headers={"Content-Type": "application/json"})
    assert malformed.status_code == 400  # not JSON at all: a bad request still
    assert formats.post("/gauges", json={"unit": "bar"}).status_code == 201


def test_a_body_against_its_schema_is_400_where_only_400_is_documented(formats: TestClient) -> None:
    assert formats.post("/readings", data={}).status_code == 400


def test_a_form_body_over_the_limit_is_413(formats: TestClient) -> None:
    huge = b"taken_on=" + b"2" * (10 * 1024 * 1024)
    answer = formats.post(
        "/readings", content=huge, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert answer.status_code == 413


def test_a_huge_body_value_is_not_echoed_whole(formats: TestClient) -> None:
    answer = formats.post("/gauges", json={"unit": "k" * 100_000})
    detail = answer.json()["detail"]
    assert answer.status_code == 422 and len(detail) < 300 and detail.endswith(" - 'unit'")
    form = formats.post("/readings", data={"taken_on": "9" * 100_000})
    assert form.status_code == 400 and len(form.json()["detail"]) < 300


def test_a_form_field_may_be_as_large_as_a_body(formats: TestClient) -> None:
    big = formats.post("/readings", data={"taken_on": "2" * (2 * 1024 * 1024)})
    assert big.status_code == 400 and "is not a 'date'" in big.json()["detail"]  # read whole


@pytest.fixture
def bodies() -> Iterator[TestClient]:
    spec = SPECS / "bodies" / "openapi.yaml"
    with create_app(Settings.build(spec_path=spec)).app.test_client(
        raise_server_exceptions=False
    ) as c:
        yield c


class BrokenValidator:
    """A validator library failing on its own: the mock's fault, not the client's."""

    def __init__(self, *_args: Any, **_kwargs: Any) -> None:
        pass

    def validate(self, _body: Any) -> None:
        raise RuntimeError("validator bug")


class NoQuickVerdict:
    def verdict(self, _body: Any) -> Verdict:
        return UNKNOWN


def test_a_crash_in_body_validation_is_a_500_with_its_traceback_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, bodies: TestClient
) -> None:
    monkeypatch.setattr(validation, "LENIENT_WRITE_VALIDATOR", BrokenValidator)
    monkeypatch.setattr(
        validation, "quick_bodies", lambda *_: NoQuickVerdict()
    )  # the reader judges
    answer = bodies.put("/labels", json={"note": "hi"})
    assert answer.status_code == 500  # a 400 before: the crash was blamed on the client
    assert "RuntimeError: validator bug" in caplog.text


def test_a_crash_in_form_parsing_is_a_500(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, bodies: TestClient
) -> None:
    def broken(*_args: Any) -> Any:
        raise RuntimeError("parser bug")

    monkeypatch.setattr(SchemaURIParser, "resolve_form", broken)
    answer = bodies.post("/forms", data={"name": "x"})
    assert answer.status_code == 500  # "Malformed form body: parser bug" before
    assert "RuntimeError: parser bug" in caplog.text


JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b'{"price": NaN}', "Request body is not valid JSON: NaN is not JSON"),
        (b'{"price": -Infinity}', "Request body is not valid JSON: -Infinity is not JSON"),
        (b'{"price": 1e999}', "Request body is not valid JSON: number out of range: 1e999"),
        (b'{"price": ' + b"9" * 5000 + b"}", "Request body is not valid JSON: Exceeds the limit"),
    ],
)  # fmt: skip
def test_numbers_python_cannot_hold_are_not_json(
    bodies: TestClient, body: bytes, detail: str
) -> None:
    answer = bodies.put("/labels", content=body, headers=JSON)
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith(detail)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"price": 19.99}, 200),  # 19.99 / 0.01 is 1998.9999... in binary floats
        ({"price": 0.075}, 400),
        ({"price": 10**400}, 200),  # jsonschema's division overflowed (a 500)
        ({"price": 10.005}, 400),
        ({"counts": {"a": 3.0}}, 200),
        ({"names": ["Zoë"]}, 200),  # `^\p{L}+$`, a pattern Python's re cannot read (a 500)
        ({"names": None}, 200),
    ],
)
def test_numbers_and_patterns_are_judged_as_written(
    bodies: TestClient, body: dict[str, Any], status: int
) -> None:
    answer = bodies.put("/labels", json=body)
    assert answer.status_code == status, answer.text


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"kind": "circle", "radius": 2}, 201),  # implicitly `#/components/schemas/circle`
        ({"kind": "square", "side": 0}, 400),
        ({"kind": {"a": 1}, "radius": 2}, 400),  # TypeError (unhashable) in the validator
        ({"kind": ["circle"], "radius": 2}, 400),
        ({"kind": "hexagon"}, 400),
    ],
)
def test_a_discriminator_naming_no_schema_leaves_the_alternatives_to_judge(
    bodies: TestClient, body: dict[str, Any], status: int
) -> None:
    answer = bodies.post("/shapes", json=body)
    assert answer.status_code == status, answer.text


def test_a_body_taken_as_bytes_is_not_parsed_whatever_its_content_type(
    bodies: TestClient,
) -> None:
    for media in ("application/json", "application/x-www-form-urlencoded"):
        answer = bodies.post("/blobs", content=b"\x89PNG\r\n", headers={"Content-Type": media})
        assert answer.status_code == 201, (media, answer.text)


def test_a_malformed_multipart_body_is_a_400(bodies: TestClient) -> None:
    answer = bodies.post(
        "/forms", content=b"--x\r\nbroken", headers={"Content-Type": "multipart/form-data"}
    )
    assert (answer.status_code, answer.json()) == (
        400,
        {"detail": "Malformed form body: Missing boundary in multipart."},
    )


def test_composed_form_bodies_are_typed_and_checked(bodies: TestClient) -> None:
    good = bodies.post("/forms", data={"name": "x", "size": "3", "tags": ["a", "b"]})
    assert good.status_code == 201, good.text
    wrong = bodies.post("/forms", data={"name": "x", "tags": ["a", "z"]})
    assert wrong.status_code == 400 and "'z' is not one of" in wrong.json()["detail"]


def test_a_form_field_holding_an_array_of_objects_is_taken_as_sent(bodies: TestClient) -> None:
    # a form lays out no array of objects: `notes=Id&notes=7` is one layout of many
    sent = bodies.post("/forms", data={"name": "x", "notes": ["Id", "7"]})
    assert sent.status_code == 201, sent.text


def test_a_form_of_no_fields_is_an_empty_form_not_a_missing_body(bodies: TestClient) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    # `types`, `channel`, `context` and `anything` are required, yet empty they are sent as
    # nothing
    assert bodies.post("/searches", content=b"", headers=form).status_code == 201
    named = bodies.post("/forms", content=b"", headers=form)
    assert named.status_code == 400 and "'name' is a required property" in named.text


def test_required_fields_of_all_of_parts_may_be_sent_empty_too(bodies: TestClient) -> None:
    # `Tags` (an array) and `Name` (defined nowhere) may be empty, sent as nothing
    assert bodies.post("/payrolls", files={"Title": (None, "May")}).status_code == 201
    missing = bodies.post("/payrolls", files={"Tags": (None, "x")})
    assert missing.status_code == 400 and "'Title' is a required property" in missing.text


def test_a_multipart_body_no_form_holds_is_taken_as_bytes(bodies: TestClient) -> None:
    typed = {"Content-Type": "multipart/form-data; boundary=b0"}
    sent = bodies.post("/boards", content=b"--b0\r\n[{'title': ''}]--b0--\r\n", headers=typed)
    assert sent.status_code == 201, sent.text  # no part headers: no form to read


def test_an_optional_form_body_may_be_left_out(bodies: TestClient) -> None:
    assert bodies.post("/uploads").status_code == 201  # starlette's KeyError: a 500 before
    sent = bodies.post("/uploads", files={"count": (None, "2")})
    assert sent.status_code == 201, sent.text


def test_a_body_of_null_is_judged_by_its_schema_alone() -> None:
    spec = SPECS / "null-bodies" / "openapi.yaml"
    json_type = {"Content-Type": "application/json"}
    with create_app(Settings.build(spec_path=spec)).app.test_client() as client:
        assert client.post("/loose", content=b"null", headers=json_type).status_code == 200
        typed = client.post("/typed", content=b"null", headers=json_type)
        assert typed.status_code == 400 and "None for not nullable" in typed.text
        assert client.post("/loose", content=b"", headers=json_type).status_code == 400


def test_null_is_taken_where_nullable_stands_beside_alternatives() -> None:
    spec = SPECS / "null-bodies" / "openapi.yaml"
    with create_app(Settings.build(spec_path=spec)).app.test_client() as client:
        assert client.post("/stops", json={"stop": None, "limit": None}).status_code == 200
        assert client.post("/stops", json={"stop": ["a"], "limit": 3}).status_code == 200
        assert client.post("/stops", json={"stop": 1}).status_code == 400  # still judged


def test_read_only_values_sent_are_taken_and_judged_by_their_schema() -> None:
    # OpenAPI: a read-only property SHOULD NOT be sent; servers (DRF) ignore it if it is
    spec = SPECS / "null-bodies" / "openapi.yaml"
    with create_app(Settings.build(spec_path=spec)).app.test_client() as client:
        assert client.post("/target-ids", json=["a", "b"]).status_code == 200
        assert client.post("/targets", json={"id": "a"}).status_code == 200
        refused = client.post("/targets", json={"id": 5})  # its schema is a string
        assert refused.status_code == 400 and "'id'" in refused.text


def test_a_query_array_of_objects_is_taken_as_sent() -> None:
    spec = SPECS / "unlaid-parameters" / "openapi.yaml"
    with create_app(Settings.build(spec_path=spec)).app.test_client() as client:
        assert client.get("/roles?PolicyArns=arn&PolicyArns=x").status_code == 200
        flattened = client.get("/roles?PolicyArns=Key&PolicyArns=V&PolicyArns=Key")
        assert flattened.status_code == 200  # counted in a layout OpenAPI does not give
        assert client.get("/roles?Tags=Key&Tags=Value").status_code == 200  # allOf items
        assert client.get("/roles?ids=x").status_code == 400  # plain items still checked


def test_a_required_exploded_query_array_may_be_sent_empty() -> None:
    spec = SPECS / "unlaid-parameters" / "openapi.yaml"
    with create_app(Settings.build(spec_path=spec)).app.test_client() as client:
        assert client.get("/groups?owners=a").status_code == 200  # `names` sent empty
        refused = client.get("/groups?names=a")
        assert refused.status_code == 400  # `owners` needs one item at least
        assert refused.json() == {"detail": "Missing query parameter 'owners'"}


def test_a_required_array_inside_an_exploded_query_object_may_be_sent_empty() -> None:
    spec = SPECS / "unlaid-parameters" / "openapi.yaml"
    with create_app(Settings.build(spec_path=spec)).app.test_client() as client:
        assert client.get("/policies?Mode=Forecast").status_code == 200  # Metrics, Limits: []
        assert client.get("/policies?Mode=Forecast&Limits=1&Limits=2").status_code == 200
        refused = client.get("/policies?Limits=1")
        assert refused.status_code == 400 and "'Mode' is a required property" in refused.text
        assert client.get("/policies?Mode=Forecast&Limits=x").status_code == 400


def test_a_key_two_exploded_query_objects_share_may_hold_a_value_of_either() -> None:
    # RDS: ScalingConfiguration.MinCapacity (integer), ServerlessV2ScalingConfiguration's
    # (a number): both are sent as `?MinCapacity=`, and no server can tell whose it is
    spec = SPECS / "unlaid-parameters" / "openapi.yaml"
    with create_app(Settings.build(spec_path=spec)).app.test_client() as client:
        assert client.get("/clusters?MinCapacity=8.5").status_code == 200
        assert client.get("/clusters?MinCapacity=0").status_code == 200
        assert client.get("/clusters?MinCapacity=x").status_code == 400
        assert client.get("/clusters?Pause=maybe").status_code == 400  # its own: still judged


def test_a_required_query_object_of_optional_fields_may_be_sent_empty() -> None:
    # `{}` has no text exploded, as form or deepObject: a client sending one sends nothing
    spec = SPECS / "unlaid-parameters" / "openapi.yaml"
    with create_app(Settings.build(spec_path=spec)).app.test_client() as client:
        assert client.get("/bundles?Owner=o").status_code == 200  # no bundle, no where
        refused = client.get("/bundles")
        assert refused.status_code == 400  # `owner` needs its `Owner`
        assert "owner" in refused.json()["detail"]


def test_a_required_query_array_of_objects_may_be_sent_empty_whatever_its_minimum() -> None:
    # `[{}]` has no text in any layout, so a client sending one item sends nothing
    spec = SPECS / "unlaid-parameters" / "openapi.yaml"
    with create_app(Settings.build(spec_path=spec)).app.test_client() as client:
        assert client.get("/groups?owners=a").status_code == 200  # `filters` sent as nothing


@pytest.fixture
def parts() -> Iterator[TestClient]:
    yield from serve_spec(SPECS / "multipart-parts" / "openapi.yaml")


def multipart(fields: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """A multipart body whose JSON-looking fields are parts of type application/json."""
    lines: list[str] = []
    for name, value in fields.items():
        kind = "application/json" if value[:1] in "[{0123456789" else "text/plain"
        lines += [
            "--b0",
            f'Content-Disposition: form-data; name="{name}"',
            f"Content-Type: {kind}",
            "",
            value,
        ]
    body = "\r\n".join([*lines, "--b0--", ""]).encode()
    return body, {"Content-Type": "multipart/form-data; boundary=b0"}


WORKFLOW = {"name": "review", "definition": '{"start": "a"}', "steps": '[{"action": "x"}]'}


def test_a_multipart_object_is_a_json_part_checked_whole(
    parts: TestClient,
) -> None:
    body, headers = multipart(WORKFLOW)  # `tags`, a list of text parts, none when empty
    assert parts.post("/workflows", content=body, headers=headers).status_code == 201
    for field, wrong in [("definition", "0"), ("definition", "{}"), ("definition", "[]")]:
        body, headers = multipart({**WORKFLOW, field: wrong})
        refused = parts.post("/workflows", content=body, headers=headers)
        assert refused.status_code == 400, (field, wrong, refused.text)


def test_a_required_object_part_must_be_sent_an_empty_array_is_none(parts: TestClient) -> None:
    body, headers = multipart({k: v for k, v in WORKFLOW.items() if k != "definition"})
    refused = parts.post("/workflows", content=body, headers=headers)
    assert refused.status_code == 400 and "definition" in refused.json()["detail"]
    body, headers = multipart({k: v for k, v in WORKFLOW.items() if k != "steps"})
    assert parts.post("/workflows", content=body, headers=headers).status_code == 201


def test_a_urlencoded_form_still_takes_structured_fields_as_sent(parts: TestClient) -> None:
    # a form lays out no object: an empty one is sent as nothing, so it may be missing
    answer = parts.post("/workflows", data={"name": "review"})
    assert answer.status_code == 201, answer.text


def test_multipart_array_items_are_taken_as_sent(parts: TestClient) -> None:
    # the iblai client writes an array of objects as parts of Python reprs
    sent = {**WORKFLOW, "steps": "{'action': 'x'}"}
    body, headers = multipart(sent)
    assert parts.post("/workflows", content=body, headers=headers).status_code == 201
