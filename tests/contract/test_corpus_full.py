"""A spec with no hand-written code, served generically, passes schemathesis' full run:
all checks, all phases, over real HTTP (tests/specs/corpus/drf-library documents every
error the mock gives and ships a tokens fixture, so invalid credentials are refused)."""

from __future__ import annotations

import subprocess

from tests.conftest import BIN, SPECS, LiveServer

LIBRARY = SPECS / "corpus" / "drf-library" / "openapi.yaml"


def test_a_generic_drf_spec_passes_every_check_and_phase() -> None:
    live = LiveServer("--spec", str(LIBRARY))
    try:
        command = [
            str(BIN / "st"), "run", f"{live.url}/openapi.json",
            "--checks", "all",
            "--phases", "examples,coverage,fuzzing,stateful",
            "--header", "Authorization: Token librarian-key-0001",
            "--seed", "1",
            "--max-examples", "50",
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
        assert " passed" in result.stdout
    finally:
        code, _ = live.stop()
    assert code == 0
