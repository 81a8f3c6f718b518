"""checks/checked: documents checked before, remembered in the cache or recorded beside."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from ibl_mock.checks import checked
from ibl_mock.checks.checked import record_valid, recorded_valid, verdict_file
from ibl_mock.contract.spec import load_spec
from tests.conftest import ROOT, SPECS


@pytest.fixture(autouse=True)
def empty_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_the_ibl_api_is_recorded_valid_as_it_is_now() -> None:
    # `make contract` records it; a stale record would cost every first start seconds
    spec = ROOT / "spec" / "openapi.yaml"
    assert recorded_valid(spec, load_spec(spec).fingerprint)


def test_a_document_recorded_valid_is_not_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "openapi.yaml"
    shutil.copy(SPECS / "things" / "spec" / "openapi.yaml", spec)
    record_valid(spec, load_spec(spec).fingerprint)
    shutil.rmtree(tmp_path / "cache")  # what that check remembered: the record alone speaks

    def never(*_: Any) -> Any:
        raise AssertionError("checked again")

    monkeypatch.setattr(checked, "check_document", never)
    assert load_spec(spec).findings == ()


def test_a_record_of_other_content_is_ignored(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    shutil.copy(SPECS / "bad-openapi.yaml", spec)
    verdict_file(spec).write_text("0" * 64 + "\n")
    assert len(load_spec(spec).findings) == 1
