"""One document through the whole check: serve it, run schemathesis twice, stop it.

Everything a run leaves for a reader lands in build/corpus/logs/<run>/<document>/: the server's
stdout and stderr (5xx tracebacks), each schemathesis run's text output, JSON and JUnit
reports, and the credentials config it was given.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.corpus_check import CHECKS, Outcome, run
from bench.corpus_credentials import write_config
from bench.corpus_serve import start, tracebacks
from bench.corpus_sources import Document, describe

ALL_CHECKS = tuple(dict.fromkeys(check for checks in CHECKS.values() for check in checks))
# Which check's failure names a document's cause: the one that says most about the engine.
SEVERITY = (
    "not_a_server_error",
    "response_schema_conformance",
    "content_type_conformance",
    "status_code_conformance",
)


@dataclass
class Result:
    """One row of the results table."""

    id: str
    version: str = "?"
    origin: str = ""
    operations: int = 0
    started: bool = False
    start_error: str = ""
    failures: dict[str, int] = field(default_factory=dict)  # both runs, by check
    auth_rejected: int = 0  # operations that answered valid requests only with 401/403
    errors: int = (
        0  # schemathesis errors (data it could not generate, a document it could not load)
    )
    cause: str = ""  # the first failure (or error), one line
    server_errors: list[str] = field(default_factory=list)  # distinct tracebacks, one line each
    duration: float = 0.0
    server_cpu: float | None = None  # the server's CPU seconds over the whole check
    timeout: bool = False
    runs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def failure_total(self) -> int:
        return sum(self.failures.values())

    @property
    def clean(self) -> bool:
        """Served, fully checked, nothing found."""
        loaded = len(self.runs) == len(CHECKS) and all(run["loaded"] for run in self.runs)
        return self.started and loaded and not self.timeout and not self.failure_total

    @property
    def any_5xx(self) -> bool:
        return bool(self.failures.get("not_a_server_error")) or "HTTP 5" in self.cause

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "clean": self.clean, "any_5xx": self.any_5xx}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Result:
        names = cls.__dataclass_fields__
        return cls(**{key: value for key, value in data.items() if key in names})


def slug(document_id: str) -> str:
    return document_id.replace(":", "__").replace("/", "_")


def check(document: Document, logs: Path, budget: float, seed: int) -> Result:
    began = time.monotonic()
    deadline = began + budget
    result = Result(document.id)
    try:
        facts = describe(document.path)
    except Exception as error:  # an unreadable document is a row too, not a crash
        result.start_error = f"unreadable: {type(error).__name__}: {error}"[:300]
        return result
    result.version, result.origin, result.operations = facts.version, facts.origin, facts.operations
    folder = logs / slug(document.id)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    server = start(document.path, folder, deadline)
    try:
        result.started = server.url is not None
        result.start_error = server.start_error
        result.timeout = not result.started and time.monotonic() >= deadline
        if server.url is not None:
            config = write_config(facts.schemes, folder / "schemathesis.toml")
            for mode in CHECKS:
                outcome = run(mode, server.url, config, folder, seed, deadline - time.monotonic())
                add(result, outcome)
                if outcome.timed_out:
                    break
    finally:
        result.server_cpu = server.cpu_seconds()
        server.stop()
        result.server_errors = list(
            dict.fromkeys(tracebacks(server.err.read_text(errors="replace")))
        )
        result.duration = round(time.monotonic() - began, 1)
    result.cause = cause(result)
    return result


def add(result: Result, outcome: Outcome) -> None:
    result.runs.append(asdict(outcome))
    for name, count in outcome.failures.items():
        result.failures[name] = result.failures.get(name, 0) + count
    result.errors += outcome.errors
    if outcome.mode == "positive":
        result.auth_rejected = len(outcome.auth_rejected)
    result.timeout = result.timeout or outcome.timed_out


def cause(result: Result) -> str:
    """The first failure of the most telling check (a 5xx first, with the server's own
    traceback line), else the first schemathesis error, else operations that answered
    valid requests only with 401/403."""
    if not result.started:
        return result.start_error
    first = next(
        (
            run["first_by_check"][check]
            for check in SEVERITY
            for run in result.runs
            if check in run["first_by_check"]
        ),
        "",
    )
    first = first or next((run["first_error"] for run in result.runs if run["first_error"]), "")
    # Only valid requests tell: invalid ones may leave credentials out on purpose.
    rejected: list[str] = next(
        (run["auth_rejected"] for run in result.runs if run["mode"] == "positive"), []
    )
    if not first and rejected:
        first = f"{len(rejected)} operations answered only 401/403: {rejected[0]}"
    if result.server_errors and ("-> 5" in first or "HTTP 5" in first):
        first = f"{first} [{result.server_errors[0]}]"
    if not first and result.timeout and result.server_cpu is not None:
        first = f"over the budget; the server was busy {result.server_cpu:.0f} s of it"
    return first
