"""schemathesis' own CLI, all checks and all phases, against a live `ibl-mock serve`."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import BIN, LiveServer


def full_run(
    live: LiveServer, authorization: str, config: Path | None = None, examples: int = 100
) -> None:
    """Run schemathesis, then stop the server with Ctrl-C; fail on any finding."""
    try:
        command = [str(BIN / "st")]
        if config is not None:
            command += ["--config-file", str(config)]
        command += [
            "run", f"{live.url}/openapi.json",
            "--checks", "all",
            "--phases", "examples,coverage,fuzzing,stateful",
            "--header", f"Authorization: {authorization}",
            "--seed", "1",
            "--max-examples", str(examples),
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
        assert " passed" in result.stdout
    finally:
        code, _ = live.stop()
    assert code == 0
