"""Shared fixtures: the default mock in-process, a live server process, and its tokens."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from ibl_mock.app import MockServer, create_app
from ibl_mock.settings import AppType, Settings

ROOT = Path(__file__).resolve().parent.parent
SPECS = Path(__file__).resolve().parent / "specs"
# The reference page's three operations and their handlers: the tests of the engine's
# behaviour on the ibl API serve it, as the whole API (spec/openapi.yaml) costs seconds
# to start and adds nothing to them.
SEED_SPEC = ROOT / "spec" / "seed.yaml"
BIN = Path(sys.executable).parent

# Fixture tokens (fixtures/tokens.yaml).
MAIN_ADMIN = "e373d34e351eb4b08a13f1dc4d27d6dd98fd0b5bed490bb7c01872507183bc43"
AMARA = "830d93bb37cf9c2a2dbb32046101c79762ef8ca517d6af2370e20079c8e9a9d2"
DIEGO = "78fe6a148d6dfcd6407e9bb3e7d3ada08fe04e5ff6bb4cca820288dec8b0606b"
ACME_ADMIN = "d045ab7fb76c4c7fa40ca0de839e6817f42895886bfd95de97bb35043c0e434e"

IMAGES = "/api/ai-mentor/orgs/{org}/users/{user}/ai-generated-images/"


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Api-Token {token}"}


def images_url(org: str = "main", user: str = "amara.okafor", image_id: int | None = None) -> str:
    url = IMAGES.format(org=org, user=user)
    return url if image_id is None else f"{url}{image_id}/"


def serve_spec(spec: Path, app_type: AppType = "async") -> Iterator[TestClient]:
    """A test client of the mock of `spec` (a scenario under tests/specs), for a fixture
    to yield from."""
    with create_app(Settings.build(spec_path=spec, app_type=app_type)).app.test_client() as c:
        yield c


@pytest.fixture(params=["async", "flask"])
def server(request: pytest.FixtureRequest) -> MockServer:
    """The default mock, on each Connexion app type `serve --app` offers."""
    return create_app(Settings.build(spec_path=SEED_SPEC, app_type=request.param))


@pytest.fixture
def client(server: MockServer) -> Iterator[TestClient]:
    with server.app.test_client() as test_client:
        yield test_client


class LiveServer:
    """`ibl-mock serve` in a child process on a free port, as a user starts it: of the seed
    spec unless `--spec` is given or `spec` is None (the whole ibl API, as `make run`)."""

    def __init__(self, *args: str, spec: Path | None = SEED_SPEC) -> None:
        chosen = ["--spec", str(spec)] if spec is not None and "--spec" not in args else []
        command = [
            *(str(BIN / "ibl-mock"), "serve", "--port", "0", "--log-level", "warning"),
            *chosen,
            *args,
        ]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.banner: list[str] = []
        self.url = self._wait_for_url()
        # Keep reading what the server prints: a full pipe would block it mid-request.
        self.output: list[str] = []
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)

    def _wait_for_url(self) -> str:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.banner.append(line.rstrip("\n"))
            found = re.search(r"URL:\s+(http://\S+?)/?$", line)
            if found:
                for rest in self.process.stdout:  # read the banner to its end
                    self.banner.append(rest.rstrip("\n"))
                    if rest.startswith("Press Ctrl-C"):
                        break
                return found.group(1)
        raise RuntimeError("server exited before serving:\n" + "\n".join(self.banner))

    def stop(self, how: signal.Signals = signal.SIGINT) -> tuple[int, str]:
        """Ctrl-C, as a user would (or another signal); returns the exit code and what it
        printed after the banner."""
        self.process.send_signal(how)
        self.process.wait(timeout=20)
        self.reader.join(timeout=20)
        return self.process.returncode, "".join(self.output)


@pytest.fixture(scope="module")
def whole_api() -> Iterator[LiveServer]:
    """`ibl-mock serve` of the whole ibl API (spec/openapi.yaml), as `make run` serves it."""
    live = LiveServer(spec=None)
    yield live
    if live.process.poll() is None:
        live.stop()


@pytest.fixture(scope="module")
def live_server() -> Iterator[LiveServer]:
    live = LiveServer()
    yield live
    if live.process.poll() is None:
        live.stop()


REDIS_URL_VARIABLE = "IBL_MOCK_TEST_REDIS"  # set by `make test`, which starts Redis


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Redis the shared-store tests use: `make test`'s, else one started here (Debian's
    redis-server, which `make test` installs) on a socket of its own, stopped after."""
    given = os.environ.get(REDIS_URL_VARIABLE)
    if given:
        yield given
        return
    folder = tmp_path_factory.mktemp("redis")
    socket = folder / "redis.sock"
    process = subprocess.Popen(
        ["redis-server", "--port", "0", "--unixsocket", str(socket), "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            if socket.exists():
                break
            time.sleep(0.05)
        yield f"unix://{socket}"
    finally:
        process.terminate()
        process.wait(timeout=10)
