"""Documents with errors are served around them; each error is named where it is written.

One scenario document per kind of error (tests/specs/lenient-*/): its finding (line,
JSON pointer, reason), the mock serving it, the bad value never served, `strict` refusing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from openapi_schema_validator import OAS30ReadValidator, OAS31Validator
from schemathesis.config import SchemathesisConfig
from starlette.testclient import TestClient

from ibl_mock.app import create_app
from ibl_mock.contract.refs import pointer_get
from ibl_mock.contract.spec import InvalidDocument, Spec, SpecError, load_spec
from ibl_mock.settings import Settings
from tests.conftest import SPECS


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def scenario(name: str) -> Path:
    return next((SPECS / name).glob("openapi.*"))


def located(spec: Spec) -> list[tuple[int | None, str, str]]:
    return [(f.line, f.pointer, f.reason) for f in spec.findings]


@pytest.fixture
def serve() -> Iterator[Any]:
    clients: list[TestClient] = []

    def client_for(name: str) -> TestClient:
        client: TestClient = create_app(Settings.build(spec_path=scenario(name))).app.test_client()
        clients.append(client.__enter__())
        return client

    yield client_for
    for client in clients:
        client.__exit__(None, None, None)


def fits(spec: Spec, schema: Any, body: Any) -> bool:
    checker = OAS31Validator if spec.document["openapi"].startswith("3.1") else OAS30ReadValidator
    return bool(checker(spec.document).evolve(schema=schema).is_valid(body))


def test_a_response_example_breaking_its_schema_is_named_and_not_served(serve: Any) -> None:
    spec = load_spec(scenario("lenient-response-example"))
    example = "/paths/~1pet-of-the-day/get/responses/200/content/application~1json/example"
    assert located(spec)[0] == (
        16,
        example + "/name",
        "example does not fit its schema, not used: 123456789 is not of type 'string'",
    )
    body = serve("lenient-response-example").get("/pet-of-the-day").json()
    assert body != {"id": 1, "name": 123456789}
    assert fits(spec, spec.schemas["Pet"], body)


def test_a_named_example_breaking_its_schema_gives_way_to_the_next(serve: Any) -> None:
    spec = load_spec(scenario("lenient-response-example"))
    assert located(spec)[1][:2] == (
        28,
        "/paths/~1pet-of-the-week/get/responses/200/content/application~1json/examples/stringly"
        "/value/id",
    )
    client = serve("lenient-response-example")
    assert client.get("/pet-of-the-week").json() == {"id": 7, "name": "Rex"}
    refused = client.get("/pet-of-the-week", headers={"Prefer": "example=stringly"})
    assert refused.status_code == 400 and "(examples: good)" in refused.json()["detail"]


def test_a_parameter_default_breaking_its_schema_is_not_applied(serve: Any) -> None:
    spec = load_spec(scenario("lenient-parameter-default"))
    assert located(spec) == [
        (
            14,
            "/paths/~1reports/get/parameters/0/schema/default",
            "default does not fit its schema, not used: 'ten' is not of type 'integer'",
        )
    ]
    client = serve("lenient-parameter-default")
    assert client.get("/reports").json() == {"limit": None}  # not "ten"
    assert client.get("/reports?limit=3").json() == {"limit": 3}


def test_schema_examples_breaking_their_schema_are_not_made_into_bodies(serve: Any) -> None:
    spec = load_spec(scenario("lenient-schema-example"))
    assert [(line, reason.rsplit(": ", 1)[-1]) for line, _, reason in located(spec)] == [
        (24, "123456789 is not of type 'string'"),
        (28, "'far too long for it' is too long"),
    ]
    voucher = spec.schemas["Voucher"]["properties"]
    assert "example" not in voucher["code"] and "example" not in voucher["label"]
    body = serve("lenient-schema-example").get("/voucher-of-the-day").json()
    assert body["code"] != 123456789 and body["label"] != "far too long for it"
    assert fits(spec, spec.schemas["Voucher"], body)


def test_a_null_example_for_what_is_not_nullable_is_not_served(serve: Any) -> None:
    spec = load_spec(scenario("lenient-null-example"))
    assert located(spec) == [
        (
            23,
            "/paths/~1me/get/responses/200/content/application~1json/example/nickname",
            "example does not fit its schema, not used: None for not nullable",
        )
    ]
    body = serve("lenient-null-example").get("/me").json()
    assert isinstance(body["nickname"], str)


def test_a_property_named_ref_is_a_property_not_a_reference(serve: Any) -> None:
    spec = load_spec(scenario("lenient-ref-property"))
    assert spec.findings == ()
    stored = spec.schemas["Stored"]
    assert set(stored["properties"]) == {"$ref", "title"}
    body = serve("lenient-ref-property").get("/schema-of-the-day").json()
    assert body == {"$ref": "#/definitions/address", "title": "Address"}


def test_an_operation_reaching_a_dangling_ref_is_left_out_the_rest_served(serve: Any) -> None:
    spec = load_spec(scenario("lenient-broken-operation"))
    assert located(spec) == [
        (
            34,
            "/components/schemas/Summary/properties/total",
            "unresolvable $ref '#/components/schemas/Money'",
        )
    ]
    [left_out] = spec.left_out
    assert left_out.describe() == (
        "GET /orders-summary (/paths/~1orders-summary/get/responses/200/content/"
        "application~1json/schema: leads to the unresolvable $ref '#/components/schemas/Money')"
    )
    assert set(spec.operations) == {"health"}
    assert pointer_get(spec.document, "#/components/schemas/Summary/properties/total") == {}
    client = serve("lenient-broken-operation")
    assert client.get("/health").status_code == 200
    assert client.get("/orders-summary").status_code == 404
    # /health reuses a parameter of the operation left out, by pointer: it still resolves
    assert client.get("/health?page=2").status_code == 200
    assert client.get("/health?page=0").status_code == 400


def test_a_pointer_in_a_fragment_is_percent_decoded() -> None:
    document = {"paths": {"/items/{id}": {"get": 1}, "/a%b": 2}}
    assert pointer_get(document, "#/paths/~1items~1%7Bid%7D/get") == 1  # RFC 6901, 6
    assert pointer_get(document, "#/paths/~1a%b") == 2  # a key holding % as written


def test_a_json_document_is_located_by_line_too(serve: Any) -> None:
    spec = load_spec(scenario("lenient-json"))
    assert located(spec) == [
        (
            18,
            "/paths/~1time/get/responses/200/content/application~1json/example/hour",
            "example does not fit its schema, not used: 25 is greater than the maximum of 23",
        )
    ]
    body = serve("lenient-json").get("/time").json()
    assert body["hour"] <= 23


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("lenient-response-example", "openapi.yaml:16: /paths/~1pet-of-the-day/get/responses/200"),
        ("lenient-parameter-default", "openapi.yaml:14: /paths/~1reports/get/parameters/0/schema"),
        ("lenient-schema-example", "openapi.yaml:24: /components/schemas/Voucher/properties/code"),
        ("lenient-null-example", "openapi.yaml:23: /paths/~1me/get/responses/200/content/"),
        ("lenient-broken-operation", "openapi.yaml:34: /components/schemas/Summary/properties"),
        ("lenient-json", "openapi.json:18: /paths/~1time/get/responses/200/content/"),
    ],
)
def test_strict_refuses_the_document_with_its_located_findings(name: str, says: str) -> None:
    with pytest.raises(InvalidDocument, match="refused \\(--strict\\)") as refused:
        create_app(Settings.build(spec_path=scenario(name), strict=True))
    assert says in str(refused.value)


def test_strict_serves_a_document_without_findings() -> None:
    server = create_app(Settings.build(spec_path=scenario("lenient-ref-property"), strict=True))
    assert set(server.spec.operations) == {"schemaOfTheDay"}


@pytest.mark.parametrize(
    ("file", "text", "says"),
    [
        ("list.yaml", "- a\n- b\n", "expected a mapping at the top level, got list"),
        ("random.json", '{"hello": [1, 2]}', "not an OpenAPI 3.0 or 3.1 document"),
        ("plain.yaml", "name: a shopping list\nitems: [eggs]\n", "not an OpenAPI 3.0 or 3.1"),
        ("garbage.yaml", "openapi: [3.0\n  : :\n", "invalid YAML"),
        ("scalar.json", "42", "expected a mapping at the top level, got int"),
    ],
)
@pytest.mark.parametrize("strict", [False, True])
def test_what_is_not_openapi_is_refused_strict_or_not(
    tmp_path: Path, file: str, text: str, says: str, strict: bool
) -> None:
    path = tmp_path / file
    path.write_text(text)
    with pytest.raises(SpecError, match=says):
        load_spec(path, strict=strict)


# Malformed schema keywords (tests/specs/lenient-keywords*/): one operation per kind. Each
# is said once, at the keyword, and no request, valid or not, gets a 5xx for it.
KEYWORDS = "lenient-keywords"
BODY = "/requestBody/content/application~1json/schema"
Call = tuple[str, str, dict[str, Any], int]


@pytest.mark.parametrize(
    ("line", "where", "calls"),
    [
        (254, "/components/schemas/Person/properties/name/required", [
            ("post", "/required-on-property", {"json": {"name": "Ann"}}, 201),
            ("post", "/required-on-property", {"json": {"nickname": "A"}}, 400),  # name: required
            ("post", "/required-on-property", {"json": {"name": 1}}, 400),
        ]),
        (33, "/paths/~1file-type/post/requestBody/content/multipart~1form-data/schema/properties"
             "/upload/type", [
            ("post", "/file-type", {"files": {"upload": ("a.txt", b"bytes")}}, 201),
            ("post", "/file-type", {}, 400),
        ]),
        (49, "/paths/~1enums/get/parameters/0/schema/enum", [
            ("get", "/enums?colour=red&shade=any", {}, 200),  # an empty enum: no limit
            ("get", "/enums?colour=blue", {}, 400),
        ]),
        (69, "/paths/~1numbers-as-strings/post/parameters/0/schema/minimum", [
            ("post", "/numbers-as-strings?count=7", {"json": {"size": 5, "label": "ab"}}, 201),
            ("post", "/numbers-as-strings?count=4", {"json": {}}, 400),
            ("post", "/numbers-as-strings", {"json": {"size": 500}}, 400),
            ("post", "/numbers-as-strings", {"json": {"label": ""}}, 400),
            ("post", "/numbers-as-strings", {"json": {"tags": ["a", "b", "c", "d"]}}, 400),
        ]),
        (93, f"/paths/~1patterns/post{BODY}/properties/flagged/pattern", [
            ("post", "/patterns?name=Zoë", {"json": {"flagged": "x", "named": "abc"}}, 201),
            ("post", "/patterns", {"json": {"named": "1"}}, 400),  # `(?<word>` is checked
        ]),
        (117, f"/paths/~1arrays/post{BODY}/properties/tuple/items", [
            ("post", "/arrays", {"json": {"untyped": [1, "a", None], "tuple": [1, "a"]}}, 201),
            ("post", "/arrays", {"json": {"tuple": [[]]}}, 400),
            ("post", "/arrays", {"json": {"untyped": 1}}, 400),
        ]),
        (146, "/paths/~1formats/get/responses/200/content/application~1json/schema/properties"
              "/code/format", [
            ("get", "/formats?when=stardate-41153.7", {}, 200),
        ]),
        (155, f"/paths/~1closed-object/post{BODY}/additionalProperties", [
            ("post", "/closed-object", {"json": {"name": "a"}}, 201),
            ("post", "/closed-object", {"json": {"name": "a", "extra": 1}}, 400),
        ]),
        (177, f"/paths/~1type-lists/post{BODY}/properties/maybe/type", [
            ("post", "/type-lists", {"json": {"maybe": None, "either": 1}}, 201),
            ("post", "/type-lists", {"json": {"maybe": "a", "either": "b"}}, 201),
            ("post", "/type-lists", {"json": {"maybe": 1}}, 400),
            ("post", "/type-lists", {"json": {"either": []}}, 400),
        ]),
        (194, "/paths/~1exclusive-bounds/get/parameters/0/schema/exclusiveMinimum", [
            ("get", "/exclusive-bounds?above=7", {}, 200),
            ("get", "/exclusive-bounds?above=5", {}, 400),
            ("get", "/exclusive-bounds?above=10", {}, 400),
        ]),
        (211, f"/paths/~1ref-siblings/post{BODY}/$ref", [
            ("post", "/ref-siblings", {"json": {"size": 5}}, 201),
            ("post", "/ref-siblings", {"json": {}}, 201),  # `required` beside $ref: ignored
            ("post", "/ref-siblings", {"json": {"size": "5"}}, 400),
        ]),
        (264, "/components/schemas/Pet/discriminator", [
            ("post", "/discriminator", {"json": {"kind": "cat", "purrs": True}}, 201),
            ("post", "/discriminator", {"json": {"purrs": "loudly"}}, 400),
        ]),
        (None, "", [  # readOnly and required: required in responses only, as 3.0 says;
            # readOnly on the body's own schema binds nothing
            ("post", "/read-only-required", {"json": {"title": "t"}}, 201),
            ("post", "/read-only-required", {"json": {"id": 1, "title": "t"}}, 201),  # ignored
        ]),
    ],
)  # fmt: skip
def test_a_malformed_keyword_is_located_and_requests_get_no_server_error(
    serve: Any, line: int | None, where: str, calls: list[Call]
) -> None:
    spec = load_spec(scenario(KEYWORDS))
    if where:
        assert [f.line for f in spec.findings if f.pointer == where] == [line]
    client = serve(KEYWORDS)
    for method, url, options, status in calls:
        response = getattr(client, method)(url, **options)
        assert response.status_code == status, (method, url, response.text)


def test_malformed_keywords_are_said_once_each_and_nothing_else(serve: Any) -> None:
    spec = load_spec(scenario(KEYWORDS))
    pointers = [f.pointer for f in spec.findings]
    assert len(pointers) == len(set(pointers)) == 37
    assert all(f.line is not None for f in spec.findings)
    assert spec.left_out == ()  # every operation served
    keywords = {p.rsplit("/", 1)[-1] for p in pointers}
    assert keywords == {
        "type", "enum", "minimum", "maximum", "pattern", "items", "format",
        "additionalProperties", "exclusiveMinimum", "exclusiveMaximum", "$ref", "required",
        "multipleOf", "minLength", "maxLength", "minItems", "maxItems", "discriminator",
    }  # fmt: skip


def test_the_users_file_is_unchanged_and_the_served_document_repaired(serve: Any) -> None:
    path = scenario(KEYWORDS)
    before = path.read_text()
    spec = load_spec(path)
    assert path.read_text() == before
    person = spec.schemas["Person"]
    assert person == {
        "type": "object",
        "properties": {"name": {"type": "string"}, "nickname": {"type": "string"}},
        "required": ["name"],
    }
    served = serve(KEYWORDS).get("/openapi.json").json()
    assert served["components"]["schemas"]["Person"] == person
    assert served["components"]["schemas"]["Bounded"]["properties"]["size"] == {
        "type": "integer", "minimum": 1, "maximum": 100, "multipleOf": 1,
    }  # fmt: skip


def test_made_bodies_follow_the_repaired_schemas(serve: Any) -> None:
    client = serve(KEYWORDS)
    person = client.post("/required-on-property", json={"name": "Ann"}).json()
    assert isinstance(person["name"], str)
    bounded = client.post("/numbers-as-strings", json={}).json()
    assert 1 <= bounded["size"] <= 100 and len(bounded["label"]) >= 2
    assert client.get("/enums").json()["colour"] == "red"
    assert client.post("/closed-object", json={}).json().keys() <= {"name"}


def test_a_31_document_gets_its_own_versions_forms(serve: Any) -> None:
    spec = load_spec(scenario("lenient-keywords-31"))
    assert located(spec)[0] == (
        13,
        "/paths/~1notes/post/parameters/0/schema/maximum",
        "maximum '9' is not a number: served as 9",
    )
    assert spec.schemas["Note"]["properties"]["summary"] == {"type": ["string", "null"]}
    client = serve("lenient-keywords-31")
    note = {"title": "A", "summary": None, "point": [1, 2]}
    assert client.post("/notes?rank=2", json=note).status_code == 201
    assert client.post("/notes?rank=1", json=note).status_code == 400  # exclusive
    assert client.post("/notes?rank=10", json=note).status_code == 400
    assert client.post("/notes", json={"summary": None}).status_code == 400  # title required
    assert client.post("/notes", json={**note, "tags": ["a"] * 4}).status_code == 400


@pytest.mark.parametrize("name", [KEYWORDS, "lenient-keywords-31"])
def test_strict_refuses_malformed_keywords(name: str) -> None:
    with pytest.raises(InvalidDocument, match="refused \\(--strict\\)"):
        create_app(Settings.build(spec_path=scenario(name), strict=True))


def schemathesis_run(name: str, mode: str) -> Any:
    """schemathesis in-process over a scenario: no request it makes gets a 5xx."""
    checks = {"enabled": False, "not_a_server_error": {"enabled": True}}
    config = SchemathesisConfig.from_dict({"checks": checks, "generation": {"mode": mode}})
    app = create_app(Settings.build(spec_path=scenario(name)))
    schema = schemathesis.openapi.from_asgi(f"{app.base_path}/openapi.json", app, config=config)

    @schema.parametrize()
    @hypothesis.settings(
        max_examples=40,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    def test(case: Any) -> None:
        case.call_and_validate()

    return test


for _name in (KEYWORDS, "lenient-keywords-31"):
    for _mode in ("positive", "negative"):
        _label = _name.replace("-", "_")
        globals()[f"test_schemathesis_{_label}_{_mode}"] = schemathesis_run(_name, _mode)


def test_a_pattern_respelt_for_python_alone_is_kept_for_the_next_start(tmp_path: Path) -> None:
    path = tmp_path / "openapi.yaml"
    path.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /w:\n    get:\n"
        "      parameters:\n        - name: w\n          in: query\n"
        "          schema: {type: string, pattern: '^(?<word>[a-z]+)$'}\n"
        "      responses:\n        '200': {description: ok}\n"
    )
    for _ in range(2):  # the second start reads the remembered assessment
        spec = load_spec(path, strict=True)  # ECMA's spelling is right: no finding
        schema = spec.document["paths"]["/w"]["get"]["parameters"][0]["schema"]
        assert schema["pattern"] == "^(?P<word>[a-z]+)$"
