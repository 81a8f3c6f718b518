"""The `ibl_mock` pytest fixture: a mock served in-process for a test session, put back
to its seeded state before every test, with its journal and behaviours at hand.

    def test_delete(ibl_mock):
        url = ibl_mock.url + "/api/ai-mentor/orgs/main/users/amara.okafor/ai-generated-images/"
        requests.delete(url + "3/", headers=ibl_mock.auth())
        assert ibl_mock.journal(status=204)

Options: `--ibl-mock-spec PATH` and `--ibl-mock-seed N` (or the `ibl_mock_spec` and
`ibl_mock_seed` ini settings); a suite may also override the `ibl_mock_settings` fixture.
Installed with ibl-mock (entry point `pytest11`).
"""

from __future__ import annotations

import base64
import copy
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .app import MockServer, create_app
from .control.behaviour import QuietDrops
from .control.journal import Entry
from .settings import Settings

START_TIMEOUT_S = 30


class IblMock:
    """A running mock, as a test sees it."""

    def __init__(self, server: MockServer, port: int) -> None:
        self.server = server
        self.root = f"http://127.0.0.1:{port}"
        self.seed = server.settings.seed  # the session's: every test starts from it

    @property
    def url(self) -> str:
        """Where the mocked API is served (its base path included), without a final `/`."""
        return self.root + self.server.base_path

    def auth(self, username: str | None = None) -> dict[str, str]:
        """The headers carrying a fixture token (the first, or that user's) as the spec's
        first security scheme wants it: `Authorization: <prefix> <key>`, `Bearer`, `Basic`,
        an apiKey header, or a cookie. A query apiKey: use `auth_query`."""
        key = self._key(username)
        scheme = self._scheme()
        kind, where = scheme.get("type"), scheme.get("in")
        if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
            return {"Authorization": "Basic " + base64.b64encode(key.encode()).decode()}
        if kind in ("http", "oauth2", "openIdConnect"):
            return {"Authorization": f"Bearer {key}"}
        if kind == "apiKey" and where == "cookie":
            return {"Cookie": f"{scheme['name']}={key}"}
        if kind == "apiKey" and where == "query":
            raise LookupError(f"the key travels in the query: use auth_query() ({scheme['name']})")
        prefix = self.server.credentials.prefix
        name = str(scheme.get("name", "Authorization"))
        return {name: f"{prefix} {key}" if prefix else key}

    def auth_query(self, username: str | None = None) -> dict[str, str]:
        """The query parameter carrying a fixture token, for a query apiKey scheme."""
        return {str(self._scheme().get("name", "api_key")): self._key(username)}

    def _key(self, username: str | None) -> str:
        principals = self.server.credentials.all()
        chosen = next((p for p in principals if username in (None, p.username)), None)
        if chosen is None:
            raise LookupError(f"no fixture token for {username!r}")
        return chosen.key

    def _scheme(self) -> dict[str, Any]:
        document = self.server.spec.document
        schemes = (document.get("components") or {}).get("securitySchemes") or {}
        for requirement in document.get("security") or []:
            for name in requirement:
                if name in schemes:
                    return dict(self.server.spec.resolve(schemes[name]))
        first = next(iter(schemes.values()), {"type": "apiKey", "in": "header"})
        return dict(self.server.spec.resolve(first))

    def reset(self, seed: int | None = None) -> None:
        """Back to the seeded state (the session's seed, or `seed`), with no journal and no
        behaviours."""
        self.server.reset(self.seed if seed is None else seed)

    def journal(self, operation_id: str | None = None, status: int | None = None) -> list[Entry]:
        """The requests answered since the last reset, newest first."""
        return self.server.controls.journal.entries(operation_id, status)

    def behave(self, operation_id: str, **behaviour: Any) -> None:
        """Set an operation's behaviour, as the admin API takes it: `delay_ms=200`,
        `status=404`, `failure_rate=0.5, failure="drop"`..."""
        self.server.set_behaviour(operation_id, behaviour)

    def records(self, collection: str) -> list[dict[str, Any]]:
        """Copies of a collection's records (changing them changes nothing)."""
        return copy.deepcopy(list(self.server.store[collection]))


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ibl-mock")
    group.addoption("--ibl-mock-spec", help="OpenAPI document the ibl_mock fixture serves")
    group.addoption("--ibl-mock-seed", type=int, help="seed of the ibl_mock fixture")
    parser.addini("ibl_mock_spec", "OpenAPI document the ibl_mock fixture serves")
    parser.addini("ibl_mock_seed", "seed of the ibl_mock fixture")


@pytest.fixture(scope="session")
def ibl_mock_settings(pytestconfig: pytest.Config) -> Settings:
    spec: str | Path | None = pytestconfig.getoption("--ibl-mock-spec")
    if not spec and pytestconfig.getini("ibl_mock_spec"):  # relative to the ini file
        base = pytestconfig.inipath.parent if pytestconfig.inipath else pytestconfig.rootpath
        spec = base / str(pytestconfig.getini("ibl_mock_spec"))
    seed = pytestconfig.getoption("--ibl-mock-seed")
    if seed is None:
        seed = int(pytestconfig.getini("ibl_mock_seed") or 0)
    return Settings.build(spec_path=Path(spec) if spec else None, seed=seed, admin=True)


@pytest.fixture(scope="session")
def ibl_mock_server(ibl_mock_settings: Settings) -> Iterator[IblMock]:
    """The mock, served on a free port for the whole session."""
    import uvicorn

    server = create_app(ibl_mock_settings)
    logging.getLogger("uvicorn.error").addFilter(QuietDrops())
    config = uvicorn.Config(
        server, host="127.0.0.1", port=0, log_level="warning", lifespan="off", access_log=False
    )
    runner = uvicorn.Server(config)
    thread = threading.Thread(target=runner.run, name="ibl-mock", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not runner.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("ibl-mock did not start")
        time.sleep(0.01)
    port = runner.servers[0].sockets[0].getsockname()[1]  # the free port the OS gave
    yield IblMock(server, port)
    runner.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def ibl_mock(ibl_mock_server: IblMock) -> IblMock:
    """The session's mock, back to its seeded state with an empty journal."""
    ibl_mock_server.reset()
    return ibl_mock_server
