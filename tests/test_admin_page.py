"""The admin API's root, to a browser: a page of its own (no build step, no CDN) showing
the journal, the collections and the behaviours, driven in Debian's headless Chromium."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

from starlette.testclient import TestClient

from ibl_mock.app import create_app
from ibl_mock.control.admin import wants_page
from ibl_mock.settings import Settings
from tests.conftest import AMARA, SEED_SPEC, LiveServer, auth, images_url
from tests.test_cors import browse_dom

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_a_browser_gets_the_page_and_programs_json() -> None:
    with TestClient(create_app(Settings.build(spec_path=SEED_SPEC, admin=True))) as client:
        page = client.get("/__mock__/", headers={"Accept": BROWSER_ACCEPT})
        info = client.get("/__mock__/")
    assert page.headers["content-type"].startswith("text/html")
    assert "<script>" in page.text
    assert not re.search(r'src="https?://', page.text)  # nothing from elsewhere
    assert info.json()["title"] == "ibl-data-manager"


def test_a_guarded_admin_api_shows_the_page_and_nothing_else_without_the_token() -> None:
    settings = Settings.build(spec_path=SEED_SPEC, admin_token="admin-secret")
    with TestClient(create_app(settings)) as client:
        page = client.get("/__mock__/", headers={"Accept": BROWSER_ACCEPT})
        assert page.status_code == 200 and 'id="token"' in page.text
        assert client.get("/__mock__/").status_code == 401
        assert (
            client.get("/__mock__/journal", headers={"Accept": BROWSER_ACCEPT}).status_code == 401
        )
        guarded = client.get("/__mock__/", headers={"X-Mock-Admin-Token": "admin-secret"})
        assert guarded.json()["title"] == "ibl-data-manager"


def test_what_asks_for_the_page() -> None:
    assert wants_page(BROWSER_ACCEPT)
    assert not wants_page("application/json, text/html")
    assert not wants_page("*/*") and not wants_page("")


def test_the_page_shows_journal_collections_and_behaviours(tmp_path: Path) -> None:
    live = LiveServer("--admin")
    try:
        request = urllib.request.Request(live.url + images_url(), headers=auth(AMARA))
        urllib.request.urlopen(request, timeout=10).close()
        setting = urllib.request.Request(
            live.url + "/__mock__/behaviours/ai_mentor_orgs_users_ai_generated_images_retrieve",
            data=b'{"delay_ms": 5}',
            headers={"Content-Type": "application/json"},
            method="PUT",
        )
        urllib.request.urlopen(setting, timeout=10).close()
        dom = browse_dom(live.url + "/__mock__/", tmp_path / "profile")
    finally:
        live.stop()
    journal = re.search(r'<tbody id="journal">(.*?)</tbody>', dom, re.S)
    assert journal and images_url() in journal.group(1) and ">200<" in journal.group(1), dom[-3000:]
    collections = re.search(r'<tbody id="collections">(.*?)</tbody>', dom, re.S)
    assert collections and ">images<" in collections.group(1)
    behaviours = re.search(r'<tbody id="behaviours">(.*?)</tbody>', dom, re.S)
    assert behaviours and "ai_mentor_orgs_users_ai_generated_images_retrieve" in behaviours.group(1)
    assert "ibl-mock: ibl-data-manager" in dom
