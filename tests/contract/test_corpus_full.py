"""Every document of the corpus, served with no hand-written code, passes schemathesis'
full run: all checks, all phases, over real HTTP. Each document documents the errors the
mock gives and ships a tokens fixture (so invalid credentials are refused); its
`schemathesis.toml` holds the credential to send."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SPECS, LiveServer
from tests.contract.full_run import full_run

CORPUS = sorted((SPECS / "corpus").glob("*/openapi.*"))


@pytest.mark.parametrize("spec", CORPUS, ids=[p.parent.name for p in CORPUS])
def test_a_generic_spec_passes_every_check_and_phase(spec: Path) -> None:
    full_run(LiveServer("--spec", str(spec)), config=spec.parent / "schemathesis.toml", examples=50)
