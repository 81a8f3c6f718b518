"""schemathesis' own CLI against `ibl-mock serve` over real HTTP: all checks, all phases."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import BIN, MAIN_ADMIN, LiveServer

HERE = Path(__file__).resolve().parent


@pytest.mark.parametrize("config", [None, HERE / "owned-user.toml"], ids=["fuzzed", "owned"])
def test_schemathesis_cli_finds_no_failure(config: Path | None) -> None:
    live = LiveServer()  # a fresh server per pass: the first pass deletes images
    try:
        command = [str(BIN / "st")]
        if config is not None:
            command += ["--config-file", str(config)]
        command += [
            "run", f"{live.url}/openapi.json",
            "--checks", "all",
            "--phases", "examples,coverage,fuzzing,stateful",
            "--header", f"Authorization: Api-Token {MAIN_ADMIN}",
            "--seed", "1",
            "--max-examples", "100",
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
        assert "passed" in result.stdout
    finally:
        code, _ = live.stop()
    assert code == 0
