from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from ibl_mock.contract.spec import (
    InvalidDocument,
    Spec,
    SpecError,
    derived_operation_id,
    load_spec,
    path_pattern,
    read_document,
)
from ibl_mock.settings import Settings
from tests.conftest import SEED_SPEC, SPECS

SEED = yaml.safe_load(SEED_SPEC.read_text(encoding="utf-8"))


def test_the_ibl_spec_holds_the_whole_contract() -> None:
    spec = load_spec(Settings.build().spec_path)
    info = spec.document["info"]
    assert (info["title"], info["version"], info["description"]) == (
        "ibl-data-manager", "4.202.2-ai-plus", "API for iblai",
    )  # fmt: skip
    tags = [t["name"] for t in spec.document["tags"]]
    assert tags[:21] == [t["name"] for t in SEED["tags"]]  # the reference page's, in order
    assert len(spec.operations) > 1300
    scheme = spec.document["components"]["securitySchemes"]["PlatformApiKeyAuthentication"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    image = spec.schemas["AIGeneratedImage"]
    assert image["properties"]["user"]["maximum"] == 2147483647
    assert sorted(image["required"]) == ["date_created", "id", "image", "platform", "user"]


def test_the_seed_operations_are_the_reference_pages_exactly() -> None:
    whole = load_spec(Settings.build().spec_path).document["paths"]
    for path, item in SEED["paths"].items():
        for method, operation in item.items():
            assert whole[path][method] == operation, operation["operationId"]


def test_every_operation_documents_the_errors_drf_answers() -> None:
    spec = load_spec(Settings.build().spec_path)
    for op in spec.operations.values():
        written = spec.document["paths"][op.path][op.method]
        statuses = set(written["responses"])
        if written.get("security"):
            assert {"401", "403"} <= statuses, op.operation_id
        if "{" in op.path:
            assert "404" in statuses, op.operation_id
        if written.get("parameters") or written.get("requestBody"):
            assert "400" in statuses, op.operation_id


def test_an_invalid_document_is_served_with_its_errors_located() -> None:
    spec = load_spec(SPECS / "bad-openapi.yaml")
    [finding] = spec.findings
    assert (finding.line, finding.pointer) == (7, "/paths/~1x/get/parameters/0/schema/type")
    assert finding.reason.startswith("'intger' is not one of ['array', 'boolean', 'integer'")
    assert set(spec.operations) == {"get_x"}


def test_strict_refuses_an_invalid_document_with_the_location() -> None:
    with pytest.raises(
        InvalidDocument, match=r"bad-openapi.yaml:7: /paths/~1x/get/parameters/0/schema/type: "
    ):
        load_spec(SPECS / "bad-openapi.yaml", strict=True)


def test_broken_yaml_is_refused_with_line_and_column() -> None:
    with pytest.raises(SpecError, match=r"bad-yaml.yaml:\d+:\d+: invalid YAML"):
        load_spec(SPECS / "bad-yaml.yaml")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match=r"nothing\.yaml: cannot read"):
        load_spec(tmp_path / "nothing.yaml")


def test_methods_at_a_concrete_path() -> None:
    spec = load_spec(SPECS / "things" / "spec" / "openapi.yaml")
    assert spec.methods_at("/things/12/") == ("GET", "HEAD")
    assert spec.methods_at("/things/12/extra/") == ()
    assert path_pattern("/a/{id}/b").match("/a/x.y/b")


def test_operations_without_an_id_get_a_derived_one() -> None:
    assert derived_operation_id("get", "/pets/{pet-id}/") == "get_pets_pet_id"


def test_a_document_validated_once_is_not_validated_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    spec_path = SPECS / "things" / "spec" / "openapi.yaml"
    load_spec(spec_path)
    assert len(list((tmp_path / "ibl-mock" / "valid").iterdir())) == 1

    def must_not_run(*_args: object) -> None:
        raise AssertionError("validated twice")

    monkeypatch.setattr("ibl_mock.checks.checked.check_document", must_not_run)
    assert load_spec(spec_path).operations


def test_an_invalid_document_is_never_remembered_valid_its_findings_said_each_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = load_spec(SPECS / "bad-openapi.yaml")
    assert not (tmp_path / "ibl-mock" / "valid").exists()

    def must_not_run(*_args: object) -> None:
        raise AssertionError("searched twice")

    monkeypatch.setattr("ibl_mock.checks.checked.check_document", must_not_run)
    again = load_spec(SPECS / "bad-openapi.yaml")
    assert again.findings == first.findings and again.findings[0].line == 7
    with pytest.raises(InvalidDocument):
        load_spec(SPECS / "bad-openapi.yaml", strict=True)


def test_findings_are_placed_again_when_only_the_text_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    moved = tmp_path / "bad.yaml"
    text = (SPECS / "bad-openapi.yaml").read_text()
    moved.write_text(text)
    assert load_spec(moved).findings[0].line == 7
    moved.write_text("# a comment moves everything down\n\n" + text)
    assert load_spec(moved).findings[0].line == 9


def test_yaml_is_read_as_json_data(tmp_path: Path) -> None:
    """Keys as written (`200:` is "200", `on:` is "on"), dates as the strings written."""
    path = tmp_path / "doc.yaml"
    path.write_text("200: {on: 2024-01-02, at: 2024-01-02T03:04:05Z}\n~: null\n")
    assert read_document(path) == {
        "200": {"on": "2024-01-02", "at": "2024-01-02T03:04:05Z"},
        "~": None,
    }


def test_a_document_with_unquoted_status_codes_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "openapi.yaml"
    path.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"
        "paths:\n  /x:\n    get:\n      responses:\n        200: {description: ok}\n"
    )
    assert load_spec(path).findings == ()


def test_a_swagger_2_document_is_served_as_openapi_3() -> None:
    spec = load_spec(SPECS / "swagger2" / "petstore.yaml")
    assert spec.source_version == "2.0"
    assert spec.document["openapi"].startswith("3.0")
    assert spec.operations


def test_an_older_swagger_document_is_refused_even_leniently() -> None:
    with pytest.raises(SpecError, match=r"Swagger 1\.2 is not served"):
        load_spec(SPECS / "swagger12.yaml")


@pytest.mark.parametrize(
    ("url", "variables", "path"),
    [
        ("https://api.example.com/v2/", {}, "/v2"),
        ("//host.example.com/api", {}, "/api"),  # scheme-relative
        ("https://host/{basePath}", {"basePath": {"default": "/api/v1.0"}}, "/api/v1.0"),
        ("/", {}, ""),
    ],
)
def test_the_base_path_is_the_first_server_url_path(
    url: str, variables: dict[str, Any], path: str
) -> None:
    document = {"servers": [{"url": url, "variables": variables}], "paths": {}}
    assert Spec(Path("t.yaml"), document, {}).base_path == path


def test_the_served_document_sends_every_call_to_the_mock() -> None:
    operation = {"servers": [{"url": "https://real.example.com"}], "responses": {}}
    item = {"servers": [{"url": "https://other.example.com"}], "get": operation}
    document: dict[str, Any] = {
        "servers": [{"url": "https://api.example.com/v1"}],
        "paths": {"/apps": item},
    }
    served = Spec(Path("t.yaml"), document, {}).served_document("/v1")
    assert served["servers"][0] == {"url": "/v1", "description": "this mock"}
    assert served["paths"]["/apps"] == {"get": {"responses": {}}}
    assert "servers" in document["paths"]["/apps"]  # the document read stays as written
