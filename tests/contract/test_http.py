"""schemathesis' own CLI against `ibl-mock serve` over real HTTP: all checks, all phases."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import MAIN_ADMIN, LiveServer
from tests.contract.full_run import full_run

HERE = Path(__file__).resolve().parent


@pytest.mark.parametrize("config", [None, HERE / "owned-user.toml"], ids=["fuzzed", "owned"])
def test_schemathesis_cli_finds_no_failure(config: Path | None) -> None:
    # A fresh server per pass: the first pass deletes images. Fuzzed orgs are another
    # org's (403) for every operation; the owned pass reaches them all.
    full_run(
        LiveServer(), f"Api-Token {MAIN_ADMIN}", config, reaches_every_operation=config is not None
    )
