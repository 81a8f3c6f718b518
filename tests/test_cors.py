"""Browsers get CORS answers: preflights, credentials, the configured origins."""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import threading
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from starlette.testclient import TestClient

from ibl_mock.app import create_app
from ibl_mock.settings import Settings
from tests.conftest import AMARA, LiveServer, auth, images_url

from .conftest import SEED_SPEC

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"  # Debian's; `make test` installs it

PREFLIGHT = {
    "Origin": "http://localhost:5173",
    "Access-Control-Request-Method": "DELETE",
    "Access-Control-Request-Headers": "authorization, content-type",
}


def test_a_preflight_is_answered_for_any_origin_with_credentials() -> None:
    with TestClient(create_app(Settings.build(spec_path=SEED_SPEC))) as client:
        answer = client.options(images_url(image_id=1), headers=PREFLIGHT)
        assert answer.status_code == 200
        assert answer.headers["access-control-allow-origin"] == "http://localhost:5173"
        assert answer.headers["access-control-allow-credentials"] == "true"
        assert "DELETE" in answer.headers["access-control-allow-methods"]
        assert "authorization" in answer.headers["access-control-allow-headers"].lower()
        listed = client.get(
            images_url(), headers={**auth(AMARA), "Origin": "http://localhost:5173"}
        )
        assert listed.headers["access-control-allow-origin"] == "http://localhost:5173"
        refused = client.get(images_url(), headers={"Origin": "http://localhost:5173"})
        assert refused.status_code == 401  # errors carry CORS headers too, so a page can read them
        assert refused.headers["access-control-allow-origin"] == "http://localhost:5173"


def test_only_configured_origins_are_allowed() -> None:
    settings = Settings.build(spec_path=SEED_SPEC, cors_origins=("https://app.example.org",))
    with TestClient(create_app(settings)) as client:
        other = client.options(images_url(), headers=PREFLIGHT)
        assert other.status_code == 400 and "access-control-allow-origin" not in other.headers
        mine = client.options(
            images_url(), headers={**PREFLIGHT, "Origin": "https://app.example.org"}
        )
        assert mine.headers["access-control-allow-origin"] == "https://app.example.org"


def test_cors_can_be_turned_off() -> None:
    with TestClient(create_app(Settings.build(spec_path=SEED_SPEC, cors_origins=()))) as client:
        answer = client.get(
            images_url(), headers={**auth(AMARA), "Origin": "http://localhost:5173"}
        )
        assert "access-control-allow-origin" not in answer.headers
        assert client.options(images_url(), headers=PREFLIGHT).status_code == 401  # as any OPTIONS


PAGE = """<!doctype html><html><body><pre id="out">pending</pre><script>
const mock = new URLSearchParams(location.search).get("mock");
const images = mock + "/api/ai-mentor/orgs/main/users/amara.okafor/ai-generated-images/";
const key = {"Authorization": "Api-Token %(token)s"};
(async () => {
  const lines = [];
  try {
    const listed = await fetch(images + "?page_size=1", {headers: key, credentials: "include"});
    const page = await listed.json();
    lines.push("list " + listed.status + " " + page.count);
    const gone = await fetch(images + page.results[0].id + "/", {method: "DELETE", headers: key});
    lines.push("delete " + gone.status);
  } catch (error) {
    lines.push("refused " + error.name);
  }
  document.getElementById("out").textContent = lines.join(";");
})();
</script></body></html>"""


class QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return None


class PageServer:
    """A page on another origin (another port) than the mock's, as a frontend's."""

    def __init__(self, folder: Path) -> None:
        handler = functools.partial(QuietFiles, directory=str(folder))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()


def browse_dom(url: str, profile: Path) -> str:
    """The DOM a headless Chromium holds once the page's scripts have run."""
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={profile}", "--virtual-time-budget=15000",
        "--dump-dom", url,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.stdout, done.stderr[-2000:]
    return done.stdout


def browse(url: str, profile: Path) -> str:
    """What the page's `out` element shows once its scripts have run."""
    dom = browse_dom(url, profile)
    found = re.search(r'<pre id="out">(.*?)</pre>', dom)
    assert found, dom[-2000:]
    return found.group(1)


def test_a_page_on_another_origin_calls_the_mock_from_a_real_browser(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(PAGE % {"token": AMARA})
    page = PageServer(tmp_path)
    live = LiveServer("--admin")
    try:
        shown = browse(f"{page.url}/page.html?mock={live.url}", tmp_path / "profile")
        assert shown.startswith("list 200 ") and shown.endswith(";delete 204"), shown
        with urllib.request.urlopen(f"{live.url}/__mock__/journal", timeout=10) as response:
            methods = [entry["method"] for entry in json.load(response)]
        assert "OPTIONS" in methods  # the browser sent its preflight, and it was answered
    finally:
        page.close()
        live.stop()


def test_a_browser_on_an_origin_not_allowed_is_refused(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(PAGE % {"token": AMARA})
    page = PageServer(tmp_path)
    live = LiveServer("--cors-origin", "https://app.example.org")
    try:
        shown = browse(f"{page.url}/page.html?mock={live.url}", tmp_path / "profile")
        assert shown == "refused TypeError", shown
    finally:
        page.close()
        live.stop()
