"""schemathesis' CLI against one served document, and what its reports say.

Two runs, as the corpus issue defines the check: valid requests (`positive`) with the four
conformance checks, invalid ones (`negative`) with `not_a_server_error` alone. Failures are
read from the NDJSON event report (each check with its name, the operation, the response
status); the JSON report gives the summary; the text output the message of an error that
stopped schemathesis before its engine ran (a document it could not load).
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent
CHECKS = {
    "positive": (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ),
    "negative": ("not_a_server_error",),
}
PHASES = "examples,coverage,fuzzing"
MAX_EXAMPLES = 5


@dataclass(frozen=True)
class Finding:
    check: str
    operation: str
    status: int | None
    title: str
    message: str

    def line(self) -> str:
        first = next((part.strip() for part in self.message.splitlines() if part.strip()), "")
        status = "no response" if self.status is None else str(self.status)
        return f"{self.check} {self.operation} -> {status}: {self.title}" + (
            f": {first}" if first else ""
        )


@dataclass
class Outcome:
    """One schemathesis run (one mode) over one document."""

    mode: str
    exit_code: int | None = None  # None when it was stopped at the budget
    timed_out: bool = False
    loaded: bool = False  # schemathesis loaded the served document
    cases: int = 0
    failures: dict[str, int] = field(default_factory=dict)  # distinct findings per check
    first_failure: str = ""
    first_by_check: dict[str, str] = field(default_factory=dict)  # each check's first finding
    errors: int = 0
    first_error: str = ""
    auth_rejected: list[str] = field(default_factory=list)  # operations that got only 401/403


def command(mode: str, url: str, config: Path, logs: Path, seed: int) -> list[str]:
    return [
        str(BIN / "st"), "--config-file", str(config),
        "run", f"{url}/openapi.json",
        # Every request to the mock, even for operations whose own `servers` name a real
        # host (schemathesis would follow those): nothing leaves this machine.
        "--url", url,
        "--mode", mode,
        "--checks", ",".join(CHECKS[mode]),
        "--phases", PHASES,
        "--max-examples", str(MAX_EXAMPLES),
        "--generation-database", "none",
        "--seed", str(seed),
        "--no-color",
        "--report", "json,ndjson,junit",
        "--report-json-path", str(logs / f"{mode}.json"),
        "--report-ndjson-path", str(logs / f"{mode}.ndjson"),
        "--report-junit-path", str(logs / f"{mode}.junit.xml"),
    ]  # fmt: skip


def run(mode: str, url: str, config: Path, logs: Path, seed: int, timeout: float) -> Outcome:
    """Run schemathesis within `timeout` seconds (stopped by its pid past that), then read
    its reports. The NDJSON report (every request and response) is kept gzipped."""
    outcome = Outcome(mode)
    with (logs / f"{mode}.txt").open("wb") as output:
        process = subprocess.Popen(
            command(mode, url, config, logs, seed),
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=logs,  # where schemathesis may leave files of its own
        )
        try:
            outcome.exit_code = process.wait(timeout=max(timeout, 1))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            outcome.timed_out = True
    read_events(logs / f"{mode}.ndjson", outcome)
    read_summary(logs / f"{mode}.json", (logs / f"{mode}.txt").read_text(errors="replace"), outcome)
    compress(logs / f"{mode}.ndjson")
    return outcome


def compress(path: Path) -> None:
    if path.exists():
        with path.open("rb") as plain, gzip.open(f"{path}.gz", "wb") as packed:
            shutil.copyfileobj(plain, packed)
        path.unlink()


def events(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """The report's events in order; a line cut short by a stopped run is skipped."""
    found: list[tuple[str, dict[str, Any]]] = []
    if not path.exists():
        return found
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict) and len(event) == 1:
                [(kind, payload)] = event.items()
                if isinstance(payload, dict):
                    found.append((kind, payload))
    return found


def read_events(path: Path, outcome: Outcome) -> None:
    # One finding per check, operation and failure kind (and status, for server errors):
    # schemathesis' own notion of a distinct failure.
    seen: set[tuple[str, str, str, int | None]] = set()
    for kind, payload in events(path):
        if kind == "LoadingFinished":
            outcome.loaded = True
        elif kind == "NonFatalError":
            value = payload.get("value") or {}
            outcome.errors += 1
            if not outcome.first_error:
                message = str(value.get("message", "")).strip().splitlines() or [""]
                outcome.first_error = (
                    f"{payload.get('label', '')}: {value.get('type', '')}: {message[0]}"
                )
        elif isinstance(payload.get("recorder"), dict):
            for finding in findings(payload["recorder"]):
                status = finding.status if finding.check == "not_a_server_error" else None
                key = (finding.check, finding.operation, finding.title, status)
                if key in seen:
                    continue
                seen.add(key)
                outcome.failures[finding.check] = outcome.failures.get(finding.check, 0) + 1
                outcome.first_failure = outcome.first_failure or finding.line()
                outcome.first_by_check.setdefault(finding.check, finding.line())


def findings(recorder: dict[str, Any]) -> list[Finding]:
    interactions = recorder.get("interactions") or {}
    found = []
    for case_id, checks in (recorder.get("checks") or {}).items():
        for check in checks:
            if check.get("status") != "failure":
                continue
            failure = (check.get("failure_info") or {}).get("failure") or {}
            response = (interactions.get(case_id) or {}).get("response") or {}
            found.append(
                Finding(
                    check=str(check.get("name", "?")),
                    operation=str(failure.get("operation") or recorder.get("label", "?")),
                    status=response.get("status_code"),
                    title=str(failure.get("title", "")),
                    message=str(failure.get("message", "")),
                )
            )
    return found


def read_summary(path: Path, text: str, outcome: Outcome) -> None:
    try:
        report = json.loads(path.read_text())
    except (OSError, ValueError):
        return  # stopped at the budget before writing it
    outcome.cases = int((report.get("test_cases") or {}).get("generated") or 0)
    outcome.auth_rejected = list((report.get("warnings") or {}).get("missing_auth") or [])
    outcome.loaded = outcome.loaded or report.get("operations") is not None
    if outcome.loaded:
        return
    # schemathesis stopped before its engine: say why, from the text output.
    titles = [str(error.get("title", "")) for error in report.get("errors") or []]
    outcome.errors = max(outcome.errors, len(titles))
    if titles and not outcome.first_error:
        outcome.first_error = f"{titles[0]}: {line_after(text, titles[0])}"


def line_after(text: str, title: str) -> str:
    """The first non-empty line after the line that reads `title` in schemathesis' output."""
    lines = [line.strip() for line in text.splitlines()]
    for index, line in enumerate(lines):
        if line == title:
            return next((rest for rest in lines[index + 1 :] if rest), "")
    return ""
