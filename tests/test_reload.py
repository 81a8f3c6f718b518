"""`--watch`: a changed spec, handler or fixture is served without a restart; a broken
one is reported and the last good version keeps serving."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from ibl_mock.app import create_app
from ibl_mock.control.reload import Watcher
from ibl_mock.settings import Settings
from tests.conftest import SPECS, LiveServer

LIBRARY = SPECS / "corpus" / "drf-library"
TOKEN = {"Authorization": "Token librarian-key-0001"}


def library_copy(tmp_path: Path) -> Path:
    return shutil.copytree(LIBRARY, tmp_path / "library") / "openapi.yaml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_a_changed_spec_is_served_and_a_broken_one_is_not(tmp_path: Path) -> None:
    spec = library_copy(tmp_path)
    server = create_app(Settings.build(spec_path=spec))
    said: list[str] = []
    watcher = Watcher(server, say=said.append)
    with TestClient(server) as client:
        assert client.get("/api/books/", headers=TOKEN).status_code == 200
        edit(spec, "/api/books/:", "/api/volumes/:")
        assert watcher.check()
        assert said == ["ibl-mock: reloaded after openapi.yaml changed"]
        assert client.get("/api/volumes/", headers=TOKEN).status_code == 200
        assert client.get("/api/books/", headers=TOKEN).status_code == 404
        spec.write_text(spec.read_text() + "\n  broken: [\n")
        assert not watcher.check()
        assert said[1].startswith("ibl-mock: reload failed after openapi.yaml changed: ")
        assert re.search(r"openapi\.yaml:\d+:\d+: invalid YAML", said[1])  # says where
        assert client.get("/api/volumes/", headers=TOKEN).status_code == 200  # the last good
        assert not watcher.check()  # nothing new since


def test_changed_fixtures_and_handlers_are_picked_up(tmp_path: Path) -> None:
    spec = library_copy(tmp_path)
    handlers = spec.parent / "handlers"
    handlers.mkdir()
    (handlers / "books.py").write_text(
        "def books_retrieve(id_, **_):\n    return {'id': id_, 'title': 'One'}, 200\n"
    )
    server = create_app(Settings.build(spec_path=spec))
    watcher = Watcher(server, say=lambda _line: None)
    with TestClient(server) as client:
        assert client.get("/api/books/5/", headers=TOKEN).json()["title"] == "One"
        time.sleep(0.01)
        (handlers / "books.py").write_text(
            "def books_retrieve(id_, **_):\n    return {'id': id_, 'title': 'Two'}, 200\n"
        )
        edit(spec.parent / "fixtures" / "tokens.yaml", "librarian-key-0001", "librarian-key-0002")
        assert watcher.check()
        assert client.get("/api/books/5/", headers=TOKEN).status_code == 401
        renewed = {"Authorization": "Token librarian-key-0002"}
        assert client.get("/api/books/5/", headers=renewed).json()["title"] == "Two"


def test_serve_watch_reloads_while_serving(tmp_path: Path) -> None:
    spec = library_copy(tmp_path)
    live = LiveServer("--spec", str(spec), "--watch", "--quiet")
    try:
        edit(spec, "/api/books/:", "/api/volumes/:")
        deadline = time.monotonic() + 20
        while not any("reloaded" in line for line in live.output):
            assert time.monotonic() < deadline, "".join(live.output)
            time.sleep(0.1)
    finally:
        code, out = live.stop()
    assert code == 0 and "ibl-mock: reloaded after openapi.yaml changed" in out


def test_a_handlers_folder_made_while_watching_is_used(tmp_path: Path) -> None:
    spec = library_copy(tmp_path)
    server = create_app(Settings.build(spec_path=spec))
    watcher = Watcher(server, say=lambda _line: None)
    with TestClient(server) as client:
        assert client.get("/api/books/5/", headers=TOKEN).json()["title"] != "Made later"
        (spec.parent / "handlers").mkdir()
        (spec.parent / "handlers" / "books.py").write_text(
            "def books_retrieve(id_, **_):\n    return {'id': id_, 'title': 'Made later'}, 200\n"
        )
        assert watcher.check()
        assert client.get("/api/books/5/", headers=TOKEN).json()["title"] == "Made later"


def test_the_journal_carries_over_a_reload_without_repeating_ids(tmp_path: Path) -> None:
    spec = library_copy(tmp_path)
    server = create_app(Settings.build(spec_path=spec, admin=True))  # the journal's reader
    watcher = Watcher(server, say=lambda _line: None)
    with TestClient(server) as client:
        client.get("/api/books/", headers=TOKEN)
        edit(spec, "/api/books/:", "/api/volumes/:")
        assert watcher.check()
        client.get("/api/volumes/", headers=TOKEN)
    entries = server.controls.journal.entries()
    assert [e.path for e in entries] == ["/api/volumes/", "/api/books/"]
    assert len({e.id for e in entries}) == 2


def test_a_reloaded_document_has_its_findings_reported_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    spec = library_copy(tmp_path)
    server = create_app(Settings.build(spec_path=spec))
    said: list[str] = []
    watcher = Watcher(server, say=said.append)
    bounds = "        minimum: 1\n        maximum: 100\n"
    with TestClient(server) as client:
        edit(spec, bounds, bounds.replace("minimum: 1", 'minimum: "1"'))
        assert watcher.check()
        assert said == [
            "ibl-mock: reloaded after openapi.yaml changed",
            f"{spec}: 1 problem, served anyway (--strict refuses it):",
            f"  {spec}:284: /components/parameters/PageSize/schema/minimum: "
            "minimum '1' is not a number: served as 1",
        ]
        assert client.get("/api/books/?page_size=0", headers=TOKEN).status_code == 400
        assert client.get("/api/books/?page_size=5", headers=TOKEN).status_code == 200
        edit(spec, 'minimum: "1"', "minimum: 1")
        assert watcher.check()
        assert said[3:] == ["ibl-mock: reloaded after openapi.yaml changed"]  # nothing wrong
