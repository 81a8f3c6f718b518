from __future__ import annotations

from pathlib import Path

import pytest

from ibl_mock.settings import Settings
from ibl_mock.spec import SpecError, derived_operation_id, load_spec, path_pattern
from tests.conftest import SPECS


def test_the_ibl_spec_holds_the_contract() -> None:
    spec = load_spec(Settings.build().spec_path)
    info = spec.document["info"]
    assert (info["title"], info["version"], info["description"]) == (
        "ibl-data-manager", "3.59.0-ai-plus", "API for iblai",
    )  # fmt: skip
    assert [t["name"] for t in spec.document["tags"]][:3] == [
        "ai-account",
        "ai-analytics",
        "ai-bot",
    ]
    assert len(spec.document["tags"]) == 21
    assert set(spec.operations) == {
        f"ai_mentor_orgs_users_ai_generated_images_{verb}"
        for verb in ("list", "retrieve", "destroy")
    }
    scheme = spec.document["components"]["securitySchemes"]["PlatformApiKeyAuthentication"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    image = spec.schemas["AIGeneratedImage"]
    assert image["properties"]["user"]["maximum"] == 2147483647
    assert sorted(image["required"]) == ["date_created", "id", "image", "platform", "user"]


def test_every_operation_documents_its_error_statuses() -> None:
    spec = load_spec(Settings.build().spec_path)
    for op in spec.operations.values():
        statuses = set(spec.document["paths"][op.path][op.method]["responses"])
        assert {"400", "401", "403", "404"} <= statuses, op.operation_id


def test_an_invalid_document_is_refused_with_the_location() -> None:
    with pytest.raises(
        SpecError, match=r"bad-openapi.yaml: not valid OpenAPI at \$\.paths\['/x'\]"
    ):
        load_spec(SPECS / "bad-openapi.yaml")


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

    monkeypatch.setattr("ibl_mock.spec.check_document", must_not_run)
    assert load_spec(spec_path).operations


def test_an_invalid_document_is_never_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    for _ in range(2):
        with pytest.raises(SpecError):
            load_spec(SPECS / "bad-openapi.yaml")
    assert not (tmp_path / "ibl-mock" / "valid").exists()
