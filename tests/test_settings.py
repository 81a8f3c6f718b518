"""Settings: where a mock's parts are found and how a chosen base path is read."""

from __future__ import annotations

import pytest

from ibl_mock.settings import normal_base_path


@pytest.mark.parametrize(
    ("given", "meant"),
    [("v2", "/v2"), ("/v2", "/v2"), ("/v2/", "/v2"), ("/", ""), ("", ""), ("/a/b", "/a/b")],
)
def test_a_base_path_is_read_as_a_url_path(given: str, meant: str) -> None:
    assert normal_base_path(given) == meant


@pytest.mark.parametrize("given", ["http://host/v2", "/v2?x=1", "/v2#top", "/{version}", "/a b"])
def test_a_base_path_that_is_not_a_plain_path_is_refused(given: str) -> None:
    with pytest.raises(ValueError, match="must be a plain URL path"):
        normal_base_path(given)
