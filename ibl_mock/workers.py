"""`ibl-mock serve --workers N`: N processes serving one mock, its state in a shared store.

uvicorn starts the workers and hands them the socket; each builds the mock from the same
settings, passed in the environment (a worker is a fresh interpreter), and serves the
store named by `--store`, which the first to start fills with the seeded world.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import Any

from .app import MockServer, create_app
from .control.heap import settle
from .settings import Settings

SETTINGS_VARIABLE = "IBL_MOCK_WORKER_SETTINGS"


def settings_text(settings: Settings) -> str:
    return json.dumps(asdict(settings), default=str)


def settings_of(text: str) -> Settings:
    given: dict[str, Any] = json.loads(text)
    paths = {"spec_path", "handlers_dir", "fixtures_dir"}
    values: dict[str, Any] = {
        f.name: (
            Path(given[f.name])
            if f.name in paths and given[f.name] is not None
            else tuple(given[f.name])
            if isinstance(given[f.name], list)
            else given[f.name]
        )
        for f in fields(Settings)
    }
    return Settings(**values)


def worker_app() -> MockServer:
    """The app of one worker (uvicorn's factory)."""
    # The parent reports on the document; a worker only serves it.
    settings = replace(settings_of(os.environ[SETTINGS_VARIABLE]), conformance="skip")
    server = create_app(settings)
    server.controls.settle = settle  # the worker's process is the mock's alone
    settle()
    return server
