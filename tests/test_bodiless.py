"""A 204 documented with a body: named at start, its content left out of what is served."""

from __future__ import annotations

from pathlib import Path

import pytest

from ibl_mock.app import create_app
from ibl_mock.contract.spec import load_spec
from ibl_mock.settings import Settings
from tests.conftest import SPECS

SPEC = SPECS / "lenient-bodiless" / "openapi.yaml"
CONTENT = "/paths/~1tags~1{arn}/post/responses/204/content"


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_the_body_of_a_204_is_named_where_it_is_written() -> None:
    findings = [(f.line, f.pointer, f.reason) for f in load_spec(SPEC).findings]
    assert findings == [
        (11, CONTENT, "a 204 answer has no body in HTTP; its content is not served")
    ]


def test_the_204_is_answered_and_published_without_a_body() -> None:
    with create_app(Settings.build(spec_path=SPEC)).app.test_client() as client:
        answer = client.post("/tags/arn:aws:x")
        assert (answer.status_code, answer.content) == (204, b"")
        assert "content-type" not in answer.headers
        published = client.get("/openapi.json").json()
        assert "content" not in published["paths"]["/tags/{arn}"]["post"]["responses"]["204"]
