"""schemathesis over every document of the corpus (tests/specs/corpus), in-process.

What the mock owes any document, checked quickly in-process with each document's own
credentials (its `schemathesis.toml`): no server error, and every body and Content-Type it
sends conforms to the spec. `test_corpus_full.py` runs every check and phase over HTTP.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from ibl_mock.app import create_app
from ibl_mock.settings import Settings
from tests.conftest import SPECS

CORPUS = sorted((SPECS / "corpus").glob("*/openapi.*"))
CHECKS = ("not_a_server_error", "response_schema_conformance", "content_type_conformance")
HYPOTHESIS = settings(
    max_examples=30, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck)
)


def corpus_test(path: Path) -> Any:
    checks: dict[str, Any] = {"enabled": False}
    checks.update({name: {"enabled": True} for name in CHECKS})
    own = tomllib.loads((path.parent / "schemathesis.toml").read_text())
    credentials = {k: own[k] for k in ("headers", "parameters") if k in own}
    config = SchemathesisConfig.from_dict({**credentials, "checks": checks})
    app = create_app(Settings.build(spec_path=path))
    schema = schemathesis.openapi.from_asgi(f"{app.base_path}/openapi.json", app, config=config)

    @schema.parametrize()
    @HYPOTHESIS
    def test(case: Any) -> None:
        case.call_and_validate()

    return test


for _path in CORPUS:
    globals()[f"test_{_path.parent.name.replace('-', '_')}_conforms"] = corpus_test(_path)
