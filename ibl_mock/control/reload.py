"""`serve --watch`: rebuild the mock when its spec, handlers or fixtures change.

A thread polls file times (no extra dependency, works on any filesystem). A change is
built into a new mock aside; only a mock that builds is served. A broken edit is
reported and the last good version keeps serving. The findings of a document served
despite them are reported again, as at start. Journal and behaviours carry over.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from ..app import MockServer, create_app
from ..settings import Settings, mock_dir_of

WATCHED_SUFFIXES = {".yaml", ".yml", ".json", ".py"}
OWN_MODULES = ("_ibl_mock_handlers_", "_ibl_mock_seed_")
Stamp = dict[Path, tuple[int, int]]


def with_handlers_now(settings: Settings) -> Settings:
    """The settings, with the handlers folder as it is now (it may have appeared or gone)."""
    handlers = mock_dir_of(settings.spec_path) / "handlers"
    return replace(settings, handlers_dir=handlers if handlers.is_dir() else None)


def watched_folders(server: MockServer) -> list[Path]:
    settings = server.settings
    home = mock_dir_of(settings.spec_path)
    folders = [settings.spec_path.parent, home / "handlers", settings.fixtures_dir]
    unique: list[Path] = []
    for folder in folders:  # a folder inside another watched one is walked with it
        if folder is not None and not any(u == folder or u in folder.parents for u in unique):
            unique.append(folder)
    return unique


def stamp(folders: Iterable[Path]) -> Stamp:
    """Modification time and size of every watched file under `folders`."""
    found: Stamp = {}
    for folder in folders:
        for path in folder.rglob("*"):
            if path.suffix in WATCHED_SUFFIXES and "__pycache__" not in path.parts:
                try:
                    info = path.stat()
                except OSError:
                    continue  # removed while we looked
                found[path] = (info.st_mtime_ns, info.st_size)
    return found


def forget_imports() -> None:
    """Drop the mock's handler and seed modules, so the next build imports them afresh."""
    for name in [n for n in sys.modules if n.startswith(OWN_MODULES)]:
        del sys.modules[name]


def changed(before: Stamp, after: Stamp) -> list[Path]:
    return sorted({p for p in before.keys() | after.keys() if before.get(p) != after.get(p)})


class Watcher:
    """Polls the mock's folders and rebuilds it on a change; `say` reports each outcome."""

    def __init__(
        self,
        server: MockServer,
        say: Callable[[str], None] = print,
        interval_s: float = 0.5,
    ) -> None:
        self.server = server
        self.say = say
        self.interval_s = interval_s
        self.folders = watched_folders(server)
        self.last = stamp(self.folders)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ibl-mock-watch", daemon=True)

    def start(self) -> Watcher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.check()

    def check(self) -> bool:
        """Rebuild if anything changed since the last look; True if a new mock serves."""
        now = stamp(self.folders)
        edited = changed(self.last, now)
        if not edited:
            return False
        self.last = now
        names = ", ".join(str(p.name) for p in edited[:5]) + (" ..." if len(edited) > 5 else "")
        forget_imports()
        try:
            settings = with_handlers_now(self.server.settings)
            rebuilt = create_app(settings, self.server.controls, rebuilt=True)
            rebuilt.spec.finish_checks()  # this thread may wait for them: all said below
        except Exception as exc:  # any broken edit: say why, keep serving the last good one
            first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self.say(f"ibl-mock: reload failed after {names} changed: {first_line}")
            self.say("ibl-mock: still serving the last good version")
            return False
        self.server.adopt(rebuilt)
        self.server.controls.settle()
        self.say(f"ibl-mock: reloaded after {names} changed")
        for line in rebuilt.spec.report():  # the new document's problems, as at start
            self.say(line)
        return True
