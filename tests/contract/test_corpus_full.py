"""A spec with no hand-written code, served generically, passes schemathesis' full run:
all checks, all phases, over real HTTP (tests/specs/corpus/drf-library documents every
error the mock gives and ships a tokens fixture, so invalid credentials are refused)."""

from __future__ import annotations

from tests.conftest import SPECS, LiveServer
from tests.contract.full_run import full_run

LIBRARY = SPECS / "corpus" / "drf-library" / "openapi.yaml"


def test_a_generic_drf_spec_passes_every_check_and_phase() -> None:
    full_run(LiveServer("--spec", str(LIBRARY)), "Token librarian-key-0001", examples=50)
