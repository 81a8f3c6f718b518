"""schemathesis' own CLI, all checks and all phases, against a live `ibl-mock serve`."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import BIN, LiveServer


def full_run(
    live: LiveServer,
    authorization: str | None = None,
    config: Path | None = None,
    examples: int = 100,
    reaches_every_operation: bool = True,
) -> None:
    """Run schemathesis, then stop the server with Ctrl-C; fail on any finding.

    Credentials come as an Authorization header or from the config file; examples are
    not carried over from earlier runs (no example database), so a run is repeatable.
    Unless told otherwise, an operation that answered only 401/403 (credentials that
    never got in) fails the run too.
    """
    try:
        command = [str(BIN / "st")]
        if config is not None:
            command += ["--config-file", str(config)]
        command += [
            "run", f"{live.url}/openapi.json",
            "--checks", "all",
            "--phases", "examples,coverage,fuzzing,stateful",
            "--seed", "1",
            "--max-examples", str(examples),
            "--generation-database", "none",
        ]  # fmt: skip
        if authorization is not None:
            command += ["--header", f"Authorization: {authorization}"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
        assert " passed" in result.stdout
        if reaches_every_operation:
            assert "Authentication failed" not in result.stdout, result.stdout[-3000:]
    finally:
        code, _ = live.stop()
    assert code == 0
