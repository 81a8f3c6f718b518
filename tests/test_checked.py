"""checks/checked: documents checked before, remembered in the cache or recorded beside."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from ibl_mock.checks import checked
from ibl_mock.checks.checked import record_valid, recorded_valid, verdict_file
from ibl_mock.contract.spec import InvalidDocument, load_spec
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


LATER = SPECS / "later-findings" / "openapi.yaml"


def later_findings_input() -> tuple[dict[str, Any], str, str]:
    text = LATER.read_text()
    document = yaml.safe_load(text)
    return document, text, checked.fingerprint(document)


def test_conformance_later_serves_on_a_partial_assessment_then_completes_it() -> None:
    document, text, key = later_findings_input()
    partial, later = checked.assessed(document, "3.0", text, key, conformance="later")
    assert partial.findings == () and later is not None
    assert checked.known_findings(key) is None  # a partial verdict is not remembered
    pauses: list[int] = []
    whole = later(lambda: pauses.append(1))
    reasons = [f.reason for f in whole.findings]
    assert any("non-unique elements" in r for r in reasons)
    assert any("Path parameter 'id'" in r for r in reasons)
    assert len(pauses) > 10  # held at every node the keyword pass visits
    again, no_later = checked.assessed(document, "3.0", text, key, conformance="later")
    assert again == whole and no_later is None  # the next start: remembered, whole


def test_conformance_skip_neither_runs_nor_remembers_the_passes() -> None:
    document, text, key = later_findings_input()
    partial, later = checked.assessed(document, "3.0", text, key, conformance="skip")
    assert partial.findings == () and later is None
    assert checked.known_findings(key) is None and not checked.known_valid(key)


def test_a_spec_finishing_its_checks_reports_what_they_add_once() -> None:
    spec = load_spec(LATER, conformance="later")
    assert spec.findings == () and spec.later is not None
    said = spec.finish_checks()
    assert (
        said[0]
        == f"{LATER}: 2 problems, found after start-up, served anyway (--strict refuses it):"
    )
    assert len(spec.findings) == 2 and spec.later is None
    assert spec.finish_checks() == []


def test_strict_checks_everything_before_serving() -> None:
    with pytest.raises(InvalidDocument) as refused:
        load_spec(LATER, strict=True, conformance="later")
    assert len(refused.value.findings) == 2


def test_findings_after_start_up_are_those_of_a_check_made_before_it(tmp_path: Path) -> None:
    # A place already reported at start is not reported again, by another pass's words.
    path = tmp_path / "openapi.yaml"
    path.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"
        "paths: {/x: {get: {parameters: [42], responses: {'200': {description: ok}}}}}\n"
    )
    later = load_spec(path, conformance="later")
    at_start = later.findings
    said = later.finish_checks()
    shutil.rmtree(tmp_path / "cache")
    now = load_spec(path, conformance="now")
    assert [f.pointer for f in at_start] == ["/paths/~1x/get/parameters/0"]
    assert said == []  # that place was reported at start (the operation left out)
    assert later.findings == now.findings  # one finding there, as a check before serving
