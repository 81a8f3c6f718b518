"""contractgen: the contract rebuilt from the pinned `iblai` client and spec/seed.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractgen.__main__ import contract, main
from contractgen.client import DEFAULT_PACKAGE
from contractgen.document import tags_of
from contractgen.operations import Operation, OperationReadError, _merged_copies
from tests.conftest import ROOT, SEED_SPEC


def test_the_committed_contract_is_what_make_contract_builds(tmp_path: Path) -> None:
    out = tmp_path / "openapi.yaml"
    assert main(["--out", str(out)]) == 0
    assert out.read_bytes() == (ROOT / "spec" / "openapi.yaml").read_bytes()


def test_operations_of_two_tags_are_one_operation_with_both() -> None:
    document = contract(DEFAULT_PACKAGE, SEED_SPEC)
    details = document["paths"]["/api/analytics/financial/details/"]["get"]
    assert details["tags"] == ["ai-analytics", "analytics"]
    ids = [
        op["operationId"]
        for item in document["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    ]
    assert len(ids) == len(set(ids))


def op(path: str, *classes: str) -> Operation:
    return Operation(classes[0], "x", "get", path, api_classes=list(classes))


def test_the_path_names_the_reference_pages_tag_else_the_client_class_does() -> None:
    assert tags_of(op("/api/ai-mentor/orgs/{org}/", "AiMentorApi")) == ["ai-mentor"]
    assert tags_of(op("/api/notification/x/", "NotificationsApi")) == ["notifications"]
    assert tags_of(op("/api/orgs/{platform_key}/scim/v2/Users", "ScimApi")) == ["scim"]
    assert tags_of(op("/api/ai-account/fallback/", "FallbackLLMApi")) == ["ai-account"]
    assert tags_of(op("/api/custom-domains/", "CustomDomainsApi")) == ["custom-domains"]
    assert tags_of(op("/platforms/{platform_key}/x", "FallbackLLMApi")) == ["fallback-llm"]


def test_copies_of_an_operation_that_differ_are_refused() -> None:
    first, second = op("/a/", "AApi"), op("/b/", "BApi")
    with pytest.raises(OperationReadError, match="differs in AApi and BApi"):
        _merged_copies([first, second])
